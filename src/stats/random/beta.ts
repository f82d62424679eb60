import { sampleGamma } from './gamma.js';
import type { Sfc32 } from './sfc32.js';

/** One Beta(a, b) draw as X/(X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
export function sampleBeta(rng: Sfc32, a: number, b: number): number {
  const x = sampleGamma(rng, a);
  const y = sampleGamma(rng, b);
  return x / (x + y);
}
