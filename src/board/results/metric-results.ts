import type { AnalysisBasis } from '../../analysis/analysis-period.js';
import type { StatisticRow } from '../../stats/statistic-row.js';

/** The metric of the enrolled-client counts finalize adds to every table. */
export const IDENTITY_METRIC = 'identity';

/** Which slice of a statistics table a page shows. */
export interface ResultsSlice {
  readonly segment: string;
  readonly basis: AnalysisBasis;
  /** Comparisons are shown against this branch. */
  readonly reference: string;
}

/** A point estimate with its interval (bounds null when the statistic gives none). */
export interface Estimate {
  readonly point: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly ciWidth: number | null;
}

/** One statistic (and parameter, e.g. a decile) of one metric. */
export interface StatisticKey {
  readonly statistic: string;
  /** null for most statistics; `0.1` … `0.9` for deciles. */
  readonly parameter: string | null;
}

/** A branch's own value of one statistic. */
export interface BranchValue extends StatisticKey {
  readonly branch: string;
  readonly estimate: Estimate;
}

/** One branch against the reference for one statistic. */
export interface BranchComparison extends StatisticKey {
  readonly branch: string;
  readonly relative: Estimate | null;
  readonly difference: Estimate | null;
}

/** Everything a page shows for one metric in the chosen slice. */
export interface MetricResults {
  readonly metric: string;
  /** Statistics in table order (those without parameter first). */
  readonly statistics: readonly StatisticKey[];
  readonly values: readonly BranchValue[];
  /** Every non-reference branch × comparative statistic. */
  readonly comparisons: readonly BranchComparison[];
}

function estimateOf(row: StatisticRow): Estimate {
  return { point: row.point, lower: row.lower, upper: row.upper, ciWidth: row.ci_width };
}

function keyOf(row: { statistic: string; parameter: string | null }): string {
  return `${row.statistic}\u0000${row.parameter ?? ''}`;
}

function compareKeys(a: StatisticKey, b: StatisticKey): number {
  if ((a.parameter === null) !== (b.parameter === null)) return a.parameter === null ? -1 : 1;
  if (a.statistic !== b.statistic) return 0; // keep first-appearance order between statistics
  return Number(a.parameter) - Number(b.parameter);
}

function inSlice(row: StatisticRow, slice: ResultsSlice): boolean {
  return row.segment === slice.segment && row.analysis_basis === slice.basis;
}

/** A comparison being assembled from its relative_uplift and difference rows. */
interface DraftComparison {
  readonly key: StatisticKey;
  readonly branch: string;
  relative: Estimate | null;
  difference: Estimate | null;
}

function collectMetric(metric: string, rows: readonly StatisticRow[], slice: ResultsSlice) {
  const keys = new Map<string, StatisticKey>();
  const values: BranchValue[] = [];
  const comparisons = new Map<string, DraftComparison>();
  for (const row of rows) {
    const key = { statistic: row.statistic, parameter: row.parameter };
    if (!keys.has(keyOf(key))) keys.set(keyOf(key), key);
    if (row.comparison === null) {
      values.push({ ...key, branch: row.branch, estimate: estimateOf(row) });
    } else if (row.comparison_to_branch === slice.reference && row.branch !== slice.reference) {
      const id = `${keyOf(key)}\u0000${row.branch}`;
      const entry = comparisons.get(id) ?? {
        key,
        branch: row.branch,
        relative: null,
        difference: null,
      };
      if (row.comparison === 'relative_uplift') entry.relative = estimateOf(row);
      else entry.difference = estimateOf(row);
      comparisons.set(id, entry);
    }
  }
  return { metric, keys: [...keys.values()], values, comparisons: [...comparisons.values()] };
}

/**
 * Groups a statistics table's rows into per-metric results for one slice (segment, basis,
 * reference branch). Metrics follow `metricOrder` (config order), then first appearance; branches
 * follow `branchOrder`, then first appearance. The identity counts are left out (see
 * {@link clientCounts}).
 */
export function metricResults(
  rows: readonly StatisticRow[],
  slice: ResultsSlice,
  metricOrder: readonly string[],
  branchOrder: readonly string[],
): MetricResults[] {
  const byMetric = new Map<string, StatisticRow[]>();
  for (const row of rows) {
    if (row.metric === IDENTITY_METRIC || !inSlice(row, slice)) continue;
    byMetric.set(row.metric, [...(byMetric.get(row.metric) ?? []), row]);
  }
  const rank = (list: readonly string[], name: string) => {
    const i = list.indexOf(name);
    return i < 0 ? list.length : i;
  };
  const metrics = [...byMetric.keys()].sort((a, b) => rank(metricOrder, a) - rank(metricOrder, b));
  const branchRank = (a: { branch: string }, b: { branch: string }) =>
    rank(branchOrder, a.branch) - rank(branchOrder, b.branch);
  return metrics.map((metric) => {
    const collected = collectMetric(metric, byMetric.get(metric) ?? [], slice);
    const statistics = [...collected.keys].sort(compareKeys);
    const order = (k: StatisticKey) => statistics.findIndex((s) => keyOf(s) === keyOf(k));
    return {
      metric,
      statistics,
      values: collected.values.sort((a, b) => order(a) - order(b) || branchRank(a, b)),
      comparisons: collected.comparisons
        .map((c) => ({
          ...c.key,
          branch: c.branch,
          relative: c.relative,
          difference: c.difference,
        }))
        .sort((a, b) => order(a) - order(b) || branchRank(a, b)),
    };
  });
}

/** Enrolled (or exposed) clients per branch in a slice, from the identity/count rows. */
export function clientCounts(
  rows: readonly StatisticRow[],
  segment: string,
  basis: AnalysisBasis,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) {
    if (
      row.metric === IDENTITY_METRIC &&
      row.statistic === 'count' &&
      row.segment === segment &&
      row.analysis_basis === basis &&
      row.point !== null
    ) {
      counts.set(row.branch, row.point);
    }
  }
  return counts;
}

/** Distinct values of a column, in first-appearance order. */
export function distinctValues<K extends 'segment' | 'analysis_basis' | 'branch'>(
  rows: readonly StatisticRow[],
  column: K,
): StatisticRow[K][] {
  return [...new Set(rows.map((row) => row[column]))];
}
