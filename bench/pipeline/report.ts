import type { PhaseFigures, Spread } from './phase-figures.js';

/** CPU seconds of one phase: the `contrail run` process, the worker processes, Redis. */
export interface PhaseCpu {
  readonly run: number;
  readonly workers: number;
  readonly redis: number;
}

/** How the figures are defined (printed with the results). */
export const DEFINITIONS = [
  'wall          spawn of `contrail run --date D --wait --force --recreate-enrollments` → its exit',
  '              (start-up, planning, enqueueing, every job, its 250 ms progress poll); the',
  '              worker processes are started and ready before (their start-up is not in it)',
  'job compute   Σ (finishedOn − processedOn) over every job of the run, from the job hashes',
  'utilisation   Σ metric-job spans / (wall × worker processes): share of the wall each',
  '              process had a metric job in hand (≤ 100 %, one metric thread per process)',
  'cores used    worker processes’ CPU seconds during the run / wall (all their threads)',
  'read, stats   a metric job’s own timings of its warehouse reads and its statistics; other =',
  '              span − read − stats (payload to the thread, stage write, the fetch round trip)',
  'start wait    metric job: processedOn − max(added, same worker’s previous finishedOn); BullMQ',
  '              fetches the next job in the call completing the previous one, so it is 0 then',
  'completion    metric job: Redis’s `completed` event time − finishedOn (processor end → done)',
  'parent wait   finalize/export job: processedOn − its last child’s `completed` event time',
  'speed-up      wall(1 worker process) / wall(2 worker processes), same workload, --force',
] as const;

function ms(value: number): string {
  return Number.isNaN(value) ? '-' : `${value.toFixed(0)} ms`;
}

function seconds(valueMs: number): string {
  return Number.isNaN(valueMs) ? '-' : `${(valueMs / 1000).toFixed(1)} s`;
}

function spreadText(s: Spread): string {
  return `${ms(s.median)} / ${ms(s.p95)} (max ${ms(s.max)}, n ${s.count})`;
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((cells) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

function metricMs(f: PhaseFigures): number {
  return f.split.find((q) => q.queue === 'metric')?.computeMs ?? 0;
}

/** The phases side by side: wall, speed-up, compute, utilisation, CPU, per-job spreads. */
export function comparisonLines(
  figures: readonly PhaseFigures[],
  cpu: readonly PhaseCpu[],
): string[] {
  const one = figures[0];
  const col = (pick: (f: PhaseFigures, c: PhaseCpu) => string) =>
    figures.map((f, i) => pick(f, cpu[i] ?? { run: 0, workers: 0, redis: 0 }));
  const rows: string[][] = [
    ['', ...col((f) => `${f.workers} worker process${f.workers === 1 ? '' : 'es'}`)],
    ['wall', ...col((f) => seconds(f.wallMs))],
    [
      'speed-up vs 1 process',
      ...col((f) => (one === undefined ? '-' : `${(one.wallMs / f.wallMs).toFixed(2)}×`)),
    ],
    ['job compute (Σ spans)', ...col((f) => seconds(f.computeMs))],
    ['utilisation', ...col((f) => `${((100 * metricMs(f)) / (f.wallMs * f.workers)).toFixed(1)}%`)],
    ['cores used by workers', ...col((f, c) => (c.workers / (f.wallMs / 1000)).toFixed(2))],
    [
      'CPU: workers, run, Redis',
      ...col((_, c) => `${[c.workers, c.run, c.redis].map((v) => v.toFixed(1)).join(', ')} s`),
    ],
    ['first job added after', ...col((f) => ms(f.firstJobAddedMs))],
    ['metric job span med / p95', ...col((f) => spreadText(f.metricSpan))],
    [
      '  read med / p95 (Σ)',
      ...col((f) => `${spreadText(f.metricRead)} Σ ${seconds(f.metricReadMs)}`),
    ],
    [
      '  stats med / p95 (Σ)',
      ...col((f) => `${spreadText(f.metricStatistics)} Σ ${seconds(f.metricStatisticsMs)}`),
    ],
    ['  other med / p95', ...col((f) => spreadText(f.metricOther))],
    ['start wait med / p95', ...col((f) => spreadText(f.startOverhead))],
    ['completion med / p95', ...col((f) => spreadText(f.completion))],
    ['parent wait med / p95', ...col((f) => spreadText(f.parentNotification))],
  ];
  return table(rows);
}

/** One phase's split by queue: jobs, summed processing time, when the queue's jobs ran. */
export function splitLines(f: PhaseFigures): string[] {
  const rows = [
    ['queue', 'jobs', 'Σ compute', 'share', 'first start', 'last finish'],
    ...f.split.map((q) => [
      q.queue,
      String(q.jobs),
      seconds(q.computeMs),
      `${((100 * q.computeMs) / f.computeMs).toFixed(1)}%`,
      seconds(q.firstStartMs),
      seconds(q.lastFinishMs),
    ]),
  ];
  return [
    `Phase split, ${f.workers} worker process${f.workers === 1 ? '' : 'es'} (times from spawn):`,
    ...table(rows).map((line) => `  ${line}`),
  ];
}
