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
/** After this many values, more than half of them distinct means "continuous": sort instead. */
const EARLY_CHECK_AT = 8192;
/** Integers in [0, 2^16) are tallied in a dense array (counts metrics: no hashing at all). */
const DENSE_SIZE = 65536;

/**
 * Compresses a NaN-free sample: small non-negative integers go to a dense tally, other values
 * to a hash tally (O(n) when the values repeat a lot); with too many distinct values (more than
 * max(4096, n/8), or more than half of the first 8192) it sorts and run-length encodes instead.
 */
export function compressSample(values: Float64Array): CompressedSample {
  return tallySample(values) ?? compressBySort(values);
}

/**
 * The compressed sample by tallying alone (O(n)), or undefined when the values have more than
 * max(4096, n/8) distinct values (then sorting is the better way).
 */
export function tallySample(values: Float64Array): CompressedSample | undefined {
  return new ValueTally(Math.max(HASH_LIMIT_FLOOR, values.length >>> 3)).addAll(values);
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

/** Dense tally of small integers plus an open-addressing tally keyed by the other values' bits. */
class ValueTally {
  private dense: Float64Array | undefined;
  private keys: Float64Array | undefined;
  private counts: Float64Array | undefined;
  private mask = 0;
  private distinct = 0;
  private readonly limit: number;
  private readonly scratch = new Float64Array(1);
  private readonly bits = new Uint32Array(this.scratch.buffer);

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Tallies every value; undefined once the hashed values exceed the limit. */
  addAll(values: Float64Array): CompressedSample | undefined {
    const dense = (this.dense = new Float64Array(DENSE_SIZE));
    for (let i = 0; i < values.length; i++) {
      const x = values[i]!;
      if (x >= 0 && x < DENSE_SIZE && x === Math.floor(x)) dense[x]! += 1;
      else if (!this.addHashed(x)) return undefined;
      if (i === EARLY_CHECK_AT && this.distinct > EARLY_CHECK_AT / 2) return undefined;
    }
    return this.result(values.length);
  }

  private addHashed(x: number): boolean {
    if (!this.keys) {
      let capacity = 1024;
      while (capacity < 2 * this.limit) capacity *= 2;
      this.keys = new Float64Array(capacity);
      this.counts = new Float64Array(capacity);
      this.mask = capacity - 1;
    }
    const keys = this.keys;
    const counts = this.counts!;
    this.scratch[0] = x;
    const hash = Math.imul(this.bits[0]! ^ Math.imul(this.bits[1]!, 0x9e3779b1), 0x85ebca6b);
    for (let slot = (hash >>> 7) & this.mask; ; slot = (slot + 1) & this.mask) {
      if (counts[slot] === 0) {
        if (++this.distinct > this.limit) return false;
        keys[slot] = x;
        counts[slot] = 1;
        return true;
      }
      if (keys[slot] === x) {
        counts[slot]! += 1;
        return true;
      }
    }
  }

  /** Distinct values ascending: the dense ones merged with the sorted hashed ones. */
  private result(total: number): CompressedSample {
    const hashed = this.keys ? gatherSorted(this.keys, this.counts!, this.distinct) : undefined;
    const dense = this.dense!;
    let denseCount = 0;
    for (let v = 0; v < DENSE_SIZE; v++) if (dense[v]! > 0) denseCount++;
    const size = denseCount + (hashed?.values.length ?? 0);
    const values = new Float64Array(size);
    const counts = new Float64Array(size);
    let h = 0;
    let out = 0;
    const hv = hashed?.values ?? new Float64Array(0);
    const hc = hashed?.counts ?? new Float64Array(0);
    for (let v = 0; v < DENSE_SIZE; v++) {
      if (dense[v] === 0) continue;
      for (; h < hv.length && hv[h]! < v; h++, out++) {
        values[out] = hv[h]!;
        counts[out] = hc[h]!;
      }
      values[out] = v;
      counts[out++] = dense[v]!;
    }
    for (; h < hv.length; h++, out++) {
      values[out] = hv[h]!;
      counts[out] = hc[h]!;
    }
    return { values, counts, total };
  }
}

function gatherSorted(
  keys: Float64Array,
  counts: Float64Array,
  distinct: number,
): { values: Float64Array; counts: Float64Array } {
  const order = new Uint32Array(distinct);
  let u = 0;
  for (let slot = 0; slot < keys.length; slot++) if (counts[slot]! > 0) order[u++] = slot;
  order.sort((a, b) => keys[a]! - keys[b]!);
  const sortedKeys = new Float64Array(distinct);
  const sortedCounts = new Float64Array(distinct);
  for (let i = 0; i < distinct; i++) {
    sortedKeys[i] = keys[order[i]!]!;
    sortedCounts[i] = counts[order[i]!]!;
  }
  return { values: sortedKeys, counts: sortedCounts };
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
