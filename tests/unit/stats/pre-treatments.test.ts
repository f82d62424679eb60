import { describe, expect, it } from 'vitest';

import type { MetricSlice } from '../../../src/stats/index.js';
import { applyPreTreatment, applyPreTreatments } from '../../../src/stats/slice/pre-treatments.js';
import type { PreTreatmentName } from '../../../src/stats/statistic-spec.js';
import { range, run, sliceOf } from './helpers.js';

function treat(
  slice: MetricSlice,
  name: PreTreatmentName,
  params: Record<string, unknown> = {},
  column = 'value',
) {
  return applyPreTreatment(slice, column, { name, params });
}

const values = (slice: MetricSlice, column = 'value') =>
  slice.flatMap((b) => Array.from(b.columns[column]!));

describe('pre-treatments (A13)', () => {
  it('censors the highest and lowest values at pooled quantiles', () => {
    const slice = sliceOf({ a: range(5000), b: range(5000, 5000) });
    const high = treat(slice, 'censor_highest_values', { fraction: 0.9 });
    expect(values(high)).toHaveLength(9000);
    expect(Math.max(...values(high))).toBe(8999);
    expect(values(treat(slice, 'censor_lowest_values', { fraction: 0.1 }))).toHaveLength(9000);
    const one = sliceOf({ a: range(10_000) });
    expect(values(treat(one, 'censor_highest_values', { fraction: 0.9 }))).toHaveLength(9000);
    expect(values(treat(one, 'censor_highest_values'))).toHaveLength(9999);
  });

  it('censors below and above thresholds', () => {
    const slice = sliceOf({ a: [...range(150).map(() => 0.05), ...range(50).map(() => 1.1)] });
    expect(values(treat(slice, 'censor_values_below_threshold', { threshold: 0.1 }))).toHaveLength(
      50,
    );
    expect(values(treat(slice, 'censor_values_above_threshold', { threshold: 0.1 }))).toHaveLength(
      150,
    );
  });

  it('takes logarithms without dropping rows', () => {
    const out = values(treat(sliceOf({ a: range(12, -1) }), 'log'));
    expect(out).toHaveLength(12);
    expect(out.filter(Number.isNaN)).toHaveLength(1);
    expect(out.filter((x) => x === Number.NEGATIVE_INFINITY)).toHaveLength(1);
    expect(out[out.length - 1]).toBe(1);
    const natural = values(treat(sliceOf({ a: [Math.E] }), 'log', { base: null }));
    expect(natural[0]).toBeCloseTo(1, 15);
    expect(values(treat(sliceOf({ a: [8] }), 'log', { base: 2 }))[0]).toBeCloseTo(3, 14);
  });

  it('normalizes over the analysis period (configured or injected, default 1)', () => {
    const slice = sliceOf({ a: [1, 5] });
    expect(
      values(treat(slice, 'normalize_over_analysis_period', { analysis_period_length: 10 })),
    ).toEqual([0.1, 0.5]);
    const injected = applyPreTreatments(
      slice,
      ['value'],
      [{ name: 'normalize_over_analysis_period', params: {} }],
      { periodLength: 7 },
    );
    expect(values(injected)).toEqual([1 / 7, 5 / 7]);
    expect(values(treat(slice, 'normalize_over_analysis_period'))).toEqual([1, 5]);
  });

  it('zero-fills only its column; remove_nulls keeps +∞; remove_indefinites drops +∞ only', () => {
    const slice = sliceOf(
      { a: [Number.NaN, 1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY] },
      { a: { other: [Number.NaN, 2, 3, 4] } },
    );
    const filled = treat(slice, 'zero_fill');
    expect(values(filled)[0]).toBe(0);
    expect(Number.isNaN(values(filled, 'other')[0]!)).toBe(true);
    expect(values(treat(slice, 'remove_nulls'))).toEqual([
      1,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ]);
    const definite = treat(slice, 'remove_indefinites');
    expect(values(definite)).toEqual([1, Number.NEGATIVE_INFINITY]);
    expect(values(definite, 'other')).toEqual([2, 4]);
  });

  it('drops branches left without rows and applies to dependent columns too', () => {
    const slice = sliceOf({ a: [Number.NaN, Number.NaN], b: [1, 2] });
    expect(treat(slice, 'remove_nulls').map((b) => b.branch)).toEqual(['b']);
    const both = applyPreTreatments(
      sliceOf({ a: [1, 2, 3] }, { a: { num: [1, Number.NaN, 3] } }),
      ['value', 'num'],
      [{ name: 'remove_nulls', params: {} }],
    );
    expect(values(both)).toEqual([1, 3]);
  });

  it('runs a statistic on the pre-treated copy and reports bad parameters', () => {
    const slice = sliceOf({ a: [1, 2, Number.NaN], b: [3, 4] });
    const result = run('sum', slice);
    expect(result.rows.map((r) => r.point)).toEqual([3, 7]);
    const withTreatment = {
      metric: 'm',
      period: 'overall' as const,
      slice,
      statistics: [
        {
          name: 'count' as const,
          params: {},
          preTreatments: [{ name: 'remove_nulls' as const, params: {} }],
        },
      ],
    };
    expect(run('count', slice).rows.map((r) => r.point)).toEqual([3, 2]);
    expect(run('count', slice, {}, withTreatment).rows.map((r) => r.point)).toEqual([2, 2]);
    expect(Number.isNaN(slice[0]!.columns.value![2]!)).toBe(true);
    const bad = run(
      'count',
      slice,
      {},
      {
        ...withTreatment,
        statistics: [
          { name: 'count', params: {}, preTreatments: [{ name: 'log', params: { bas: 2 } }] },
        ],
      },
    );
    expect(bad.failures[0]).toMatchObject({ errorClass: 'StatisticParameterError' });
    expect(bad.failures[0]!.message).toMatch(/pre-treatment log.*bas/);
  });
});
