import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { ANALYSIS_PERIODS } from '../../../src/analysis/analysis-period.js';
import {
  PERIOD_WINDOW_DAYS,
  timeSeriesWindow,
  type TimeSeriesPeriod,
} from '../../../src/analysis/analysis-window.js';
import { dueWindow, type ExperimentTiming } from '../../../src/analysis/due-window.js';
import { EnrollmentLongerThanAnalysisError } from '../../../src/analysis/gating-errors.js';
import { addDays, daysBetween, type IsoDate } from '../../../src/analysis/iso-date.js';

/** Random experiments: start within 2018–2026, enrollment 1–60 days, ending 0–150 days later. */
const timing = fc
  .record({
    startOffset: fc.integer({ min: 0, max: 3000 }),
    enrollmentPeriod: fc.integer({ min: 1, max: 60 }),
    duration: fc.option(fc.integer({ min: 0, max: 150 }), { nil: null }),
  })
  .map(({ startOffset, enrollmentPeriod, duration }): ExperimentTiming => {
    const startDate = addDays('2018-01-01', startOffset);
    const endDate = duration === null ? null : addDays(startDate, duration);
    return {
      slug: 'prop',
      status: endDate === null ? 'Live' : 'Complete',
      startDate,
      endDate,
      enrollmentPeriod,
    };
  });

/** Every day from 40 days before the start to 250 days after it. */
function days(t: ExperimentTiming): IsoDate[] {
  const first = addDays(t.startDate!, -40);
  return Array.from({ length: 290 }, (_, i) => addDays(first, i));
}

const lastEnrollment = (t: ExperimentTiming) => addDays(t.startDate!, t.enrollmentPeriod);
const runs = { numRuns: 60 };

describe('due rule properties', () => {
  it.each(['day', 'week', 'days28'] as const)(
    'each window of %s is due exactly once, in order, when the last enrollee completes it',
    (period: TimeSeriesPeriod) => {
      fc.assert(
        fc.property(timing, (t) => {
          const due = days(t).flatMap((date) => {
            const w = dueWindow(t, period, date);
            return w === null ? [] : [{ date, ...w }];
          });
          const length = PERIOD_WINDOW_DAYS[period];
          // What the rule says, recomputed independently for every due window.
          const expected = due.map((_, i) => {
            const windowIndex = i + 1;
            const date = addDays(lastEnrollment(t), windowIndex * length - 1);
            const window = timeSeriesWindow(period, windowIndex);
            return { date, windowIndex, window, dataTo: date };
          });
          const actual = due.map(({ date, windowIndex, window, dataTo }) => ({
            date,
            windowIndex,
            window,
            dataTo,
          }));
          expect(actual).toEqual(expected);
          const lastDay = addDays(t.startDate!, 249);
          const windowsInRange = Math.floor((daysBetween(lastEnrollment(t), lastDay) + 1) / length);
          expect(due).toHaveLength(Math.max(0, windowsInRange));
        }),
        runs,
      );
    },
  );

  it('overall is due exactly once, on the end date, or raises there when enrollment is longer', () => {
    fc.assert(
      fc.property(timing, (t) => {
        const dueDates: IsoDate[] = [];
        const raisedOn: IsoDate[] = [];
        for (const date of days(t)) {
          try {
            if (dueWindow(t, 'overall', date) !== null) dueDates.push(date);
          } catch (e) {
            expect(e).toBeInstanceOf(EnrollmentLongerThanAnalysisError);
            raisedOn.push(date);
          }
        }
        if (t.endDate === null) {
          expect([dueDates, raisedOn]).toEqual([[], []]);
        } else if (daysBetween(lastEnrollment(t), t.endDate) > 0) {
          expect([dueDates, raisedOn]).toEqual([[t.endDate], []]);
        } else {
          expect([dueDates, raisedOn]).toEqual([[], [t.endDate]]);
        }
      }),
      runs,
    );
  });

  it('pre-enrollment periods are due exactly once, the day after enrollment ends', () => {
    fc.assert(
      fc.property(timing, (t) => {
        for (const period of ['preenrollment_week', 'preenrollment_days28'] as const) {
          const dueDates = days(t).filter((date) => dueWindow(t, period, date) !== null);
          expect(dueDates).toEqual([addDays(lastEnrollment(t), 1)]);
        }
      }),
      runs,
    );
  });

  it('nothing is due before enrollment ends', () => {
    fc.assert(
      fc.property(timing, (t) => {
        const before = days(t).filter((date) => daysBetween(date, lastEnrollment(t)) > 0);
        const due = before.flatMap((date) =>
          ANALYSIS_PERIODS.flatMap((period) => {
            try {
              const w = dueWindow(t, period, date);
              return w === null ? [] : [`${period} on ${date}`];
            } catch (e) {
              // An end date before E raises EnrollmentLongerThanAnalysis: nothing is due.
              if (e instanceof EnrollmentLongerThanAnalysisError) return [];
              throw e;
            }
          }),
        );
        expect(due).toEqual([]);
      }),
      runs,
    );
  });
});
