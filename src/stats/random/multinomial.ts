import { sampleBinomial } from './binomial.js';
import type { Sfc32 } from './sfc32.js';

/**
 * One Multinomial(n, counts/Σcounts) draw into `out` by conditional binomials: cell j gets
 * Binomial(n − drawn so far, counts_j / Σ_{i≥j} counts_i); the last non-empty cell takes the rest.
 * With integer `counts` summing to N and n = N this is exactly the cell tally of an ordinary
 * bootstrap resample of N rows, in O(cells) time.
 */
export function sampleMultinomial(
  rng: Sfc32,
  n: number,
  counts: ArrayLike<number>,
  out: Float64Array,
): void {
  let remainingWeight = 0;
  for (let j = 0; j < counts.length; j++) remainingWeight += counts[j]!;
  let remaining = n;
  for (let j = 0; j < counts.length; j++) {
    const weight = counts[j]!;
    if (remaining === 0 || weight <= 0) {
      out[j] = 0;
    } else if (weight >= remainingWeight) {
      out[j] = remaining;
      remaining = 0;
    } else {
      const k = sampleBinomial(rng, remaining, weight / remainingWeight);
      out[j] = k;
      remaining -= k;
    }
    remainingWeight -= weight;
  }
}
