import { sampleGamma } from '../random/gamma.js';
import { Sfc32, TWO_POW_MINUS_32 } from '../random/sfc32.js';
import {
  ZIGGURAT_EXP_F,
  ZIGGURAT_EXP_K,
  ZIGGURAT_EXP_R,
  ZIGGURAT_EXP_W,
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

/**
 * Σg and Σg·v over the singles with g ~ Exp(1): sfc32 and the whole ziggurat (fast path, wedge
 * and tail) inlined with the generator state in locals. Any call or state write-back inside the
 * loop makes V8 keep the state in memory, which costs about 5× on this loop.
 */
function singlesWeightedSums(
  rng: Sfc32,
  singles: Float64Array,
): { weightSum: number; dot: number } {
  const K = ZIGGURAT_EXP_K;
  const W = ZIGGURAT_EXP_W;
  const F = ZIGGURAT_EXP_F;
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
    let t = (a + b + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (((c << 21) | (c >>> 11)) + t) | 0;
    let layer = t & 255;
    let position = t >>> 8;
    let g = position * W[layer]!;
    while (position >= K[layer]!) {
      // Slow path (~2%): tail of the base layer, or the wedge test; one more word either way.
      const u = t;
      t = (a + b + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + t) | 0;
      const uniform = ((t >>> 0) + 0.5) * TWO_POW_MINUS_32;
      if ((u & 255) === 0) {
        g = ZIGGURAT_EXP_R - Math.log(uniform);
        break;
      }
      if (F[layer]! + uniform * (F[layer + 1]! - F[layer]!) < Math.exp(-g)) break;
      t = (a + b + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + t) | 0;
      layer = t & 255;
      position = t >>> 8;
      g = position * W[layer]!;
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
