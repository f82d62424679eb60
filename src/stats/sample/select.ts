import { lerp, quantilePosition } from './quantile.js';

/**
 * Rearranges `a` so that a[k] holds the k-th smallest value, everything before it is ≤ and
 * everything after it is ≥ (quickselect with median-of-three pivots; NaN-free input). O(n)
 * expected; falls back to a full sort after too many rounds.
 */
export function selectInPlace(a: Float64Array, k: number): void {
  selectInRange(a, 0, a.length, k);
}

/**
 * {@link selectInPlace} restricted to a[from..to): afterwards a[k] holds the (k − from)-th
 * smallest value of that range, with smaller-or-equal values before it and larger-or-equal after.
 */
export function selectInRange(a: Float64Array, from: number, to: number, k: number): void {
  let lo = from;
  let hi = to - 1;
  let rounds = 0;
  while (hi > lo) {
    if (++rounds > 64) {
      a.subarray(lo, hi + 1).sort();
      return;
    }
    const pivot = medianOfThree(a[lo]!, a[(lo + hi) >>> 1]!, a[hi]!);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function medianOfThree(x: number, y: number, z: number): number {
  if (x < y) return y < z ? y : x < z ? z : x;
  return x < z ? x : y < z ? z : y;
}

/**
 * Type-7 quantile of an unsorted, NaN-free sample, selecting the two order statistics around
 * p(n − 1) in place (the values are permuted). O(n). NaN when empty.
 */
export function quantileInPlace(values: Float64Array, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${p}`);
  const n = values.length;
  if (n === 0) return Number.NaN;
  const { index, fraction } = quantilePosition(n, p);
  return interpolateAtRank(values, index, fraction, index + 1 < n);
}

/** Below this size {@link quantileUnsorted} selects on a copy of the whole sample. */
const BRACKET_MIN_SIZE = 16384;
/** Values in the sample that {@link bracketQuantile} sorts to place its two bounds. */
const BRACKET_SAMPLE = 2048;

/**
 * Type-7 quantile of an unsorted, NaN-free sample without sorting or modifying it. O(n).
 * Large samples are bracketed first ({@link bracketQuantile}): one pass of two comparisons per
 * value instead of a quickselect over a full copy.
 */
export function quantileUnsorted(values: Float64Array, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${p}`);
  if (values.length >= BRACKET_MIN_SIZE) {
    const bracketed = bracketQuantile(values, p);
    if (bracketed !== undefined) return bracketed;
  }
  return quantileInPlace(values.slice(), p);
}

/**
 * The type-7 quantile by bracketing (after Floyd & Rivest): sorts an evenly spaced sample of the
 * values, takes two of its values on either side of the quantile's rank as bounds, counts the
 * values below the lower bound and gathers those between the bounds in one pass, then selects
 * inside that small set. Undefined when the two order statistics needed are not between the
 * bounds (a sample that misrepresents the values); the caller then selects on everything.
 */
function bracketQuantile(values: Float64Array, p: number): number | undefined {
  const n = values.length;
  const { index, fraction } = quantilePosition(n, p);
  const sample = new Float64Array(BRACKET_SAMPLE);
  for (let i = 0; i < BRACKET_SAMPLE; i++) {
    sample[i] = values[Math.floor((i * n) / BRACKET_SAMPLE)]!;
  }
  sample.sort();
  const rank = Math.round(p * (BRACKET_SAMPLE - 1));
  // Sample ranks on each side of the quantile's: 8 standard deviations of its sample rank, + 8.
  const halfWidth = Math.ceil(8 * Math.sqrt(BRACKET_SAMPLE * p * (1 - p))) + 8;
  const low = rank - halfWidth <= 0 ? -Infinity : sample[rank - halfWidth]!;
  const high = rank + halfWidth >= BRACKET_SAMPLE - 1 ? Infinity : sample[rank + halfWidth]!;
  // About 2·halfWidth/2048 of the values fall between the bounds; room for 1.5 times that.
  const between = new Float64Array(
    Math.min(n, Math.ceil((3 * halfWidth * n) / BRACKET_SAMPLE) + 64),
  );
  let below = 0;
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    if (x < low) below++;
    else if (x <= high) {
      if (kept === between.length) return undefined;
      between[kept++] = x;
    }
  }
  // The two order statistics needed: index and (unless it is the last) index + 1.
  const last = index + 1 >= n ? index : index + 1;
  if (index < below || last >= below + kept) return undefined;
  const inside = between.subarray(0, kept);
  return interpolateAtRank(inside, index - below, fraction, last > index);
}

/**
 * lerp(x_(k), x_(k+1), fraction) of `values` (permuted in place: the k-th order statistic is
 * selected, the next is the minimum after it); x_(k) alone when !withNext.
 */
function interpolateAtRank(
  values: Float64Array,
  k: number,
  fraction: number,
  withNext: boolean,
): number {
  selectInPlace(values, k);
  const a = values[k]!;
  if (!withNext) return a;
  let b = Number.POSITIVE_INFINITY;
  for (let i = k + 1; i < values.length; i++) if (values[i]! < b) b = values[i]!;
  return lerp(a, b, fraction);
}
