import { sampleNormal } from './normal.js';
import type { Sfc32 } from './sfc32.js';
import { sampleExponential } from './ziggurat-exponential.js';

/** Integer shapes up to this are drawn as a sum of exponentials (exact, and faster). */
const SUM_OF_EXPONENTIALS_MAX_SHAPE = 6;

/**
 * One Gamma(shape, 1) draw.
 * - Integer shapes ≤ 6: the sum of `shape` Exp(1) draws (exact).
 * - Shapes ≥ 1: Marsaglia & Tsang (2000), "A simple method for generating gamma variables":
 *   d = shape − 1/3, c = 1/√(9d); v = (1 + cZ)³ for a normal Z; accept d·v when
 *   U < 1 − 0.0331 Z⁴ (squeeze) or ln U < Z²/2 + d(1 − v + ln v).
 * - Shapes in (0, 1): Gamma(shape + 1) · U^(1/shape).
 * @throws RangeError when shape is not a positive finite number.
 */
export function sampleGamma(rng: Sfc32, shape: number): number {
  if (!(shape > 0) || !Number.isFinite(shape)) {
    throw new RangeError(`gamma shape must be positive and finite, got ${shape}`);
  }
  if (shape <= SUM_OF_EXPONENTIALS_MAX_SHAPE && Number.isInteger(shape)) {
    let sum = 0;
    for (let i = 0; i < shape; i++) sum += sampleExponential(rng);
    return sum;
  }
  if (shape < 1) {
    return marsagliaTsang(rng, shape + 1) * Math.pow(rng.nextOpenDouble(), 1 / shape);
  }
  return marsagliaTsang(rng, shape);
}

function marsagliaTsang(rng: Sfc32, shape: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = sampleNormal(rng);
    const t = 1 + c * z;
    if (t <= 0) continue;
    const v = t * t * t;
    const u = rng.nextOpenDouble();
    const z2 = z * z;
    if (u < 1 - 0.0331 * z2 * z2) return d * v;
    if (Math.log(u) < 0.5 * z2 + d * (1 - v + Math.log(v))) return d * v;
  }
}
