import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { ANALYSIS_PERIODS } from '../../../../src/analysis/analysis-period.js';
import { dueWindow, type ExperimentTiming } from '../../../../src/analysis/due-window.js';
import { addDays } from '../../../../src/analysis/iso-date.js';
import { periodStatuses } from '../../../../src/board/results/period-status.js';
import type { StatisticsTable } from '../../../../src/board/results/statistics-table.js';
import { windowRunDate } from '../../../../src/board/results/window-run-date.js';

function table(period: StatisticsTable['period'], windowIndex: number): StatisticsTable {
  return {
    name: `statistics_x_${period}_${windowIndex}`,
    period,
    windowIndex,
    lastUpdated: 1,
    rows: 1,
  };
}

describe('windowRunDate', () => {
  it('is the date on which the due rule makes that window due', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 120 }),
        fc.constantFrom(...ANALYSIS_PERIODS),
        fc.integer({ min: 1, max: 20 }),
        (startOffset, enrollmentPeriod, duration, period, n) => {
          const startDate = addDays('2018-01-01', startOffset);
          const lastEnrollmentDate = addDays(startDate, enrollmentPeriod);
          const endDate = addDays(lastEnrollmentDate, duration);
          const timing: ExperimentTiming = {
            slug: 'prop',
            status: 'Complete',
            startDate,
            endDate,
            enrollmentPeriod,
          };
          const windowIndex = period === 'day' || period === 'week' || period === 'days28' ? n : 1;
          const date = windowRunDate({ lastEnrollmentDate, endDate }, period, windowIndex)!;
          const due = dueWindow(timing, period, date);
          expect(due?.windowIndex).toBe(windowIndex);
          if (period !== 'overall') {
            expect(dueWindow(timing, period, addDays(date, -1))?.windowIndex).not.toBe(windowIndex);
          }
        },
      ),
    );
  });

  it('is null without a last enrollment date', () => {
    expect(windowRunDate({ lastEnrollmentDate: null, endDate: null }, 'week', 1)).toBeNull();
  });
});

describe('periodStatuses', () => {
  const experiment = {
    status: 'Live' as const,
    endDate: null,
    lastEnrollmentDate: '2026-02-16',
  };

  it('lists done windows, the one due on the date and the missed ones', () => {
    // E = 02-16: week n is due on 02-16 − 1 + 7n → week 2 on 03-01, day 14 on 03-01
    const statuses = periodStatuses({
      tables: [table('week', 1), table('day', 3), table('day', 4)],
      experiment,
      configuredPeriods: ['day', 'week', 'overall', 'preenrollment_week'],
      date: '2026-03-01',
    });
    expect(statuses.map((s) => s.period)).toEqual(['preenrollment_week', 'day', 'week', 'overall']);
    const byPeriod = Object.fromEntries(statuses.map((s) => [s.period, s]));
    expect(byPeriod['week']).toMatchObject({ done: [1], expected: 2, due: 2, missed: [] });
    expect(byPeriod['day']).toMatchObject({ done: [3, 4], expected: 14, due: 14 });
    expect(byPeriod['day']!.missed).toEqual([1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(byPeriod['preenrollment_week']).toMatchObject({ done: [], due: null, missed: [1] });
    expect(byPeriod['overall']).toMatchObject({ expected: 0, due: null, missed: [] });
  });

  it('expects overall only once a complete experiment reached its end date', () => {
    const complete = {
      status: 'Complete' as const,
      endDate: '2026-03-01',
      lastEnrollmentDate: '2026-02-09',
    };
    const input = { tables: [], experiment: complete, configuredPeriods: ['overall' as const] };
    expect(periodStatuses({ ...input, date: '2026-02-28' })[0]).toMatchObject({ expected: 0 });
    expect(periodStatuses({ ...input, date: '2026-03-01' })[0]).toMatchObject({
      expected: 1,
      due: 1,
    });
  });

  it('shows only the tables present when the experiment or its config is unknown', () => {
    const statuses = periodStatuses({
      tables: [table('week', 2)],
      experiment: null,
      configuredPeriods: null,
      date: '2026-03-01',
    });
    expect(statuses).toEqual([{ period: 'week', done: [2], expected: 0, due: null, missed: [] }]);
  });
});
