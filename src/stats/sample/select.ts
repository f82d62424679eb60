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
  selectInPlace(values, index);
  const a = values[index]!;
  if (index + 1 >= n) return a;
  let b = Number.POSITIVE_INFINITY;
  for (let i = index + 1; i < n; i++) if (values[i]! < b) b = values[i]!;
  return lerp(a, b, fraction);
}

/** Type-7 quantile of an unsorted, NaN-free sample without sorting or modifying it. O(n). */
export function quantileUnsorted(values: Float64Array, p: number): number {
  return quantileInPlace(values.slice(), p);
}
