/**
 * Axis ticks at "nice" steps (1, 2 or 5 × 10^k) inside [min, max], about `count` of them, always
 * including 0 when the range spans it.
 * @throws RangeError when min ≥ max or a bound is not finite.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || min >= max) {
    throw new RangeError(`niceTicks needs finite min < max, got [${min}, ${max}]`);
  }
  const raw = (max - min) / Math.max(1, count - 1);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const residual = raw / magnitude;
  const step =
    (residual >= 7.07 ? 10 : residual >= 3.16 ? 5 : residual >= 1.41 ? 2 : 1) * magnitude;
  const ticks: number[] = [];
  for (let i = Math.ceil(min / step - 1e-9); i * step <= max + step * 1e-9; i++) {
    // rounding to the step's decimals keeps 0.30000000000000004 out of labels
    const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
    // (and, where the step is near the doubles' resolution, rounding must not leave the range)
    const rounded = Number((i * step).toFixed(decimals)) + 0;
    ticks.push(Math.min(max, Math.max(min, rounded)));
  }
  return ticks;
}
