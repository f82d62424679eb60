import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { runReplicateTask } from '../../../src/stats/index.js';
import { summarizeComparison } from '../../../src/stats/summary/summarize-replicates.js';
import { expectEstimate, findRow, run, sliceOf } from './helpers.js';

const binary = (k: number, n: number) => Array.from({ length: n }, (_, i) => (i < k ? 1 : 0));

describe('binomial conformance', () => {
  it('A6: exact Beta posterior rows for 3/10 and 5/10', () => {
    const { rows } = run('binomial', sliceOf({ treatment: binary(3, 10), control: binary(5, 10) }));
    expectEstimate(
      findRow(rows, { branch: 'treatment', comparison: null }),
      [0.3333333333, 0.1092634438, 0.6097425596],
      1e-7,
    );
    expectEstimate(
      findRow(rows, { branch: 'control', comparison: null }),
      [0.5, 0.2337935977, 0.7662064023],
      1e-7,
    );
  });

  it('A7: exact Beta posterior rows for 100/1000 and 120/1000', () => {
    const { rows } = run(
      'binomial',
      sliceOf({ control: binary(100, 1000), treatment: binary(120, 1000) }),
    );
    expectEstimate(
      findRow(rows, { branch: 'control', comparison: null }),
      [0.1007984032, 0.0829363985, 0.1201691299],
      1e-7,
    );
    expectEstimate(
      findRow(rows, { branch: 'treatment', comparison: null }),
      [0.120758483, 0.1013234196, 0.1416269997],
      1e-7,
    );
  });

  it('B1: Monte Carlo comparisons of 3/10 against 5/10', () => {
    const { rows } = run(
      'binomial',
      sliceOf({ treatment: binary(3, 10), control: binary(5, 10) }),
      {},
      { referenceBranch: 'control' },
    );
    const t = { branch: 'treatment', comparison_to_branch: 'control' };
    expectEstimate(
      findRow(rows, { ...t, comparison: 'difference' }),
      [-0.1666667, -0.526326, 0.215474],
      [0.008, 0.018, 0.021],
    );
    expectEstimate(
      findRow(rows, { ...t, comparison: 'relative_uplift' }),
      [-0.2666667, -0.796936, 0.738959],
      [0.017, 0.016, 0.1],
    );
    const b = runReplicateTask({ kind: 'beta', replicates: 10_000, seed: 3, alpha: 4, beta: 8 });
    const r = runReplicateTask({ kind: 'beta', replicates: 10_000, seed: 4, alpha: 6, beta: 6 });
    expect(Math.abs(summarizeComparison(b, r, 0.95).probWin - 0.1935)).toBeLessThan(
      4 * Math.sqrt((0.19 * 0.81) / 10_000),
    );
  });

  it('B2: Monte Carlo comparisons of 120/1000 against 100/1000', () => {
    const { rows } = run(
      'binomial',
      sliceOf({ control: binary(100, 1000), treatment: binary(120, 1000) }),
      {},
      { referenceBranch: 'control' },
    );
    const t = { branch: 'treatment', comparison_to_branch: 'control' };
    expectEstimate(
      findRow(rows, { ...t, comparison: 'difference' }),
      [0.0199601, -0.0074707, 0.0474697],
      [6e-4, 1.5e-3, 1.5e-3],
    );
    expectEstimate(
      findRow(rows, { ...t, comparison: 'relative_uplift' }),
      [0.2087924, -0.0653604, 0.5408382],
      [6e-3, 0.013, 0.021],
    );
  });

  it('applies the configured confidence interval to every row (decision §0.2)', () => {
    const { rows } = run(
      'binomial',
      sliceOf({ treatment: binary(3, 10), control: binary(5, 10) }),
      { confidence_interval: 0.8 },
    );
    expect(rows.every((r) => r.ci_width === 0.8 && r.lower !== null && r.upper !== null)).toBe(
      true,
    );
    const narrow = findRow(rows, { branch: 'control', comparison: null });
    expect(narrow.lower!).toBeGreaterThan(0.2337935977);
  });

  it('rejects non-binary data and nulls with the row', () => {
    const result = run('binomial', sliceOf({ a: [0, 1, 0.5], b: [0, 1] }));
    expect(result.rows).toEqual([]);
    expect(result.failures[0]).toMatchObject({
      statistic: 'binomial',
      errorClass: 'NonBinaryDataError',
    });
    expect(result.failures[0]!.message).toMatch(/0\.5.*branch 'a', row 3/);
    expect(run('binomial', sliceOf({ a: [0, Number.NaN], b: [1] })).failures[0]!.message).toMatch(
      /null/,
    );
  });

  it('5: lower < (k+1)/(n+2) < upper', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, f) => {
          const k = Math.floor(f * n);
          const row = run('binomial', sliceOf({ a: binary(k, n) })).rows[0]!;
          const mean = (k + 1) / (n + 2);
          expect(row.point).toBeCloseTo(mean, 12);
          expect(row.lower!).toBeLessThan(mean);
          expect(row.upper!).toBeGreaterThan(mean);
        },
      ),
      { numRuns: 100 },
    );
  });
});
