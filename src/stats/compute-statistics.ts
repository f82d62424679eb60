import { coerceError } from './coerce-error.js';
import { parseStatisticParams } from './parse-params.js';
import { seedFor } from './random/seed-for.js';
import { runReplicateTask, type ReplicateRunner } from './replicates/compute-replicate-blocks.js';
import type { ReplicateTask } from './replicates/replicate-task.js';
import { validateSlice, VALUE_COLUMN, type MetricSlice } from './slice/metric-slice.js';
import { applyPreTreatments } from './slice/pre-treatments.js';
import {
  ReferenceBranchMissingError,
  type StatisticFailure,
  type StatisticWarning,
} from './statistic-error.js';
import type { StatisticRow } from './statistic-row.js';
import type { StatisticSpec } from './statistic-spec.js';
import { planBinomial } from './statistics/binomial.js';
import { planBootstrapMean } from './statistics/bootstrap-mean.js';
import { planCount, planSum } from './statistics/count-and-sum.js';
import { planDeciles } from './statistics/deciles.js';
import { planEmpiricalCdf } from './statistics/empirical-cdf.js';
import { planKernelDensityEstimate } from './statistics/kernel-density-estimate.js';
import { planLinearModelMean, planPerClientDauImpact } from './statistics/linear-model-mean.js';
import { planPopulationRatio } from './statistics/population-ratio.js';
import type {
  StatisticBasis,
  StatisticContext,
  StatisticPeriod,
  StatisticPlan,
} from './statistics/statistic-plan.js';

/** The seed of statistic `index` of the input (e.g. `seedFor([experiment, …, spec.name])`). */
export type SeedFunction = (spec: StatisticSpec, index: number) => number;

/** One (metric, segment, analysis basis, period) slice and the statistics to compute on it. */
export interface StatisticsInput {
  readonly metric: string;
  /** @defaultValue `'all'` */
  readonly segment?: string;
  /** @defaultValue `'enrollments'` */
  readonly basis?: StatisticBasis;
  /** Decides whether linear models use their covariate. */
  readonly period: StatisticPeriod;
  /**
   * Analysis length in days for normalize_over_analysis_period (day 1, week 7, days28 28,
   * overall N, preenrollment_week 7, preenrollment_days28 28). @defaultValue 1
   */
  readonly periodLength?: number;
  readonly slice: MetricSlice;
  readonly statistics: readonly StatisticSpec[];
  /** Branches configured in the experiment (per_client_dau_impact keeps only these). */
  readonly experimentBranches?: readonly string[];
  /** null or absent: every branch against every other (as the pipeline does). */
  readonly referenceBranch?: string | null;
  /**
   * A seed for every statistic, or one per statistic.
   * @defaultValue `seedFor([metric, statistic, segment, basis, period])`
   */
  readonly seed?: number | SeedFunction;
  /**
   * Columns of integer type (pandas integer dtype: the linear model rounds its clipping
   * threshold up). @defaultValue inferred: every non-null value is an integer.
   */
  readonly integerColumns?: readonly string[];
}

/** Rows of every statistic that worked, and what failed. */
export interface StatisticsResult {
  readonly rows: StatisticRow[];
  readonly failures: StatisticFailure[];
  readonly warnings: StatisticWarning[];
}

/** A statistic ready to run: its plan, or the error that stopped it before any row. */
type PlannedStatistic =
  | { readonly spec: StatisticSpec; readonly plan: StatisticPlan }
  | { readonly spec: StatisticSpec; readonly error: Error };

/** Pre-treatments that turn a column into floats (pandas float dtype). */
const FLOAT_PRE_TREATMENTS = new Set(['normalize_over_analysis_period', 'log']);

/** True when every non-null value of the column is an integer. */
function integralColumn(slice: MetricSlice, name: string): boolean {
  for (const branch of slice) {
    const column = branch.columns[name];
    if (!column) continue;
    for (let i = 0; i < column.length; i++) {
      const v = column[i]!;
      if (v !== Math.floor(v) && !Number.isNaN(v)) return false;
    }
  }
  return true;
}

/**
 * The integer-dtype test of a statistic: the caller's list, or inferred (lazily, per column):
 * every non-null value is an integer and no pre-treatment turned the metric into floats.
 */
function integerColumnTest(
  input: StatisticsInput,
  slice: MetricSlice,
  spec: StatisticSpec,
): (column: string) => boolean {
  if (input.integerColumns) {
    const declared = new Set(input.integerColumns);
    return (column) => declared.has(column);
  }
  const floatMetric = spec.preTreatments.some((p) => FLOAT_PRE_TREATMENTS.has(p.name));
  const known = new Map<string, boolean>();
  return (column) => {
    let integer = known.get(column);
    if (integer === undefined) {
      integer = !(floatMetric && column === VALUE_COLUMN) && integralColumn(slice, column);
      known.set(column, integer);
    }
    return integer;
  };
}

function dependentColumns(spec: StatisticSpec): string[] {
  if (spec.name !== 'population_ratio') return [VALUE_COLUMN];
  const { numerator, denominator } = parseStatisticParams('population_ratio', spec.params);
  return [VALUE_COLUMN, numerator, denominator];
}

