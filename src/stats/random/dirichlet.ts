import { sampleGamma } from './gamma.js';
import type { Sfc32 } from './sfc32.js';

/**
 * One Dirichlet(α₁..α_k) draw into `out` (same length as `alphas`): independent
 * g_j ~ Gamma(α_j, 1), normalized by their sum.
 */
export function sampleDirichlet(rng: Sfc32, alphas: ArrayLike<number>, out: Float64Array): void {
  let sum = 0;
  for (let j = 0; j < alphas.length; j++) {
    const g = sampleGamma(rng, alphas[j]!);
    out[j] = g;
    sum += g;
  }
  for (let j = 0; j < alphas.length; j++) out[j] = out[j]! / sum;
}
