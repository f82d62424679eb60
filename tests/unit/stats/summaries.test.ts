import { describe, expect, it } from 'vitest';

import {
  sampleQuantiles,
  summarizeComparison,
  summarizeIndividual,
} from '../../../src/stats/summary/summarize-replicates.js';

describe('replicate summaries (A15)', () => {
  it('summarizes one branch by the mean and type-7 quantiles', () => {
    const xs = Float64Array.from({ length: 1001 }, (_, i) => i / 1000);
    const [q05, q31, q95] = sampleQuantiles(xs, [0.05, 0.31, 0.95]);
    expect(Math.abs(q05! - 0.05)).toBeLessThan(1e-12);
    expect(Math.abs(q31! - 0.31)).toBeLessThan(1e-12);
    expect(Math.abs(q95! - 0.95)).toBeLessThan(1e-12);
    const summary = summarizeIndividual(xs, 0.9);
    expect(Math.abs(summary.point - 0.5)).toBeLessThan(1e-12);
    expect(Math.abs(summary.lower - 0.05)).toBeLessThan(1e-12);
  });

  it('pairs replicates by index: [6,6,6] vs [3,3,3]', () => {
    const s = summarizeComparison(Float64Array.of(6, 6, 6), Float64Array.of(3, 3, 3), 0.95);
    expect(s.relative).toEqual({ point: 1, lower: 1, upper: 1 });
    expect(s.difference).toEqual({ point: 3, lower: 3, upper: 3 });
    expect(s.probWin).toBe(1);
    expect(s.maxAbsDiff).toBe(3);
  });

  it('uses the mean of ratios, not the ratio of means, and propagates a zero reference (Q4)', () => {
    const s = summarizeComparison(Float64Array.of(2, 6), Float64Array.of(1, 3), 0.95);
    expect(s.relative.point).toBe(1);
    const jensen = summarizeComparison(Float64Array.of(2, 2), Float64Array.of(1, 4), 0.95);
    expect(jensen.relative.point).toBe((1 + -0.5) / 2);
    const zero = summarizeComparison(Float64Array.of(1, 2), Float64Array.of(0, 1), 0.95);
    expect(Number.isFinite(zero.relative.point)).toBe(false);
  });
});
