import { sampleMultinomial } from '../random/multinomial.js';
import { Sfc32 } from '../random/sfc32.js';
import { blockRange, type ResampleRatioTask } from './replicate-task.js';

/** Row counts up to this use the inlined single-word Lemire draw (32 × 21 bits stay exact). */
const INLINE_INDEX_MAX_ROWS = 2097152;

/**
 * Replicates of one block of a percentile bootstrap of a ratio of means, Σnum / Σden over a
 * resample of the rows with replacement (each client's pair stays together), written to
 * out[start..end).
 */
export function resampleRatioBlock(
  task: ResampleRatioTask,
  block: number,
  out: Float64Array,
): void {
  const rng = Sfc32.forBlock(task.seed, block);
  const { start, end } = blockRange(task, block);
  if (task.counts) {
    multinomialReplicates(rng, task.pairs, task.counts, start, end, out);
  } else {
    const tally = new Uint16Array(task.pairs.length / 2);
    for (let r = start; r < end; r++) out[r] = indexResampleRatio(rng, task.pairs, tally);
  }
}

function multinomialReplicates(
  rng: Sfc32,
  pairs: Float64Array,
  counts: Float64Array,
  start: number,
  end: number,
  out: Float64Array,
): void {
  let total = 0;
  for (let j = 0; j < counts.length; j++) total += counts[j]!;
  const drawn = new Float64Array(counts.length);
  for (let r = start; r < end; r++) {
    sampleMultinomial(rng, total, counts, drawn);
    let num = 0;
    let den = 0;
    for (let j = 0; j < drawn.length; j++) {
      const k = drawn[j]!;
      num += k * pairs[2 * j]!;
      den += k * pairs[2 * j + 1]!;
    }
    out[r] = num / den;
  }
}

/**
 * One replicate: n uniform row indices (Lemire's unbiased multiply-and-reject), tallied in
 * `tally` (reset here) and then summed in one sequential pass. Tallying keeps the random
 * accesses inside a small 16-bit array that stays in cache, instead of gathering from the pairs.
 * A count that wrapped around 2^16 is detected (the counts no longer add up to n) and the
 * replicate is redone from the same generator state with 32-bit counts.
 */
function indexResampleRatio(
  rng: Sfc32,
  pairs: Float64Array,
  tally: Uint16Array | Uint32Array,
): number {
  const n = pairs.length / 2;
  const saved = rng.state.slice();
  drawRowCounts(rng, n, tally);
  let num = 0;
  let den = 0;
  let drawn = 0;
  for (let i = 0; i < n; i++) {
    const k = tally[i]!;
    drawn += k;
    num += k * pairs[2 * i]!;
    den += k * pairs[2 * i + 1]!;
  }
  if (drawn !== n) {
    rng.state.set(saved);
    return indexResampleRatio(rng, pairs, new Uint32Array(n));
  }
  return num / den;
}

/** Adds n uniform row draws in [0, n) to `tally` (after zeroing it). */
function drawRowCounts(rng: Sfc32, n: number, tally: Uint16Array | Uint32Array): void {
  tally.fill(0);
  if (n > INLINE_INDEX_MAX_ROWS) {
    for (let i = 0; i < n; i++) tally[rng.nextBelow(n)]!++;
    return;
  }
  const threshold = (4294967296 - n) % n;
  const state = rng.state;
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  for (let i = 0; i < n;) {
    // sfc32 step (this exact form keeps V8 in 32-bit integer arithmetic).
    const t = (a + b + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (((c << 21) | (c >>> 11)) + t) | 0;
    const m = (t >>> 0) * n;
    const row = Math.floor(m * 2.3283064365386963e-10);
    if (m - row * 4294967296 < threshold) continue;
    tally[row]!++;
    i++;
  }
  state[0] = a;
  state[1] = b;
  state[2] = c;
  state[3] = d;
}
