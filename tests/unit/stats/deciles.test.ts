import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { DECILE_LABELS } from '../../../src/stats/statistics/deciles.js';
import { findRow, range, run, sliceOf } from './helpers.js';

describe('deciles conformance (B5)', () => {
  const slice = sliceOf({ control: range(100, 1), treatment: range(100, 2, 2) });
  const { rows, failures } = run('deciles', slice, {}, { referenceBranch: 'control' });
  const relativePoints = [
    1.179942, 1.08, 1.046667, 1.03, 1.02, 1.013333, 1.008571, 1.005, 1.002222,
  ];
  const controlCi = [
    [5, 17],
    [13, 29],
    [22, 40],
    [31, 50],
    [41, 60],
    [51, 70],
    [61, 79],
    [72, 88],
    [84, 96],
  ];

  it('labels the nine deciles "0.1" … "0.9" and gives 9 rows per (branch, comparison)', () => {
    expect(failures).toEqual([]);
    expect(DECILE_LABELS).toEqual(['0.1', '0.2', '0.3', '0.4', '0.5', '0.6', '0.7', '0.8', '0.9']);
    expect(rows).toHaveLength(9 * (2 + 2));
  });

  it.each(DECILE_LABELS.map((label, d) => [label, d] as const))('decile %s', (label, d) => {
    const q = (d + 1) / 10;
    const control = findRow(rows, { branch: 'control', comparison: null, parameter: label });
    expect(Math.abs(control.point! - (99 * q + 1))).toBeLessThanOrEqual(0.2);
    expect(Math.abs(control.lower! - controlCi[d]![0]!)).toBeLessThanOrEqual(2);
    expect(Math.abs(control.upper! - controlCi[d]![1]!)).toBeLessThanOrEqual(2);
    const treatment = findRow(rows, { branch: 'treatment', comparison: null, parameter: label });
    expect(Math.abs(treatment.point! - 2 * (99 * q + 1))).toBeLessThanOrEqual(0.4);
    const difference = findRow(rows, {
      branch: 'treatment',
      comparison: 'difference',
      parameter: label,
    });
    expect(Math.abs(difference.point! - (99 * q + 1))).toBeLessThanOrEqual(0.3);
    const relative = findRow(rows, {
      branch: 'treatment',
      comparison: 'relative_uplift',
      parameter: label,
    });
    expect(Math.abs(relative.point! - relativePoints[d]!)).toBeLessThanOrEqual(0.03);
  });

  it('has the median comparison intervals of the mean-of-ratios rule', () => {
    const difference = findRow(rows, {
      branch: 'treatment',
      comparison: 'difference',
      parameter: '0.5',
    });
    expect(Math.abs(difference.lower! - 29)).toBeLessThanOrEqual(2);
    expect(Math.abs(difference.upper! - 72)).toBeLessThanOrEqual(2);
    const relative = findRow(rows, {
      branch: 'treatment',
      comparison: 'relative_uplift',
      parameter: '0.5',
    });
    expect(Math.abs(relative.lower! - 0.5172)).toBeLessThanOrEqual(0.03);
    expect(Math.abs(relative.upper! - 1.6364)).toBeLessThanOrEqual(0.03);
  });

  it('7: decile points are non-decreasing in q', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 300 }),
        (values) => {
          const points = run('deciles', sliceOf({ a: values }), { num_samples: 200 }).rows.map(
            (r) => r.point!,
          );
          points.forEach(
            (p, i) =>
              i > 0 && expect(p).toBeGreaterThanOrEqual(points[i - 1]! - 1e-9 * Math.abs(p)),
          );
        },
      ),
      { numRuns: 40 },
    );
  });
});
