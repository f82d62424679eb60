import type { EffectiveExperiment } from '../experiments/effective-experiment.js';
import type { AnalysisPeriod } from './analysis-period.js';
import {
  isTimeSeriesPeriod,
  PERIOD_WINDOW_DAYS,
  preenrollmentWindow,
  timeSeriesWindow,
  type AnalysisWindow,
  type TimeSeriesPeriod,
} from './analysis-window.js';
import { EnrollmentLongerThanAnalysisError } from './gating-errors.js';
import { addDays, daysBetween, type IsoDate } from './iso-date.js';

/** The parts of an effective experiment that decide which windows are due. */
export type ExperimentTiming = Pick<
  EffectiveExperiment,
  'slug' | 'status' | 'startDate' | 'endDate' | 'enrollmentPeriod'
>;

/** A period's window that is due on a run date. */
export interface DueWindow {
  readonly period: AnalysisPeriod;
  /** 1-based; the `<n>` of `statistics_<slug>_<period>_<n>`. */
  readonly windowIndex: number;
  readonly window: AnalysisWindow;
  /**
   * First and last submission day any enrolled client's window touches:
   * [startDate + window.start, lastEnrollmentDate + window.end].
   */
  readonly dataFrom: IsoDate;
  readonly dataTo: IsoDate;
}

/**
 * Complete windows of a time-series period on `date`: floor((D − E + 1) / L), never negative
 * (mozanalysis `TimeLimits.for_ts`). A window closes only once the last enrollee has a full one.
 */
export function completeWindowCount(
  period: TimeSeriesPeriod,
  lastEnrollmentDate: IsoDate,
  date: IsoDate,
): number {
  const days = daysBetween(lastEnrollmentDate, date) + 1;
  return days <= 0 ? 0 : Math.floor(days / PERIOD_WINDOW_DAYS[period]);
}

function due(
  period: AnalysisPeriod,
  windowIndex: number,
  window: AnalysisWindow,
  startDate: IsoDate,
  lastEnrollmentDate: IsoDate,
): DueWindow {
  return {
    period,
    windowIndex,
    window,
    dataFrom: addDays(startDate, window.start),
    dataTo: addDays(lastEnrollmentDate, window.end),
  };
}

/**
 * The overall window on its end date: [0, endDate − E − 1], due only when `date` is the end date
 * and the status is Complete.
 * @throws EnrollmentLongerThanAnalysisError when endDate − E ≤ 0 (negative: jetstream's rule;
 * zero would be an empty window [0, −1], which no query can fill).
 */
function overallDueWindow(timing: ExperimentTiming, date: IsoDate, start: IsoDate, last: IsoDate) {
  if (timing.endDate !== date || timing.status !== 'Complete') return null;
  const length = daysBetween(last, timing.endDate);
  if (length <= 0) throw new EnrollmentLongerThanAnalysisError(timing.slug, last, timing.endDate);
  return due('overall', 1, { start: 0, end: length - 1 }, start, last);
}

/**
 * The window of `period` that is due on `date`, or null when none is (spec/analysis.md §2):
 * - day, week, days28: when the count of complete windows increased since yesterday;
 * - overall: on the end date, status Complete;
 * - pre-enrollment periods: on D = E + 1.
 * With no start date nothing is due (gating reports NoStartDate).
 * @throws EnrollmentLongerThanAnalysisError for `overall` when the end date is not after E.
 */
export function dueWindow(
  timing: ExperimentTiming,
  period: AnalysisPeriod,
  date: IsoDate,
): DueWindow | null {
  if (timing.startDate === null) return null;
  const start = timing.startDate;
  const last = addDays(start, timing.enrollmentPeriod);
  if (period === 'overall') return overallDueWindow(timing, date, start, last);
  if (isTimeSeriesPeriod(period)) {
    const count = completeWindowCount(period, last, date);
    if (count === 0 || count === completeWindowCount(period, last, addDays(date, -1))) return null;
    return due(period, count, timeSeriesWindow(period, count), start, last);
  }
  if (date !== addDays(last, 1)) return null;
  return due(period, 1, preenrollmentWindow(period), start, last);
}
