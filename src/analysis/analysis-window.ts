import type { AnalysisPeriod } from './analysis-period.js';

/**
 * An analysis window: an inclusive range of days relative to **each client's own** enrollment
 * date (day 0 is the enrollment day; negative days are before it). spec/analysis.md §2.
 */
export interface AnalysisWindow {
  /** First day, relative to enrollment. */
  readonly start: number;
  /** Last day (inclusive), relative to enrollment. */
  readonly end: number;
}

/** Periods whose windows repeat. */
export type TimeSeriesPeriod = 'day' | 'week' | 'days28';

/** Periods whose single window ends the day before enrollment. */
export type PreenrollmentPeriod = 'preenrollment_week' | 'preenrollment_days28';

/** Window length L in days of each time-series and pre-enrollment period. */
export const PERIOD_WINDOW_DAYS = {
  day: 1,
  week: 7,
  days28: 28,
  preenrollment_week: 7,
  preenrollment_days28: 28,
} as const satisfies Record<Exclude<AnalysisPeriod, 'overall'>, number>;

/** True for day, week and days28. */
export function isTimeSeriesPeriod(period: AnalysisPeriod): period is TimeSeriesPeriod {
  return period === 'day' || period === 'week' || period === 'days28';
}

/** Window n (1-based) of a time-series period: [L(n−1), Ln − 1]. */
export function timeSeriesWindow(period: TimeSeriesPeriod, windowIndex: number): AnalysisWindow {
  if (!Number.isSafeInteger(windowIndex) || windowIndex < 1) {
    throw new RangeError(`window index must be a positive integer, got ${windowIndex}`);
  }
  const length = PERIOD_WINDOW_DAYS[period];
  return { start: length * (windowIndex - 1), end: length * windowIndex - 1 };
}

/** The single window of a pre-enrollment period: [−L, −1]. */
export function preenrollmentWindow(period: PreenrollmentPeriod): AnalysisWindow {
  return { start: -PERIOD_WINDOW_DAYS[period], end: -1 };
}

/** Days in a window (the divisor of `normalize_over_analysis_period`). */
export function windowLength(window: AnalysisWindow): number {
  return window.end - window.start + 1;
}
