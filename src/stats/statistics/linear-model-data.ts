import { compressSample } from '../sample/compressed-sample.js';
import { quantilePosition, lerp } from '../sample/quantile.js';
import { quantileUnsorted } from '../sample/select.js';
import type { MetricSlice } from '../slice/metric-slice.js';

/** One branch's rows prepared for the linear model (nulls dropped, clipped). */
export interface PreparedBranch {
  readonly branch: string;
  readonly y: Float64Array;
  readonly x: Float64Array | undefined;
}

/** Non-null values of one column pooled over the branches. */
export function pooledNonNull(columns: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(columns.reduce((n, c) => n + c.length, 0));
  let n = 0;
  for (const column of columns) for (const v of column) if (!Number.isNaN(v)) out[n++] = v;
  return out.subarray(0, n);
}

/**
 * The clipping threshold of `prepare_df_for_modeling`: the type-7 quantile t of the pooled
 * non-null values, rounded up for an integer column (pandas integer dtype).
 */
export function clipThreshold(pooled: Float64Array, t: number, integer: boolean): number {
  const q = quantileUnsorted(pooled, t);
  return integer ? Math.ceil(q) : q;
}

/** Sample standard deviation (ddof 1); NaN for fewer than two values. */
export function sampleStd(values: Float64Array): number {
  const n = values.length;
  if (n < 2) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return Math.sqrt(ss / (n - 1));
}

/**
 * Drops rows with a null y (or null x), clips y at `yCap` and x at `xCap`; branches left
 * without rows are dropped.
 */
export function prepareBranches(
  slice: MetricSlice,
  yColumn: string,
  xColumn: string | undefined,
  yCap: number,
  xCap: number,
): PreparedBranch[] {
  const out: PreparedBranch[] = [];
  for (const branch of slice) {
    const ys = branch.columns[yColumn]!;
    const xs = xColumn ? branch.columns[xColumn]! : undefined;
    const y = new Float64Array(ys.length);
    const x = xs ? new Float64Array(ys.length) : undefined;
    let n = 0;
    for (let i = 0; i < ys.length; i++) {
      const yi = ys[i]!;
      const xi = xs ? xs[i]! : 0;
      if (Number.isNaN(yi) || Number.isNaN(xi)) continue;
      y[n] = yi > yCap ? yCap : yi;
      if (x) x[n] = xi > xCap ? xCap : xi;
      n++;
    }
    if (n > 0) out.push({ branch: branch.branch, y: y.slice(0, n), x: x?.slice(0, n) });
  }
  return out;
}

/** Points of mozanalysis' covariate datagrid: `np.arange(0, 1, 0.0001)`. */
const DATAGRID_POINTS = 10_000;

/**
 * c̄ of the relative effect: the mean of the 10 000 type-7 quantiles Q(x, k/10000),
 * k = 0..9999, of the pooled covariate (mozanalysis' datagrid stand-in for the sample mean).
 * Uses the compressed sample, so count-valued covariates cost O(N + distinct values).
 */
export function datagridCovariateMean(x: Float64Array): number {
  const sample = compressSample(x);
  const n = sample.total;
  const cumulative = new Float64Array(sample.counts.length);
  let running = 0;
  for (let i = 0; i < cumulative.length; i++) cumulative[i] = running += sample.counts[i]!;
  let pointer = 0;
  const valueAt = (rank: number): number => {
    while (cumulative[pointer]! <= rank) pointer++;
    return sample.values[pointer]!;
  };
  let sum = 0;
  for (let k = 0; k < DATAGRID_POINTS; k++) {
    const { index, fraction } = quantilePosition(n, k * 0.0001);
    const a = valueAt(index);
    const saved = pointer;
    const b = index + 1 < n ? valueAt(index + 1) : a;
    pointer = saved;
    sum += lerp(a, b, fraction);
  }
  return sum / DATAGRID_POINTS;
}
