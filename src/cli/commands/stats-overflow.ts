import { SOURCE_LINE_COLUMN, type MetricSlice } from '../../stats/index.js';
import type { StatisticRow } from '../../stats/statistic-row.js';

/** The fields of a row that should hold numbers; `lower`/`upper` only when the other one does. */
function nonFiniteFields(row: StatisticRow): string[] {
  const fields: string[] = [];
  if (row.point === null) fields.push('point');
  if ((row.lower === null) !== (row.upper === null)) {
    fields.push(row.lower === null ? 'lower' : 'upper');
  }
  return fields;
}

/** `mean of treatment (relative_uplift vs control)` */
function rowLabel(row: StatisticRow): string {
  const comparison =
    row.comparison === null ? '' : ` (${row.comparison} vs ${row.comparison_to_branch ?? '?'})`;
  const parameter = row.parameter === null ? '' : ` [${row.parameter}]`;
  return `${row.statistic}${parameter} of ${row.branch}${comparison}`;
}

/** Largest |value| over each branch's value columns (NaN = null cells are skipped). */
function largestMagnitudes(slice: MetricSlice): Map<string, number> {
  const largest = new Map<string, number>();
  for (const branch of slice) {
    let max = 0;
    for (const [name, values] of Object.entries(branch.columns)) {
      if (name === SOURCE_LINE_COLUMN) continue;
      for (let i = 0; i < values.length; i++) {
        const v = Math.abs(values[i]!);
        if (v > max) max = v;
      }
    }
    largest.set(branch.branch, max);
  }
  return largest;
}

/**
 * One warning per row whose point or one interval bound is not finite (printed as null): which
 * statistic, branch and comparison, which fields, and — when the branches' values are all
 * finite — that the statistic overflowed, with the largest |value| of the branches involved.
 */
export function overflowWarnings(rows: readonly StatisticRow[], slice: MetricSlice): string[] {
  const largest = largestMagnitudes(slice);
  const warnings: string[] = [];
  for (const row of rows) {
    const fields = nonFiniteFields(row);
    if (fields.length === 0) continue;
    const branches = [row.branch, row.comparison_to_branch].filter((b) => b !== null);
    const sizes = branches.map((b) => `${b}: ${largest.get(b) ?? Number.NaN}`).join(', ');
    const finite = branches.every((b) => Number.isFinite(largest.get(b) ?? Number.NaN));
    const cause = finite
      ? `the statistic overflowed (largest |value| per branch: ${sizes})`
      : `the input has infinite values (largest |value| per branch: ${sizes})`;
    warnings.push(`${rowLabel(row)}: ${fields.join(' and ')} not finite (null): ${cause}`);
  }
  return warnings;
}
