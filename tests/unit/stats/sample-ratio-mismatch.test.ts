import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  SRM_P_VALUE_THRESHOLD,
  SampleRatioInputError,
  sampleRatioMismatch,
} from '../../../src/stats/sample-ratio-mismatch.js';

// Reference values from scipy 1.17.1: scipy.stats.chisquare(observed, f_exp=expected).
const SCIPY_CASES = [
  { observed: [72, 134], ratios: [1, 1], chi: 18.660194174757283, p: 1.5620981879329473e-5 },
  { observed: [500, 520, 480], ratios: [1, 1, 1], chi: 1.6, p: 0.4493289641172217 },
  { observed: [1000, 1100], ratios: [1, 1], chi: 4.761904761904762, p: 0.029096331741252267 },
  { observed: [4000, 2100, 1900], ratios: [2, 1, 1], chi: 10, p: 0.006737946999085468 },
  { observed: [4300, 1850, 1850], ratios: [50, 25, 25], chi: 45, p: 1.69189792261513e-10 },
  { observed: [10000, 10250], ratios: [1, 1], chi: 3.0864197530864197, p: 0.07894833771600115 },
  { observed: [12, 8], ratios: [1, 1], chi: 0.8, p: 0.37109336952269756 },
] as const;

describe('sampleRatioMismatch', () => {
  it.each(SCIPY_CASES)('matches scipy for $observed against $ratios', (c) => {
    const test = sampleRatioMismatch(c.observed, c.ratios)!;
    expect(test.chiSquare).toBeCloseTo(c.chi, 10);
    expect(test.degreesOfFreedom).toBe(c.observed.length - 1);
    expect(test.pValue / c.p).toBeCloseTo(1, 6);
    expect(test.mismatch).toBe(c.p < SRM_P_VALUE_THRESHOLD);
  });

  it('matches textbook critical values (p = 0.05 and 0.001)', () => {
    // χ² critical values: df 1 → 3.841 / 10.828, df 2 → 5.991 / 13.816, df 3 → 7.815 / 16.266.
    const p = (chi: number, df: number) => {
      // a two-or-more-branch input whose statistic is exactly `chi`: O = E ± d on two branches
      const e = 1e6;
      const d = Math.sqrt((chi * e) / 2);
      const observed = [e + d, e - d, ...Array<number>(df - 1).fill(e)];
      return sampleRatioMismatch(observed, Array<number>(df + 1).fill(1))!.pValue;
    };
    expect(p(3.841, 1)).toBeCloseTo(0.05, 4);
    expect(p(10.828, 1)).toBeCloseTo(0.001, 5);
    expect(p(5.991, 2)).toBeCloseTo(0.05, 4);
    expect(p(13.816, 2)).toBeCloseTo(0.001, 5);
    expect(p(7.815, 3)).toBeCloseTo(0.05, 4);
    expect(p(16.266, 3)).toBeCloseTo(0.001, 5);
  });

  it('gives exp(−χ²/2) for two degrees of freedom (closed form)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 3, maxLength: 3 }),
        (o) => {
          const test = sampleRatioMismatch(o, [1, 1, 1])!;
          expect(test.pValue).toBeCloseTo(Math.exp(-test.chiSquare / 2), 9);
        },
      ),
    );
  });

  it('reports expected counts, the total and the threshold decision', () => {
    const test = sampleRatioMismatch([300, 100], [3, 1])!;
    expect(test.expected).toEqual([300, 100]);
    expect(test.total).toBe(400);
    expect(test.chiSquare).toBe(0);
    expect(test.pValue).toBe(1);
    expect(test.mismatch).toBe(false);
    expect(sampleRatioMismatch([1000, 1100], [1, 1], 0.05)!.mismatch).toBe(true);
  });

  it('treats clients in a branch configured with ratio 0 as a certain mismatch', () => {
    const test = sampleRatioMismatch([50, 50, 3], [1, 1, 0])!;
    expect(test.chiSquare).toBe(Infinity);
    expect(test.pValue).toBe(0);
    expect(test.degreesOfFreedom).toBe(1);
    expect(sampleRatioMismatch([50, 50, 0], [1, 1, 0])!.chiSquare).toBe(0);
  });

  it('returns null when nothing can be tested', () => {
    expect(sampleRatioMismatch([0, 0], [1, 1])).toBeNull();
    expect(sampleRatioMismatch([10], [1])).toBeNull();
    expect(sampleRatioMismatch([10, 5], [1, 0])).toBeNull();
  });

  it('rejects unusable input with a message naming the value', () => {
    expect(() => sampleRatioMismatch([1, 2], [1])).toThrow(SampleRatioInputError);
    expect(() => sampleRatioMismatch([1, -2], [1, 1])).toThrow(/observed count #2.*-2/);
    expect(() => sampleRatioMismatch([1, 2], [1, Number.NaN])).toThrow(/ratio #2.*NaN/);
  });
});
