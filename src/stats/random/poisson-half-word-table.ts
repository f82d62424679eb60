import type { Sfc32 } from './sfc32.js';

/** Buckets of the table: one per 16-bit half of a 32-bit word. */
const BUCKETS = 65536;
/** Below this pmf the remaining tail (< 1e-17) joins the last tabulated value. */
const TAIL_PMF = 1e-17;
/** Marks a bucket that straddles a CDF step (or a value beyond the Int8 range). */
export const POISSON_AMBIGUOUS = -1;

/**
 * Poisson(λ) draws from 16 random bits at a time, by inversion: X = min{k : U < CDF(k)}.
 *
 * `byHalf[h]` is the k that every U in [h/2^16, (h+1)/2^16) inverts to, or
 * {@link POISSON_AMBIGUOUS} when a CDF step falls inside the bucket (about 8 of the 65,536 buckets
 * for λ ≤ 1). A kernel takes two draws from one 32-bit word by table look-ups and resolves an
 * ambiguous half with {@link PoissonHalfWordTable.resolve}, which appends 32 more random bits: the
 * draws are exact inversions of a 48-bit uniform, so exact for any practical purpose.
 */
export class PoissonHalfWordTable {
  /** The mean λ. */
  readonly mean: number;
  /** The k of each 16-bit bucket, or {@link POISSON_AMBIGUOUS}. */
  readonly byHalf: Int8Array;
  /** CDF(0), CDF(1), …; the last entry is exactly 1 (it absorbs a tail below 1e-17). */
  private readonly cdf: Float64Array;

  /** @throws RangeError when λ is not in [0, 16] (the table is for small means). */
  constructor(mean: number) {
    if (!(mean >= 0 && mean <= 16)) {
      throw new RangeError(`Poisson mean must be in [0, 16], got ${mean}`);
    }
    this.mean = mean;
    this.cdf = poissonCdf(mean);
    this.byHalf = new Int8Array(BUCKETS);
    let k = 0;
    for (let h = 0; h < BUCKETS; h++) {
      const lo = h / BUCKETS;
      while (!(lo < this.cdf[k]!)) k++;
      this.byHalf[h] = (h + 1) / BUCKETS <= this.cdf[k]! && k <= 127 ? k : POISSON_AMBIGUOUS;
    }
  }

  /** The draw of 16-bit half `half` (0 ≤ half < 2^16), drawing 32 more bits from `rng` if needed. */
  resolve(half: number, rng: Sfc32): number {
    const known = this.byHalf[half]!;
    if (known !== POISSON_AMBIGUOUS) return known;
    const u = (half + (rng.nextUint32() + 0.5) * 2 ** -32) / BUCKETS;
    let k = 0;
    while (!(u < this.cdf[k]!)) k++;
    return k;
  }
}

/** CDF(k) for k = 0… until the pmf drops below {@link TAIL_PMF}; the last entry is set to 1. */
function poissonCdf(mean: number): Float64Array {
  const values: number[] = [];
  let pmf = Math.exp(-mean);
  let cdf = 0;
  for (let k = 0; ; k++) {
    if (k > 0) pmf *= mean / k;
    cdf += pmf;
    values.push(cdf);
    if (k >= mean && pmf < TAIL_PMF) break;
  }
  values[values.length - 1] = 1;
  return Float64Array.from(values);
}
