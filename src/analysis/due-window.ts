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
import { formatIsoDate, isoDateToMs, type IsoDate } from './iso-date.js';

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

const DAY_MS = 86_400_000;

/** Days since the epoch of a `YYYY-MM-DD` day (parsed once; the rule works on integers). */
function dayNumber(date: IsoDate): number {
  return Math.round(isoDateToMs(date) / DAY_MS);
}

function dayDate(day: number): IsoDate {
  return formatIsoDate(day * DAY_MS);
}

/** floor((D − E + 1) / L), never negative, with D and E as day numbers. */
function windowCount(period: TimeSeriesPeriod, last: number, day: number): number {
  const elapsed = day - last + 1;
  return elapsed <= 0 ? 0 : Math.floor(elapsed / PERIOD_WINDOW_DAYS[period]);
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
  return windowCount(period, dayNumber(lastEnrollmentDate), dayNumber(date));
}

/** Start day S, last enrollment day E and run day D of one evaluation, as day numbers. */
interface Days {
  readonly start: number;
  readonly last: number;
  readonly day: number;
}

function due(
  period: AnalysisPeriod,
  windowIndex: number,
  window: AnalysisWindow,
  days: Days,
): DueWindow {
  return {
    period,
    windowIndex,
    window,
    dataFrom: dayDate(days.start + window.start),
    dataTo: dayDate(days.last + window.end),
  };
}

/**
 * The overall window on its end date: [0, endDate − E − 1], due only when `date` is the end date
 * and the status is Complete.
 * @throws EnrollmentLongerThanAnalysisError when endDate − E ≤ 0 (negative: jetstream's rule;
 * zero would be an empty window [0, −1], which no query can fill).
 */
function overallDueWindow(timing: ExperimentTiming, date: IsoDate, days: Days): DueWindow | null {
  if (timing.endDate !== date || timing.status !== 'Complete') return null;
  const length = days.day - days.last;
  if (length <= 0) {
    throw new EnrollmentLongerThanAnalysisError(timing.slug, dayDate(days.last), timing.endDate);
  }
  return due('overall', 1, { start: 0, end: length - 1 }, days);
}

/**
 * The window of `period` that is due on `date`, or null when none is (spec/analysis.md §2):
 * - day, week, days28: when the count of complete windows increased since yesterday;
 * - overall: on the end date, status Complete;
 * - pre-enrollment periods: on D = E + 1.
 * With no start date nothing is due (gating reports NoStartDate).
 * @throws EnrollmentLongerThanAnalysisError for `overall` when the end date is not after E.
 * @throws RangeError when a date is not a `YYYY-MM-DD` day.
 */
export function dueWindow(
  timing: ExperimentTiming,
  period: AnalysisPeriod,
  date: IsoDate,
): DueWindow | null {
  if (timing.startDate === null) return null;
  const start = dayNumber(timing.startDate);
  const days: Days = { start, last: start + timing.enrollmentPeriod, day: dayNumber(date) };
  if (period === 'overall') return overallDueWindow(timing, date, days);
  if (isTimeSeriesPeriod(period)) {
    const count = windowCount(period, days.last, days.day);
    if (count === 0 || count === windowCount(period, days.last, days.day - 1)) return null;
    return due(period, count, timeSeriesWindow(period, count), days);
  }
  if (days.day !== days.last + 1) return null;
  return due(period, 1, preenrollmentWindow(period), days);
}
