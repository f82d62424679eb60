/**
 * Linear interpolation the way numpy does it (`_lerp`): a + (b − a)·t for t < ½ and
 * b − (b − a)·(1 − t) for t ≥ ½, which keeps the result exact at both ends.
 */
export function lerp(a: number, b: number, t: number): number {
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** Position of the type-7 quantile p in a sorted sample of n: h = p(n − 1), j = ⌊h⌋, g = h − j. */
export function quantilePosition(n: number, p: number): { index: number; fraction: number } {
  const h = p * (n - 1);
  const index = Math.floor(h);
  return { index, fraction: h - index };
}

/**
 * The Hyndman–Fan type-7 quantile (numpy/pandas "linear") of an ascending sample:
 * Q(p) = x[j] + g(x[j+1] − x[j]) with h = p(n − 1), j = ⌊h⌋, g = h − j. NaN when empty.
 * @throws RangeError when p is outside [0, 1].
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${p}`);
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const { index, fraction } = quantilePosition(n, p);
  const a = sorted[index]!;
  if (index + 1 >= n) return a;
  return lerp(a, sorted[index + 1]!, fraction);
}

/** Arithmetic mean; NaN when empty. */
export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}
