import { describe, expect, it } from 'vitest';

import {
  clientCounts,
  distinctValues,
  metricResults,
} from '../../../../src/board/results/metric-results.js';
import { comparedRows, identityRows, statRow } from './statistics-rows.js';

const BRANCHES = ['control', 'treatment-a', 'treatment-b'];
const ROWS = [
  ...identityRows({ control: 100, 'treatment-a': 98, 'treatment-b': 103 }),
  ...identityRows({ control: 40, 'treatment-a': 41, 'treatment-b': 39 }, 'us'),
  ...comparedRows('uri_count', BRANCHES),
  ...comparedRows('active_hours', BRANCHES, { statistic: 'deciles', parameter: '0.9' }),
  ...comparedRows('active_hours', BRANCHES, { statistic: 'deciles', parameter: '0.1' }),
  ...comparedRows('active_hours', BRANCHES),
  ...comparedRows('active_hours', BRANCHES, { segment: 'us', effect: 0.3 }),
  statRow({ metric: 'active_hours', statistic: 'count', branch: 'control', point: 100 }),
];

describe('metricResults', () => {
  const slice = { segment: 'all', basis: 'enrollments' as const, reference: 'control' };
  const results = metricResults(ROWS, slice, ['active_hours', 'uri_count'], BRANCHES);

  it('orders metrics by config order and leaves the identity counts out', () => {
    expect(results.map((r) => r.metric)).toEqual(['active_hours', 'uri_count']);
  });

  it('compares every other branch with the reference only, once per statistic', () => {
    const active = results[0]!;
    expect(active.comparisons.map((c) => `${c.statistic}${c.parameter ?? ''}/${c.branch}`)).toEqual(
      [
        'mean/treatment-a',
        'mean/treatment-b',
        'deciles0.1/treatment-a',
        'deciles0.1/treatment-b',
        'deciles0.9/treatment-a',
        'deciles0.9/treatment-b',
      ],
    );
    const first = active.comparisons[0]!;
    expect(first.relative).toMatchObject({ point: 0.1, lower: 0.05, upper: 0.15000000000000002 });
    expect(first.difference).toMatchObject({ point: 1 });
  });

  it('keeps the slice: another segment and another reference change the comparisons', () => {
    const us = metricResults(ROWS, { ...slice, segment: 'us' }, [], BRANCHES);
    expect(us.map((r) => r.metric)).toEqual(['active_hours']);
    expect(us[0]!.comparisons.map((c) => c.relative?.point)).toEqual([0.3, 0.3]);
    const againstB = metricResults(ROWS, { ...slice, reference: 'treatment-b' }, [], BRANCHES);
    const uri = againstB.find((r) => r.metric === 'uri_count')!;
    expect(uri.comparisons.map((c) => [c.branch, c.relative?.point])).toEqual([
      ['control', -0.1],
      ['treatment-a', -0.1],
    ]);
  });

  it('lists statistics without parameter first, then parameters in numeric order', () => {
    expect(results[0]!.statistics).toEqual([
      { statistic: 'mean', parameter: null },
      { statistic: 'count', parameter: null },
      { statistic: 'deciles', parameter: '0.1' },
      { statistic: 'deciles', parameter: '0.9' },
    ]);
    expect(results[0]!.values.filter((v) => v.statistic === 'mean').map((v) => v.branch)).toEqual(
      BRANCHES,
    );
  });
});

describe('clientCounts and distinctValues', () => {
  it('reads the identity counts of one segment and basis', () => {
    expect(Object.fromEntries(clientCounts(ROWS, 'us', 'enrollments'))).toEqual({
      control: 40,
      'treatment-a': 41,
      'treatment-b': 39,
    });
    expect(clientCounts(ROWS, 'all', 'exposures').size).toBe(0);
  });

  it('lists distinct values in order of appearance', () => {
    expect(distinctValues(ROWS, 'segment')).toEqual(['all', 'us']);
    expect(distinctValues(ROWS, 'branch')).toEqual(BRANCHES);
  });
});
