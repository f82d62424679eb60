import { lerp, quantilePosition } from './quantile.js';

/**
 * A sample reduced to its distinct values (ascending) with their multiplicities. Metrics that
 * are counts have few distinct values, so statistics over the compressed form cost O(distinct)
 * instead of O(rows).
 */
export interface CompressedSample {
  /** Distinct values, ascending; −0 is stored as 0. */
  readonly values: Float64Array;
  /** Multiplicity of each value (positive integers). */
  readonly counts: Float64Array;
  /** Number of rows, Σ counts. */
  readonly total: number;
}

/** Hashing gives up (and sorts instead) once the distinct values exceed max(4096, rows/8). */
const HASH_LIMIT_FLOOR = 4096;

/**
 * Compresses a NaN-free sample: a hash tally when the values repeat a lot (O(n)), a sort and
 * run-length pass otherwise (O(n log n)).
 */
export function compressSample(values: Float64Array): CompressedSample {
  const limit = Math.max(HASH_LIMIT_FLOOR, values.length >>> 3);
  return compressByHash(values, limit) ?? compressBySort(values);
}

function compressBySort(values: Float64Array): CompressedSample {
  const sorted = values.slice().sort();
  const distinct = new Float64Array(sorted.length);
  const counts = new Float64Array(sorted.length);
  let u = -1;
  for (let i = 0; i < sorted.length; i++) {
    const x = sorted[i]!;
    if (u >= 0 && distinct[u] === x) {
      counts[u]! += 1;
    } else {
      u++;
      distinct[u] = x === 0 ? 0 : x;
      counts[u] = 1;
    }
  }
  return { values: distinct.slice(0, u + 1), counts: counts.slice(0, u + 1), total: values.length };
}

/** Open-addressing tally keyed by the value's bits; undefined when there are too many keys. */
function compressByHash(values: Float64Array, limit: number): CompressedSample | undefined {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  let capacity = 1024;
  while (capacity < 2 * Math.min(limit, values.length)) capacity *= 2;
  const mask = capacity - 1;
  const keys = new Float64Array(capacity);
  const counts = new Float64Array(capacity);
  let distinct = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    let slot =
      x === 0
        ? 0
        : (Math.imul(bits[2 * i]! ^ Math.imul(bits[2 * i + 1]!, 0x9e3779b1), 0x85ebca6b) >>> 7) &
          mask;
    for (;;) {
      if (counts[slot] === 0) {
        if (++distinct > limit) return undefined;
        keys[slot] = x === 0 ? 0 : x;
        counts[slot] = 1;
        break;
      }
      if (keys[slot] === x) {
        counts[slot]! += 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return gatherSorted(keys, counts, distinct, values.length);
}

function gatherSorted(
  keys: Float64Array,
  counts: Float64Array,
  distinct: number,
  total: number,
): CompressedSample {
  const order = new Uint32Array(distinct);
  let u = 0;
  for (let slot = 0; slot < keys.length; slot++) if (counts[slot]! > 0) order[u++] = slot;
  const sortedKeys = new Float64Array(distinct);
  order.sort((a, b) => keys[a]! - keys[b]!);
  const sortedCounts = new Float64Array(distinct);
  for (let i = 0; i < distinct; i++) {
    sortedKeys[i] = keys[order[i]!]!;
    sortedCounts[i] = counts[order[i]!]!;
  }
  return { values: sortedKeys, counts: sortedCounts, total };
}

/** The value at 0-based rank `rank` of the full (uncompressed) sample, via the counts. */
function valueAtRank(sample: CompressedSample, rank: number): number {
  let seen = 0;
  for (let i = 0; i < sample.values.length; i++) {
    seen += sample.counts[i]!;
    if (rank < seen) return sample.values[i]!;
  }
  return Number.NaN;
}

/** Type-7 quantile of the full sample that `sample` compresses (same result as on the rows). */
export function quantileCompressed(sample: CompressedSample, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${p}`);
  if (sample.total === 0) return Number.NaN;
  const { index, fraction } = quantilePosition(sample.total, p);
  const a = valueAtRank(sample, index);
  if (index + 1 >= sample.total) return a;
  return lerp(a, valueAtRank(sample, index + 1), fraction);
}

/** The sample with every value above `cap` replaced by `cap` (merged into one distinct value). */
export function capCompressed(sample: CompressedSample, cap: number): CompressedSample {
  if (!(sample.values[sample.values.length - 1]! > cap)) return sample;
  let keep = 0;
  while (keep < sample.values.length && sample.values[keep]! < cap) keep++;
  if (keep === sample.values.length) return sample;
  let merged = 0;
  for (let i = keep; i < sample.values.length; i++) merged += sample.counts[i]!;
  const values = new Float64Array(keep + 1);
  const counts = new Float64Array(keep + 1);
  values.set(sample.values.subarray(0, keep));
  counts.set(sample.counts.subarray(0, keep));
  values[keep] = cap;
  counts[keep] = merged;
  return { values, counts, total: sample.total };
}
