import type { Sfc32 } from './sfc32.js';

/** Bits of a bucket index: a kernel reads two of them from one 32-bit word (bits 0–11, 16–27). */
export const POISSON_BUCKET_BITS = 12;
/** Buckets of the table. */
export const POISSON_BUCKETS = 1 << POISSON_BUCKET_BITS;
/** Mask of a bucket index. */
export const POISSON_BUCKET_MASK = POISSON_BUCKETS - 1;
/** Below this pmf the remaining tail (< 1e-17) joins the last tabulated value. */
const TAIL_PMF = 1e-17;
/** Marks a bucket that straddles a CDF step. */
export const POISSON_AMBIGUOUS = -1;

/**
 * Poisson(λ) draws from 12 random bits at a time, by inversion: X = min{k : U < CDF(k)}.
 *
 * `byBucket[h]` is the k that every U in [h/2^12, (h+1)/2^12) inverts to, or
 * {@link POISSON_AMBIGUOUS} when a CDF step falls inside the bucket (about 7 of the 4,096 buckets
 * for λ ≤ 1). A kernel takes two draws from one 32-bit word by table look-ups and resolves an
 * ambiguous bucket with {@link PoissonBucketTable.resolve}, which appends 32 more random bits: the
 * draws are exact inversions of a 44-bit uniform, so exact for any practical purpose.
 *
 * The counts are stored as doubles (32 KB, within a first-level cache): the hot loop multiplies
 * them with the values without an integer-to-double conversion.
 */
export class PoissonBucketTable {
  /** The mean λ. */
  readonly mean: number;
  /** The k of each bucket, or {@link POISSON_AMBIGUOUS}. */
  readonly byBucket: Float64Array;
  /** CDF(0), CDF(1), …; the last entry is exactly 1 (it absorbs a tail below 1e-17). */
  private readonly cdf: Float64Array;

  /** @throws RangeError when λ is not in [0, 16] (the table is for small means). */
  constructor(mean: number) {
    if (!(mean >= 0 && mean <= 16)) {
      throw new RangeError(`Poisson mean must be in [0, 16], got ${mean}`);
    }
    this.mean = mean;
    this.cdf = poissonCdf(mean);
    this.byBucket = new Float64Array(POISSON_BUCKETS);
    let k = 0;
    for (let h = 0; h < POISSON_BUCKETS; h++) {
      const lo = h / POISSON_BUCKETS;
      while (!(lo < this.cdf[k]!)) k++;
      this.byBucket[h] = (h + 1) / POISSON_BUCKETS <= this.cdf[k]! ? k : POISSON_AMBIGUOUS;
    }
  }

  /** The draw of bucket `bucket` (0 ≤ bucket < 2^12), drawing 32 more bits from `rng` if needed. */
  resolve(bucket: number, rng: Sfc32): number {
    const known = this.byBucket[bucket]!;
    if (known !== POISSON_AMBIGUOUS) return known;
    const u = (bucket + (rng.nextUint32() + 0.5) * 2 ** -32) / POISSON_BUCKETS;
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
