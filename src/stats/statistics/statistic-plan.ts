import type { ReplicateTask } from '../replicates/replicate-task.js';
import type { MetricSlice } from '../slice/metric-slice.js';
import type { StatisticRow } from '../statistic-row.js';

/** Analysis periods (the same closed set as src/analysis, repeated here: stats is the leaf). */
export type StatisticPeriod =
  'day' | 'week' | 'days28' | 'overall' | 'preenrollment_week' | 'preenrollment_days28';

/** Analysis basis of a slice. */
export type StatisticBasis = StatisticRow['analysis_basis'];

/** Everything one statistic sees: the pre-treated slice and the identity of its rows. */
export interface StatisticContext {
  readonly metric: string;
  readonly segment: string;
  readonly basis: StatisticBasis;
  readonly period: StatisticPeriod;
  /** The slice after this statistic's pre-treatments. */
  readonly slice: MetricSlice;
  /** Reference branches to iterate over, in order (all branches, or the configured one). */
  readonly references: readonly string[];
  /** Branches configured in the experiment (per_client_dau_impact keeps only these). */
  readonly experimentBranches: readonly string[] | undefined;
  /** Seed of this statistic; sub-streams derive from it. */
  readonly seed: number;
  /** Whether a column holds integers (pandas integer dtype: the linear model ceils its cap). */
  isIntegerColumn(column: string): boolean;
}

/** What a statistic produced. */
export interface StatisticOutcome {
  readonly rows: StatisticRow[];
  /** Reference iterations that failed (the reference branch and the error). */
  readonly failures: readonly { readonly referenceBranch: string | null; readonly error: Error }[];
  readonly warnings: readonly string[];
}

/**
 * A statistic split into its random part (replicate tasks, runnable anywhere) and the rest:
 * `finish` receives one output per task, in order.
 */
export interface StatisticPlan {
  readonly tasks: readonly ReplicateTask[];
  finish(replicates: readonly Float64Array[]): StatisticOutcome;
}

/** A plan without random part. */
export function deterministicPlan(compute: () => StatisticOutcome): StatisticPlan {
  return { tasks: [], finish: compute };
}

/** An outcome with rows only. */
export function rowsOutcome(
  rows: StatisticRow[],
  warnings: readonly string[] = [],
): StatisticOutcome {
  return { rows, failures: [], warnings };
}
