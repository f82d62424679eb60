import type { PhaseFigures } from './phase-figures.js';

/** One row of the targets table. */
export interface TargetRow {
  readonly figure: string;
  readonly value: number;
  readonly unit: string;
  readonly comparison: '<=' | '>=';
  readonly target: number;
}

/** Whether the row's value meets its target. */
export function meets(row: TargetRow): boolean {
  return row.comparison === '<=' ? row.value <= row.target : row.value >= row.target;
}

/** The targets table: figure, value, target, ratio and PASS/MISS. */
export function targetTable(rows: readonly TargetRow[]): string[] {
  const header = ['figure', 'value', 'target', 'ratio', 'verdict'];
  const body = rows.map((row) => {
    const format = (v: number) =>
      row.unit === 'ms' ? `${v.toFixed(1)} ms` : `${v.toFixed(2)}${row.unit}`;
    return [
      row.figure,
      format(row.value),
      `${row.comparison === '<=' ? '≤' : '≥'} ${format(row.target)}`,
      (row.value / row.target).toFixed(2),
      meets(row) ? 'PASS' : 'MISS',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
}

/** The target rows of the issue (#5 §6) from both phases. */
export function targetRows(one: PhaseFigures, two: PhaseFigures): TargetRow[] {
  return [
    ...[one, two].flatMap((f) => [
      {
        figure: `median start wait, ${f.workers} worker(s)`,
        value: f.startOverhead.median,
        unit: 'ms',
        comparison: '<=' as const,
        target: 5,
      },
      {
        figure: `median parent wait, ${f.workers} worker(s)`,
        value: f.parentNotification.median,
        unit: 'ms',
        comparison: '<=' as const,
        target: 5,
      },
    ]),
    {
      figure: 'speed-up 1 → 2 workers',
      value: one.wallMs / two.wallMs,
      unit: '×',
      comparison: '>=',
      target: 1.7,
    },
    {
      figure: 'wall(2) / (job compute(2) / 2)',
      value: two.wallMs / (two.computeMs / 2),
      unit: '×',
      comparison: '<=',
      target: 1.25,
    },
  ];
}