function seedOf(input: StatisticsInput, spec: StatisticSpec, index: number): number {
  if (typeof input.seed === 'number') return input.seed >>> 0;
  if (typeof input.seed === 'function') return input.seed(spec, index) >>> 0;
  return seedFor([
    input.metric,
    spec.name,
    input.segment ?? 'all',
    input.basis ?? 'enrollments',
    input.period,
  ]);
}

function referencesOf(input: StatisticsInput, slice: MetricSlice, spec: StatisticSpec): string[] {
  const branches = slice.map((b) => b.branch);
  const reference = input.referenceBranch ?? null;
  if (reference === null) return branches;
  if (!branches.includes(reference) && spec.name !== 'count' && spec.name !== 'sum') {
    throw new ReferenceBranchMissingError(
      `reference branch '${reference}' not in [${branches.join(', ')}] for ${spec.name}`,
    );
  }
  return [reference];
}

function contextFor(input: StatisticsInput, spec: StatisticSpec, index: number): StatisticContext {
  const slice = applyPreTreatments(input.slice, dependentColumns(spec), spec.preTreatments, {
    periodLength: input.periodLength,
  });
  return {
    metric: input.metric,
    segment: input.segment ?? 'all',
    basis: input.basis ?? 'enrollments',
    period: input.period,
    slice,
    references: referencesOf(input, slice, spec),
    experimentBranches: input.experimentBranches,
    seed: seedOf(input, spec, index),
    isIntegerColumn: integerColumnTest(input, slice, spec),
  };
}

/** The plan of one statistic (parameters validated and defaulted again here). */
function planFor(context: StatisticContext, spec: StatisticSpec): StatisticPlan {
  switch (spec.name) {
    case 'bootstrap_mean':
      return planBootstrapMean(context, parseStatisticParams(spec.name, spec.params));
    case 'binomial':
      return planBinomial(context, parseStatisticParams(spec.name, spec.params));
    case 'deciles':
      return planDeciles(context, parseStatisticParams(spec.name, spec.params));
    case 'linear_model_mean':
      return planLinearModelMean(context, parseStatisticParams(spec.name, spec.params));
    case 'per_client_dau_impact':
      return planPerClientDauImpact(context, parseStatisticParams(spec.name, spec.params));
    case 'population_ratio':
      return planPopulationRatio(context, parseStatisticParams(spec.name, spec.params));
    case 'kernel_density_estimate':
      return planKernelDensityEstimate(context, parseStatisticParams(spec.name, spec.params));
    case 'empirical_cdf':
      return planEmpiricalCdf(context, parseStatisticParams(spec.name, spec.params));
    case 'count':
      parseStatisticParams(spec.name, spec.params);
      return planCount(context);
    case 'sum':
      parseStatisticParams(spec.name, spec.params);
      return planSum(context);
  }
}

function planAll(input: StatisticsInput): PlannedStatistic[] {
  try {
    validateSlice(input.slice);
  } catch (e) {
    const error = coerceError(e);
    return input.statistics.map((spec) => ({ spec, error }));
  }
  return input.statistics.map((spec, index) => {
    try {
      return { spec, plan: planFor(contextFor(input, spec, index), spec) };
    } catch (e) {
      return { spec, error: coerceError(e) };
    }
  });
}

function failureOf(
  statistic: string,
  referenceBranch: string | null,
  error: Error,
): StatisticFailure {
  return { statistic, referenceBranch, errorClass: error.name, message: error.message };
}

function finishAll(
  planned: readonly PlannedStatistic[],
  outputs: readonly Float64Array[],
): StatisticsResult {
  const result: StatisticsResult = { rows: [], failures: [], warnings: [] };
  let next = 0;
  for (const item of planned) {
    if ('error' in item) {
      result.failures.push(failureOf(item.spec.name, null, item.error));
      continue;
    }
    const mine = outputs.slice(next, next + item.plan.tasks.length);
    next += item.plan.tasks.length;
    try {
      const outcome = item.plan.finish(mine);
      result.rows.push(...outcome.rows);
      for (const f of outcome.failures) {
        result.failures.push(failureOf(item.spec.name, f.referenceBranch, f.error));
      }
      for (const message of outcome.warnings) {
        result.warnings.push({ statistic: item.spec.name, message });
      }
    } catch (e) {
      result.failures.push(failureOf(item.spec.name, null, coerceError(e)));
    }
  }
  return result;
}

function allTasks(planned: readonly PlannedStatistic[]): ReplicateTask[] {
  return planned.flatMap((item) => ('plan' in item ? item.plan.tasks : []));
}

/**
 * Computes every statistic of `input.statistics` on one slice, on the calling thread: applies
 * each statistic's pre-treatments (on a copy), computes, and builds jetstream rows. One failing
 * statistic never prevents the others; same input and seeds give bit-identical rows.
 */
export function computeStatistics(input: StatisticsInput): StatisticsResult {
  const planned = planAll(input);
  return finishAll(planned, allTasks(planned).map(runReplicateTask));
}

/**
 * Like {@link computeStatistics}, with the replicate tasks run by `runner` (e.g. the worker-thread
 * pool of src/runtime/stats-thread-pool.ts). The rows are bit-identical to the inline ones.
 */
export async function computeStatisticsWith(
  input: StatisticsInput,
  runner: ReplicateRunner,
): Promise<StatisticsResult> {
  const planned = planAll(input);
  return finishAll(planned, await runner(allTasks(planned)));
}
