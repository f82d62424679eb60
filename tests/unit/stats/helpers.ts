import {
  computeStatistics,
  type MetricSlice,
  type StatisticsInput,
  type StatisticsResult,
} from '../../../src/stats/index.js';
import type { StatisticRow } from '../../../src/stats/statistic-row.js';
import type { StatisticName } from '../../../src/stats/statistic-spec.js';

/** A slice from plain arrays: { branch: values }. */
export function sliceOf(
  branches: Record<string, readonly number[]>,
  extra: Record<string, Record<string, readonly number[]>> = {},
): MetricSlice {
  return Object.entries(branches).map(([branch, values]) => ({
    branch,
    columns: {
      value: Float64Array.from(values),
      ...Object.fromEntries(
        Object.entries(extra[branch] ?? {}).map(([name, v]) => [name, Float64Array.from(v)]),
      ),
    },
  }));
}

/** 0..n−1 shifted by `start`. */
export function range(n: number, start = 0, step = 1): number[] {
  return Array.from({ length: n }, (_, i) => start + i * step);
}

/** The unique row matching the filter. */
export function findRow(
  rows: readonly StatisticRow[],
  filter: Partial<StatisticRow>,
): StatisticRow {
  const matches = rows.filter((row) =>
    Object.entries(filter).every(([k, v]) => row[k as keyof StatisticRow] === v),
  );
  if (matches.length !== 1) {
    throw new Error(`expected one row for ${JSON.stringify(filter)}, found ${matches.length}`);
  }
  return matches[0]!;
}

/** |actual − expected| ≤ tol, with a readable failure. */
export function near(actual: number | null, expected: number, tol: number): boolean {
  return actual !== null && Math.abs(actual - expected) <= tol;
}

/** Runs one statistic on a slice (period overall, seed 1 unless given). */
export function run(
  name: StatisticName,
  slice: MetricSlice,
  params: Record<string, unknown> = {},
  options: Partial<StatisticsInput> = {},
): StatisticsResult {
  return computeStatistics({
    metric: 'm',
    period: 'overall',
    slice,
    seed: 1,
    statistics: [{ name, params, preTreatments: [] }],
    ...options,
  });
}

/** Expects [point, lower, upper] of a row within `tol`. */
export function expectEstimate(
  row: StatisticRow,
  expected: readonly [number, number, number],
  tol: number | readonly [number, number, number],
): void {
  const tols = typeof tol === 'number' ? [tol, tol, tol] : tol;
  const actual = [row.point, row.lower, row.upper];
  actual.forEach((a, i) => {
    if (a === null || Math.abs(a - expected[i]!) > tols[i]!) {
      throw new Error(
        `${row.statistic} ${row.branch} ${row.comparison ?? 'individual'} vs ${row.comparison_to_branch ?? '-'}: ` +
          `[${actual.join(', ')}] not within ${JSON.stringify(tols)} of [${expected.join(', ')}]`,
      );
    }
  });
}
