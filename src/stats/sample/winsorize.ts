import { quantileUnsorted } from './select.js';

/**
 * The quantile at which `filter_outliers` caps: t = 1 − drop_highest, or undefined when nothing
 * is capped (t = 0 is falsy in the reference, t = 1 caps at the maximum).
 * @throws RangeError when t is outside [0.5, 1].
 */
export function cappingQuantile(dropHighest: number): number | undefined {
  const t = 1 - dropHighest;
  if (t === 0 || t === 1) return undefined;
  if (!(t >= 0.5 && t <= 1)) {
    throw new RangeError(`drop_highest ${dropHighest} gives a threshold quantile outside [0.5, 1]`);
  }
  return t;
}

/**
 * `filter_outliers`: x ← min(max(x, min x), Q(x, t)), i.e. every value above the type-7 quantile
 * Q(x, t) is replaced by it (a new array; the length is kept).
 */
export function winsorize(values: Float64Array, t: number): Float64Array {
  const cap = quantileUnsorted(values, t);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    out[i] = x > cap ? cap : x;
  }
  return out;
}
