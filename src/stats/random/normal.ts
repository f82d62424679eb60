import type { Sfc32 } from './sfc32.js';

/**
 * One standard normal draw by Marsaglia's polar method: a point uniform in the unit disc, scaled
 * by √(−2 ln s / s). The second normal of the pair is discarded, so every call consumes its own
 * words and the stream position never depends on earlier calls.
 */
export function sampleNormal(rng: Sfc32): number {
  for (;;) {
    const u = 2 * rng.nextDouble() - 1;
    const v = 2 * rng.nextDouble() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}
