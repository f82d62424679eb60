import { describe, expect, it } from 'vitest';

import { dataSourceFixture } from '../../helpers/data-source-fixture.js';
import { metricsParts } from '../../../src/warehouse/metrics-table/metrics-parts.js';
import {
  metricsTableDescription,
  parseMetricsTableDescription,
} from '../../../src/warehouse/metrics-table/metrics-table-description.js';
import { orderByRowIndex } from '../../../src/warehouse/metrics-table/order-by-row-index.js';
import {
  covariateSuffix,
  type MetricsTableSpec,
} from '../../../src/warehouse/metrics-table-spec.js';

const metric = (name: string, ds: string) => ({
  name,
  selectExpression: `SUM(${name})`,
  dataSource: dataSourceFixture(ds),
});

describe('orderByRowIndex', () => {
  it('scatters every column into row_index order', () => {
    const ordered = orderByRowIndex({
      rows: 4,
      columns: [
        new Float64Array([3, 1, 4, 2]),
        new Uint16Array([30, 10, 40, 20]),
        new Uint8Array([0, 1, 1, 0]),
      ],
    });
    expect([...ordered.columns[0]!]).toEqual([1, 2, 3, 4]);
    expect([...ordered.columns[1]!]).toEqual([10, 20, 30, 40]);
    expect([...ordered.columns[2]!]).toEqual([1, 0, 0, 1]);
    expect(ordered.columns[1]).toBeInstanceOf(Uint16Array);
  });

  it('returns columns already in order as they are', () => {
    const typed = { rows: 3, columns: [new Float64Array([1, 2, 3]), new Float64Array([5, 6, 7])] };
    expect(orderByRowIndex(typed)).toBe(typed);
  });

  it('refuses a row_index that is not a permutation of 1..n', () => {
    for (const bad of [
      [1, 1, 3],
      [0, 1, 2],
      [1, 2, 4],
      [1, 2.5, 3],
      [1, Number.NaN, 3],
    ]) {
      expect(() => orderByRowIndex({ rows: 3, columns: [new Float64Array(bad)] })).toThrow(
        /not a permutation of 1..3/,
      );
    }
  });
});

describe('metrics table parts and description', () => {
  const spec = {
    metrics: [metric('a', 'clients_daily'), metric('b', 'search'), metric('c', 'clients_daily')],
    covariates: [
      { window: { start: -7, end: -1 }, metrics: [metric('a', 'clients_daily')] },
      { window: { start: -28, end: -1 }, metrics: [metric('b', 'search')] },
    ],
    window: { start: 7, end: 13 },
  } as unknown as MetricsTableSpec;

  it('builds the parts of a shared scan from its slices and columns, not the table alone', () => {
    const slices = [
      { basis: 'enrollments', period: 'week', windowIndex: 2, window: { start: 7, end: 13 } },
      { basis: 'exposures', period: 'day', windowIndex: 14, window: { start: 13, end: 13 } },
    ] as const;
    const shared = {
      ...spec,
      scan: {
        slices,
        metrics: [metric('a', 'clients_daily'), metric('z', 'events')],
        covariates: [{ window: { start: -7, end: -1 }, metrics: [metric('z', 'events')] }],
      },
    } as MetricsTableSpec;
    const parts = metricsParts(shared);
    expect(parts.map((p) => `${p.role}:${p.dataSource}${p.suffix}:${p.slices.length}`)).toEqual([
      'analysis:clients_daily:2',
      'analysis:events:2',
      'covariate:events_pre:0',
    ]);
    expect(parts[0]!.slices).toBe(slices);
  });

  it('makes one analysis part per data source and one covariate part per window and source', () => {
    const parts = metricsParts(spec).map(
      (p) => `${p.role}:${p.dataSource}${p.suffix}:${p.metrics.map((m) => m.name).join('+')}`,
    );
    expect(parts).toEqual([
      'analysis:clients_daily:a+c',
      'analysis:search:b',
      'covariate:clients_daily_pre:a',
      'covariate:search_pre28:b',
    ]);
    expect(covariateSuffix({ start: -7, end: -1 })).toBe('_pre');
    expect(covariateSuffix({ start: -28, end: -1 })).toBe('_pre28');
  });

  it('records the branches in index order in the description, and refuses other descriptions', () => {
    const text = metricsTableDescription({ experiment: 'x', branches: ['control', 'treatment'] });
    expect(parseMetricsTableDescription('t', text)).toEqual({
      experiment: 'x',
      branches: ['control', 'treatment'],
    });
    for (const bad of ['x', '', '{"experiment":"x"}', '{"experiment":"x","branches":[1]}']) {
      expect(() => parseMetricsTableDescription('t', bad)).toThrow(/t is not a metrics table/);
    }
  });
});
