import { mix32 } from '../random/mix32.js';

/** Distinct (numerator, denominator) pairs with their multiplicities, in order of first sight. */
export interface CompressedPairs {
  /** Interleaved pairs [num₀, den₀, num₁, den₁, …]. */
  readonly pairs: Float64Array;
  readonly counts: Float64Array;
}

/** Hash of a pair of doubles by their bits (−0 hashed like 0). */
function pairHash(x: number, y: number, scratch: Float64Array, bits: Uint32Array): number {
  scratch[0] = x === 0 ? 0 : x;
  scratch[1] = y === 0 ? 0 : y;
  return mix32(bits[0]! ^ mix32(bits[1]! ^ mix32(bits[2]! ^ mix32(bits[3]!))));
}

/**
 * Tallies NaN-free (num, den) rows into distinct pairs, or returns undefined as soon as there
 * are more than `limit` distinct pairs (then resampling rows is cheaper).
 */
export function compressPairs(
  numerators: Float64Array,
  denominators: Float64Array,
  limit: number,
): CompressedPairs | undefined {
  let capacity = 64;
  while (capacity < 2 * Math.min(limit, numerators.length)) capacity *= 2;
  const mask = capacity - 1;
  const slots = new Int32Array(capacity).fill(-1);
  const pairs = new Float64Array(2 * Math.min(limit, numerators.length));
  const counts = new Float64Array(Math.min(limit, numerators.length));
  const scratch = new Float64Array(2);
  const bits = new Uint32Array(scratch.buffer);
  let distinct = 0;
  for (let i = 0; i < numerators.length; i++) {
    const x = numerators[i]!;
    const y = denominators[i]!;
    let slot = pairHash(x, y, scratch, bits) & mask;
    for (;;) {
      const j = slots[slot]!;
      if (j < 0) {
        if (distinct >= limit) return undefined;
        slots[slot] = distinct;
        pairs[2 * distinct] = x === 0 ? 0 : x;
        pairs[2 * distinct + 1] = y === 0 ? 0 : y;
        counts[distinct++] = 1;
        break;
      }
      if (pairs[2 * j] === x && pairs[2 * j + 1] === y) {
        counts[j]! += 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return { pairs: pairs.slice(0, 2 * distinct), counts: counts.slice(0, distinct) };
}

/** Interleaves two equal-length columns into [a₀, b₀, a₁, b₁, …]. */
export function interleave(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(2 * a.length);
  for (let i = 0; i < a.length; i++) {
    out[2 * i] = a[i]!;
    out[2 * i + 1] = b[i]!;
  }
  return out;
}
