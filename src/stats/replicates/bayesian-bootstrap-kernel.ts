import { sampleGamma } from '../random/gamma.js';
import { Sfc32 } from '../random/sfc32.js';
import {
  exponentialSlowPath,
  ZIGGURAT_EXP_K,
  ZIGGURAT_EXP_W,
  ZIGGURAT_LAYER_BITS,
  ZIGGURAT_LAYER_MASK,
} from '../random/ziggurat-exponential.js';
import { blockRange, type BayesianBootstrapTask } from './replicate-task.js';

/**
 * Replicates of one block of a Bayesian bootstrap (Rubin 1981) of the mean, written to
 * out[start..end): s = Σ g_j v_j / Σ g_j with g_j ~ Gamma(c_j, 1), i.e. Dirichlet(c) weights over
 * the distinct values (= Dirichlet(1, …, 1) over the rows, by aggregation).
 *
 * Values seen once get Exp(1) weights, drawn exactly as consecutive `sampleExponential` calls
 * would; repeated values get a Gamma(count) draw each.
 */
export function bayesianBootstrapBlock(
  task: BayesianBootstrapTask,
  block: number,
  out: Float64Array,
): void {
  const rng = Sfc32.forBlock(task.seed, block);
  const { start, end } = blockRange(task, block);
  const values = task.values;
  const counts = task.counts;
  for (let r = start; r < end; r++) {
    const singles = exponentialWeightedSums(rng, task.singles);
    let weightSum = singles.weightSum;
    let dot = singles.dot;
    for (let j = 0; j < values.length; j++) {
      const g = sampleGamma(rng, counts[j]!);
      weightSum += g;
      dot += g * values[j]!;
    }
    out[r] = dot / weightSum;
  }
}

/**
 * Module-local copies of the ziggurat tables: V8 embeds a module's own constant typed arrays in
 * optimized code, but reloads and rechecks an imported binding (about 1.5 ns per weight here).
 */
const LAYER_MASK = ZIGGURAT_LAYER_MASK;
const LAYER_BITS = ZIGGURAT_LAYER_BITS;
const K = Int32Array.from(ZIGGURAT_EXP_K);
const W = Float64Array.from(ZIGGURAT_EXP_W);

/**
 * Sums written by {@link exponentialWeightedSums} and {@link fastPathSums}, and the word that
 * stopped the latter (no allocation per call).
 */
const sums = { weightSum: 0, dot: 0, missWord: 0 };

/**
 * Σg and Σg·v over `values` with g ~ Exp(1): runs of the fast path, and the ziggurat's slow path
 * for each word that missed it (0.64% of words). The draws are those of a plain loop over
 * `sampleExponential` (the sums are added run by run). The returned object is reused by the next
 * call.
 */
export function exponentialWeightedSums(
  rng: Sfc32,
  values: Float64Array,
): { readonly weightSum: number; readonly dot: number } {
  let weightSum = 0;
  let dot = 0;
  for (let j = 0; j < values.length;) {
    j = fastPathSums(rng.state, values, j);
    weightSum += sums.weightSum;
    dot += sums.dot;
    if (j < values.length) {
      const g = exponentialSlowPath(rng, sums.missWord >>> 0);
      weightSum += g;
      dot += g * values[j]!;
      j++;
    }
  }
  sums.weightSum = weightSum;
  sums.dot = dot;
  return sums;
}

/**
 * The hot loop (~3 ns per weight): Σg and Σg·v over values[from..), with sfc32 and the
 * ziggurat's fast path inlined and the generator state in locals, until the end or the first word
 * that misses the fast test. Writes the sums (and the missing word) to {@link sums} and the state
 * back, and returns the index of the missing value (or values.length). Nothing in the loop calls
 * or stores, which lets V8 keep most of it in registers; sfc32's counter word is derived from j
 * to free one more, and the sums start from literal zeros (starting from a number argument makes
 * V8 box every partial sum).
 */
function fastPathSums(state: Int32Array, values: Float64Array, from: number): number {
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  // The counter word before the draw for values[j] is counterBase + j.
  const counterBase = (state[3]! - from) | 0;
  let ws = 0;
  let wv = 0;
  let missWord = 0;
  const n = values.length;
  let j = from;
  for (; j < n; j++) {
    // sfc32 step (this exact form keeps V8 in 32-bit integer arithmetic).
    const t = (a + b + ((counterBase + j) | 0)) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (((c << 21) | (c >>> 11)) + t) | 0;
    const layer = t & LAYER_MASK;
    const position = t >>> LAYER_BITS;
    if (position >= K[layer]!) {
      missWord = t;
      break;
    }
    const g = position * W[layer]!;
    ws += g;
    wv += g * values[j]!;
  }
  // The missing word was drawn too: the counter is one past it.
  const drawn = j < n ? j + 1 : j;
  state[0] = a;
  state[1] = b;
  state[2] = c;
  state[3] = (counterBase + drawn) | 0;
  sums.weightSum = ws;
  sums.dot = wv;
  sums.missWord = missWord;
  return j;
}
