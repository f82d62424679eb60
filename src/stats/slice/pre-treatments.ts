import { parsePreTreatmentParams } from '../parse-params.js';
import { quantileInPlace } from '../sample/select.js';
import type { PreTreatmentName, PreTreatmentSpec } from '../statistic-spec.js';
import {
  branchRowCount,
  filterBranchRows,
  withColumn,
  type BranchSlice,
  type MetricSlice,
} from './metric-slice.js';

/** Keeps the rows whose value in the column passes `keep` (NaN passes only if `keep` says so). */
function keepRows(slice: MetricSlice, column: string, keep: (x: number) => boolean): MetricSlice {
  const out: BranchSlice[] = [];
  for (const branch of slice) {
    const values = branch.columns[column];
    if (!values) {
      out.push(branch);
      continue;
    }
    const flags = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) flags[i] = keep(values[i]!) ? 1 : 0;
    const filtered = filterBranchRows(branch, flags);
    if (branchRowCount(filtered) > 0) out.push(filtered);
  }
  return out;
}

/** Replaces every value of the column by `f(x)`; rows are kept. */
function mapValues(slice: MetricSlice, column: string, f: (x: number) => number): MetricSlice {
  return slice.map((branch) => {
    const values = branch.columns[column];
    return values ? withColumn(branch, column, values.map(f)) : branch;
  });
}

/** Type-7 quantile of the column's non-null values, pooled over every branch. */
function pooledQuantile(slice: MetricSlice, column: string, p: number): number {
  const parts = slice.map((branch) => branch.columns[column] ?? new Float64Array(0));
  const pooled = new Float64Array(parts.reduce((n, part) => n + part.length, 0));
  let n = 0;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) if (!Number.isNaN(part[i]!)) pooled[n++] = part[i]!;
  }
  return quantileInPlace(pooled.subarray(0, n), p);
}

/** Context a pre-treatment may need besides its own params. */
export interface PreTreatmentContext {
  /** Length of the analysis period in days, injected into normalize_over_analysis_period. */
  readonly periodLength?: number | undefined;
}

type PreTreatmentFn = (
  slice: MetricSlice,
  column: string,
  params: Readonly<Record<string, unknown>>,
  context: PreTreatmentContext,
) => MetricSlice;

/** The nine pre-treatments of jetstream/pre_treatment.py (spec/statistics.md §2). */
const PRE_TREATMENTS: Record<PreTreatmentName, PreTreatmentFn> = {
  remove_nulls: (slice, column) => keepRows(slice, column, (x) => !Number.isNaN(x)),
  remove_indefinites: (slice, column) =>
    keepRows(slice, column, (x) => !Number.isNaN(x) && x !== Number.POSITIVE_INFINITY),
  censor_highest_values: (slice, column, params) => {
    const { fraction } = parsePreTreatmentParams('censor_highest_values', params);
    const q = pooledQuantile(slice, column, fraction);
    return keepRows(slice, column, (x) => x < q);
  },
  censor_lowest_values: (slice, column, params) => {
    const { fraction } = parsePreTreatmentParams('censor_lowest_values', params);
    const q = pooledQuantile(slice, column, fraction);
    return keepRows(slice, column, (x) => x > q);
  },
  censor_values_below_threshold: (slice, column, params) => {
    const { threshold } = parsePreTreatmentParams('censor_values_below_threshold', params);
    return keepRows(slice, column, (x) => x > threshold);
  },
  censor_values_above_threshold: (slice, column, params) => {
    const { threshold } = parsePreTreatmentParams('censor_values_above_threshold', params);
    return keepRows(slice, column, (x) => x < threshold);
  },
  normalize_over_analysis_period: (slice, column, params, context) => {
    const parsed = parsePreTreatmentParams('normalize_over_analysis_period', params);
    const length = parsed.analysis_period_length ?? context.periodLength ?? 1;
    return mapValues(slice, column, (x) => x / length);
  },
  log: (slice, column, params) => {
    const { base } = parsePreTreatmentParams('log', params);
    if (base === 10) return mapValues(slice, column, Math.log10);
    const lnBase = base === null ? 1 : Math.log(base);
    return mapValues(slice, column, (x) => Math.log(x) / lnBase);
  },
  zero_fill: (slice, column) => mapValues(slice, column, (x) => (Number.isNaN(x) ? 0 : x)),
};

/**
 * Applies one pre-treatment to one column and returns the new slice (the input is not
 * modified). Row filters drop whole rows (every column) and drop branches left without rows.
 * @throws StatisticParameterError for bad parameters.
 */
export function applyPreTreatment(
  slice: MetricSlice,
  column: string,
  spec: PreTreatmentSpec,
  context: PreTreatmentContext = {},
): MetricSlice {
  return PRE_TREATMENTS[spec.name](slice, column, spec.params, context);
}

/**
 * Applies pre-treatments in config order, each to the metric column and then to each dependent
 * column (population_ratio's numerator and denominator).
 */
export function applyPreTreatments(
  slice: MetricSlice,
  columns: readonly string[],
  specs: readonly PreTreatmentSpec[],
  context: PreTreatmentContext = {},
): MetricSlice {
  let out = slice;
  for (const spec of specs) {
    for (const column of columns) out = applyPreTreatment(out, column, spec, context);
  }
  return out;
}
