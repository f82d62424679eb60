import { sampleGamma } from '../random/gamma.js';
import { Sfc32 } from '../random/sfc32.js';
import {
  ZIGGURAT_EXP_K,
  ZIGGURAT_EXP_W,
  exponentialSlowPath,
} from '../random/ziggurat-exponential.js';
import { blockRange, type BayesianBootstrapTask } from './replicate-task.js';

/**
 * Replicates of one block of a Bayesian bootstrap (Rubin 1981) of the mean, written to
 * out[start..end): s = Σ g_j v_j / Σ g_j with g_j ~ Gamma(c_j, 1), i.e. Dirichlet(c) weights over
 * the distinct values (= Dirichlet(1, …, 1) over the rows, by aggregation).
 *
 * The singles loop is the hot path (~3 ns per weight): sfc32 and the ziggurat fast path are
 * inlined with the generator state in locals; the rare slow path syncs the state back.
 */
export function bayesianBootstrapBlock(
  task: BayesianBootstrapTask,
  block: number,
  out: Float64Array,
): void {
  const rng = Sfc32.forBlock(task.seed, block);
  const { start, end } = blockRange(task, block);
  for (let r = start; r < end; r++) {
    const singles = singlesWeightedSums(rng, task.singles);
    let weightSum = singles.weightSum;
    let dot = singles.dot;
    const values = task.values;
    const counts = task.counts;
    for (let j = 0; j < values.length; j++) {
      const g = sampleGamma(rng, counts[j]!);
      weightSum += g;
      dot += g * values[j]!;
    }
    out[r] = dot / weightSum;
  }
}

/** Reused result holder of {@link singlesWeightedSums} (no allocation per replicate). */
const sums = { weightSum: 0, dot: 0 };

function singlesWeightedSums(
  rng: Sfc32,
  singles: Float64Array,
): { weightSum: number; dot: number } {
  const K = ZIGGURAT_EXP_K;
  const W = ZIGGURAT_EXP_W;
  const state = rng.state;
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let weightSum = 0;
  let dot = 0;
  const n = singles.length;
  for (let j = 0; j < n; j++) {
    // sfc32 step (this exact form keeps V8 in 32-bit integer arithmetic).
    const t = (a + b + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (((c << 21) | (c >>> 11)) + t) | 0;
    const layer = t & 255;
    const position = t >>> 8;
    let g: number;
    if (position < K[layer]!) {
      g = position * W[layer]!;
    } else {
      state[0] = a;
      state[1] = b;
      state[2] = c;
      state[3] = d;
      g = exponentialSlowPath(rng, t >>> 0);
      a = state[0]!;
      b = state[1]!;
      c = state[2]!;
      d = state[3]!;
    }
    weightSum += g;
    dot += g * singles[j]!;
  }
  state[0] = a;
  state[1] = b;
  state[2] = c;
  state[3] = d;
  sums.weightSum = weightSum;
  sums.dot = dot;
  return sums;
}
