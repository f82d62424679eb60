import { describe, expect, it } from 'vitest';

import type { AnalysisPeriod } from '../../../src/analysis/analysis-period.js';
import { windowLength } from '../../../src/analysis/analysis-window.js';
import { dueWindow } from '../../../src/analysis/due-window.js';
import { EnrollmentLongerThanAnalysisError } from '../../../src/analysis/gating-errors.js';
import { addDays } from '../../../src/analysis/iso-date.js';
import { makeEffective } from '../experiments/experiment-factory.js';

/** spec §2 example: start 12-01, enrollmentEndDate 12-07 → enrollment period 7, E = 12-08. */
const example = makeEffective({
  startDate: '2020-12-01',
  enrollmentEndDate: '2020-12-07',
  endDate: '2021-02-01',
  status: 'Complete',
});

/** The first date from `from` on which `period` is due, and its window. */
function firstDue(period: AnalysisPeriod, from = '2020-11-01') {
  for (let date = from, i = 0; i < 400; i += 1, date = addDays(date, 1)) {
    const due = dueWindow(example, period, date);
    if (due !== null) return { date, ...due };
  }
  return null;
}

describe('dueWindow: the worked example of spec §2', () => {
  it('has E = 12-08', () => {
    expect(example.lastEnrollmentDate).toBe('2020-12-08');
  });

  it('day_1 = 12-08, pre-enrollment = 12-09, week_1 = 12-14, days28_1 = 01-04', () => {
    expect(firstDue('day')).toMatchObject({ date: '2020-12-08', windowIndex: 1 });
    expect(firstDue('preenrollment_week')).toMatchObject({ date: '2020-12-09', windowIndex: 1 });
    expect(firstDue('preenrollment_days28')).toMatchObject({ date: '2020-12-09', windowIndex: 1 });
    expect(firstDue('week')).toMatchObject({ date: '2020-12-14', windowIndex: 1 });
    expect(firstDue('days28')).toMatchObject({ date: '2021-01-04', windowIndex: 1 });
  });

  it('gives the windows of the table of spec §2', () => {
    expect(dueWindow(example, 'day', '2020-12-10')?.window).toEqual({ start: 2, end: 2 });
    expect(dueWindow(example, 'week', '2020-12-21')).toMatchObject({
      windowIndex: 2,
      window: { start: 7, end: 13 },
    });
    expect(dueWindow(example, 'days28', '2021-02-01')).toMatchObject({
      windowIndex: 2,
      window: { start: 28, end: 55 },
    });
    expect(dueWindow(example, 'preenrollment_week', '2020-12-09')?.window).toEqual({
      start: -7,
      end: -1,
    });
    expect(dueWindow(example, 'preenrollment_days28', '2020-12-09')?.window).toEqual({
      start: -28,
      end: -1,
    });
  });

  it('is not due between windows', () => {
    expect(dueWindow(example, 'week', '2020-12-15')).toBeNull();
    expect(dueWindow(example, 'day', '2020-12-07')).toBeNull();
    expect(dueWindow(example, 'preenrollment_week', '2020-12-10')).toBeNull();
  });

  it('reports the data range every enrollee of the window needs', () => {
    // Window 2 of week: days 7..13 after enrollment; clients enrolled 12-01 .. 12-08.
    expect(dueWindow(example, 'week', '2020-12-21')).toMatchObject({
      dataFrom: '2020-12-08',
      dataTo: '2020-12-21',
    });
    expect(dueWindow(example, 'preenrollment_week', '2020-12-09')).toMatchObject({
      dataFrom: '2020-11-24',
      dataTo: '2020-12-07',
    });
  });
});

describe('dueWindow: overall', () => {
  it('is due only on the end date of a Complete experiment, over [0, end − E − 1]', () => {
    const overall = dueWindow(example, 'overall', '2021-02-01');
    expect(overall).toMatchObject({ windowIndex: 1, window: { start: 0, end: 54 } });
    expect(overall?.dataTo).toBe('2021-01-31');
    expect(windowLength(overall!.window)).toBe(55);
    expect(dueWindow(example, 'overall', '2021-01-31')).toBeNull();
    expect(dueWindow(example, 'overall', '2021-02-02')).toBeNull();
  });

  it('is never due while the experiment is Live', () => {
    const live = makeEffective({ endDate: '2021-02-01', status: 'Live' });
    expect(dueWindow(live, 'overall', '2021-02-01')).toBeNull();
  });

  it('raises EnrollmentLongerThanAnalysis when the end date is not after E', () => {
    for (const endDate of ['2020-12-05', '2020-12-08']) {
      const short = makeEffective({ endDate, status: 'Complete' });
      expect(() => dueWindow(short, 'overall', endDate)).toThrow(EnrollmentLongerThanAnalysisError);
    }
    const oneDay = makeEffective({ endDate: '2020-12-09', status: 'Complete' });
    expect(dueWindow(oneDay, 'overall', '2020-12-09')?.window).toEqual({ start: 0, end: 0 });
  });

  it('has nothing due without a start date', () => {
    const noStart = makeEffective({ startDate: null });
    expect(dueWindow(noStart, 'day', '2020-12-08')).toBeNull();
  });
});
