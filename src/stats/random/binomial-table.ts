import type { Sfc32 } from './sfc32.js';

/** Half-width of the tabulated range around the mode, in standard deviations. */
const TABLE_SIGMAS = 12;

/** The values k a {@link BinomialTable} of (n, p) can return: mode ± 12σ, within [0, n]. */
export function binomialTableRange(n: number, p: number): { first: number; last: number } {
  const mode = Math.min(n, Math.floor((n + 1) * p));
  const sigma = Math.sqrt(n * p * (1 - p));
  return {
    first: Math.max(0, Math.floor(mode - TABLE_SIGMAS * sigma - 1)),
    last: Math.min(n, Math.ceil(mode + TABLE_SIGMAS * sigma + 1)),
  };
}

/**
 * A Binomial(n, p) sampler for many draws with the same (n, p): the pmf is tabulated within
 * ±12σ of the mode by the ratio recurrence pmf(k+1)/pmf(k) = (n−k)p/((k+1)(1−p)), normalized,
 * and a draw inverts the cumulative table by binary search. The mass left out is below 1e-30,
 * so the draws are exact for any practical purpose. Used by the deciles bootstrap (spec §5.4).
 */
export class BinomialTable {
  /** Smallest tabulated k. */
  readonly first: number;
  private readonly cumulative: Float64Array;

  constructor(n: number, p: number) {
    if (!(n >= 0) || !Number.isInteger(n)) {
      throw new RangeError(`binomial n must be a count, got ${n}`);
    }
    if (!(p >= 0 && p <= 1)) throw new RangeError(`binomial p must be in [0, 1], got ${p}`);
    const mode = Math.min(n, Math.floor((n + 1) * p));
    const { first, last } = binomialTableRange(n, p);
    const weights = new Float64Array(last - first + 1);
    weights[mode - first] = 1;
    const odds = p / (1 - p);
    for (let k = mode; k < last; k++) {
      weights[k + 1 - first] = (weights[k - first]! * (n - k) * odds) / (k + 1);
    }
    for (let k = mode; k > first; k--) {
      weights[k - 1 - first] = (weights[k - first]! * k) / ((n - k + 1) * odds);
    }
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      total += weights[i]!;
      weights[i] = total;
    }
    for (let i = 0; i < weights.length; i++) weights[i] = weights[i]! / total;
    weights[weights.length - 1] = 1;
    this.first = first;
    this.cumulative = weights;
  }

  /** One draw: the smallest k with CDF(k) > u for a uniform u. */
  sample(rng: Sfc32): number {
    return this.quantile(rng.nextDouble());
  }

  /** The smallest k with CDF(k) > u (inverse CDF; non-decreasing in u and in p). */
  quantile(u: number): number {
    const cdf = this.cumulative;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return this.first + lo;
  }
}
