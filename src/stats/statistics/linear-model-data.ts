import { tallySample } from '../sample/compressed-sample.js';
import { lerp, quantilePosition, quantileSorted } from '../sample/quantile.js';
import { quantileInPlace } from '../sample/select.js';
import type { MetricSlice } from '../slice/metric-slice.js';
import type { BranchMoments } from './linear-model-fit.js';

/** Non-null values of one column pooled over the branches (a fresh array). */
export function pooledNonNull(columns: readonly Float64Array[]): Float64Array {
  let total = 0;
  for (const column of columns) total += column.length;
  const out = new Float64Array(total);
  let n = 0;
  for (const column of columns) {
    for (let i = 0; i < column.length; i++) {
      const v = column[i]!;
      if (v === v) out[n++] = v;
    }
  }
  return out.subarray(0, n);
}

/** Sample standard deviation (ddof 1); NaN for fewer than two values. */
export function sampleStd(values: Float64Array): number {
  const n = values.length;
  if (n < 2) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) * (values[i]! - mean);
  return Math.sqrt(ss / (n - 1));
}

/**
 * The clipping threshold of `prepare_df_for_modeling`: the type-7 quantile t of the pooled
 * non-null values (permuted in place), rounded up for an integer column (pandas integer dtype).
 */
export function clipThresholdInPlace(pooled: Float64Array, t: number, integer: boolean): number {
  const q = quantileInPlace(pooled, t);
  return integer ? Math.ceil(q) : q;
}

/** A branch's rows as the model sees them: null y (or x) dropped, y and x clipped. */
export interface ModelColumns {
  readonly y: Float64Array;
  readonly x: Float64Array | undefined;
  readonly yCap: number;
  readonly xCap: number;
}

/**
 * Sufficient statistics of one branch's model rows, computed in two streaming passes over the
 * original columns (no copies): means, then centered sums of squares and products.
 */
export function clippedMoments(c: ModelColumns): BranchMoments {
  const { y, x, yCap, xCap } = c;
  let n = 0;
  let sumY = 0;
  let sumX = 0;
  for (let i = 0; i < y.length; i++) {
    const yi = y[i]!;
    const xi = x ? x[i]! : 0;
    if (yi !== yi || xi !== xi) continue;
    n++;
    sumY += yi > yCap ? yCap : yi;
    sumX += xi > xCap ? xCap : xi;
  }
  const meanY = sumY / n;
  const meanX = x ? sumX / n : 0;
  let syy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < y.length; i++) {
    const yi = y[i]!;
    const xi = x ? x[i]! : 0;
    if (yi !== yi || xi !== xi) continue;
    const dy = (yi > yCap ? yCap : yi) - meanY;
    const dx = x ? (xi > xCap ? xCap : xi) - meanX : 0;
    syy += dy * dy;
    sxx += dx * dx;
    sxy += dx * dy;
  }
  return { n, meanY, meanX, syy, sxx, sxy };
}

/** The clipped covariate of every model row, pooled over the branches (a fresh array). */
export function pooledModelCovariate(
  slice: MetricSlice,
  c: Omit<ModelColumns, 'y' | 'x'> & { yColumn: string; xColumn: string },
): Float64Array {
  const parts = slice.map((b) => ({ y: b.columns[c.yColumn]!, x: b.columns[c.xColumn]! }));
  const out = new Float64Array(parts.reduce((n, p) => n + p.y.length, 0));
  let n = 0;
  for (const { y, x } of parts) {
    for (let i = 0; i < y.length; i++) {
      const yi = y[i]!;
      const xi = x[i]!;
      if (yi !== yi || xi !== xi) continue;
      out[n++] = xi > c.xCap ? c.xCap : xi;
    }
  }
  return out.subarray(0, n);
}

/** Points of mozanalysis' covariate datagrid: `np.arange(0, 1, 0.0001)`. */
const DATAGRID_POINTS = 10_000;

/** Above this many rows a covariate that cannot be tallied uses the sample mean (no sort). */
export const DATAGRID_SORT_MAX_ROWS = 250_000;

/**
 * c̄ of the relative effect: the mean of the 10 000 type-7 quantiles Q(x, k/10000),
 * k = 0..9999, of the pooled model covariate (mozanalysis' datagrid stand-in for the sample
 * mean). Count-like covariates are tallied in O(N) and small ones sorted in place (x is
 * permuted): both exact. A continuous covariate of more than 250 000 rows uses the plain sample
 * mean instead of an O(N log N) sort (spec decision §0.5: they agree to about 5e-5 relative).
 */
export function datagridCovariateMean(x: Float64Array): number {
  const sample = tallySample(x);
  if (!sample && x.length > DATAGRID_SORT_MAX_ROWS) {
    let sum = 0;
    for (let i = 0; i < x.length; i++) sum += x[i]!;
    return sum / x.length;
  }
  if (!sample) {
    const sorted = x.sort();
    let sum = 0;
    for (let k = 0; k < DATAGRID_POINTS; k++) sum += quantileSorted(sorted, k * 0.0001);
    return sum / DATAGRID_POINTS;
  }
  const n = sample.total;
  const cumulative = new Float64Array(sample.counts.length);
  let running = 0;
  for (let i = 0; i < cumulative.length; i++) cumulative[i] = running += sample.counts[i]!;
  let pointer = 0;
  const valueAt = (rank: number): number => {
    let p = pointer;
    while (cumulative[p]! <= rank) p++;
    return sample.values[p]!;
  };
  let sum = 0;
  for (let k = 0; k < DATAGRID_POINTS; k++) {
    const { index, fraction } = quantilePosition(n, k * 0.0001);
    while (cumulative[pointer]! <= index) pointer++;
    const a = sample.values[pointer]!;
    const b = index + 1 < n ? valueAt(index + 1) : a;
    sum += lerp(a, b, fraction);
  }
  return sum / DATAGRID_POINTS;
}
