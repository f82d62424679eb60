import { describe, expect, it } from 'vitest';

import {
  ResultsQueryError,
  defaultTable,
  resolveSlice,
  selectTable,
  windowKey,
} from '../../../../src/board/results/results-selection.js';
import {
  parseStatisticsTableName,
  statisticsTablesOf,
  type StatisticsTable,
} from '../../../../src/board/results/statistics-table.js';
import type { TableInfo } from '../../../../src/warehouse/table-info.js';

function info(name: string, lastUpdated = '1772416800'): TableInfo {
  return {
    name,
    kind: name.startsWith('statistics_') ? 'statistics' : 'enrollments',
    labels: { last_updated: lastUpdated },
    description: 'x',
    rows: 10,
  };
}

describe('statistics tables of an experiment', () => {
  it('parses period and window, and never takes another experiment’s table', () => {
    expect(parseStatisticsTableName('my-exp', 'statistics_my_exp_week_12')).toEqual({
      period: 'week',
      windowIndex: 12,
    });
    expect(parseStatisticsTableName('my-exp', 'statistics_my_exp_preenrollment_days28_1')).toEqual({
      period: 'preenrollment_days28',
      windowIndex: 1,
    });
    // `my-exp` is a prefix of `my-exp-2`: its tables are not `my-exp`'s
    expect(parseStatisticsTableName('my-exp', 'statistics_my_exp_2_week_1')).toBeNull();
    expect(parseStatisticsTableName('my-exp', 'statistics_my_exp_week_0')).toBeNull();
    expect(parseStatisticsTableName('my-exp', 'enrollments_my_exp')).toBeNull();
  });

  it('keeps the statistics tables with their last update', () => {
    const tables = statisticsTablesOf('my-exp', [
      info('enrollments_my_exp'),
      info('statistics_my_exp_week_2'),
      info('statistics_my_exp_2_week_1'),
      info('statistics_my_exp_day_7', 'junk'),
    ]);
    expect(tables.map((t) => [t.name, t.lastUpdated])).toEqual([
      ['statistics_my_exp_day_7', null],
      ['statistics_my_exp_week_2', 1772416800],
    ]);
  });
});

describe('window and slice selection', () => {
  const tables: StatisticsTable[] = ['day_7', 'week_1', 'week_2', 'preenrollment_week_1'].map(
    (suffix) => {
      const parsed = parseStatisticsTableName('x', `statistics_x_${suffix}`)!;
      return { name: `statistics_x_${suffix}`, ...parsed, lastUpdated: null, rows: 1 };
    },
  );

  it('opens on overall, else the latest week, and finds a window by key', () => {
    expect(windowKey(defaultTable(tables)!)).toBe('week_2');
    expect(windowKey(defaultTable(tables.filter((t) => t.period === 'day'))!)).toBe('day_7');
    expect(defaultTable([])).toBeNull();
    expect(selectTable(tables, 'week_1')?.name).toBe('statistics_x_week_1');
    expect(() => selectTable(tables, 'week_9')).toThrow(
      'unknown window "week_9": expected one of day_7, week_1, week_2, preenrollment_week_1',
    );
  });

  it('defaults to segment all, enrollments and the reference branch, and rejects unknown values', () => {
    const options = {
      segments: ['all', 'us'],
      bases: ['enrollments', 'exposures'] as const,
      branches: ['control', 'treatment'],
    };
    expect(resolveSlice({}, options, 'control')).toEqual({
      segment: 'all',
      basis: 'enrollments',
      reference: 'control',
    });
    expect(resolveSlice({ reference: 'treatment', basis: 'exposures' }, options, null)).toEqual({
      segment: 'all',
      basis: 'exposures',
      reference: 'treatment',
    });
    expect(resolveSlice({}, options, 'gone').reference).toBe('control');
    const error = (() => {
      try {
        resolveSlice({ segment: '<b>' }, options, null);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ResultsQueryError);
    expect((error as ResultsQueryError).parameter).toBe('segment');
    expect((error as Error).message).toBe('unknown segment "<b>": expected one of all, us');
  });
});
