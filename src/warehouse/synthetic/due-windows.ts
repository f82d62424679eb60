import type { AnalysisPeriod } from '../../analysis/analysis-period.js';
import { daysBetween, type IsoDate } from '../../analysis/iso-date.js';

/** One analysis window: days relative to each client's enrollment date, both ends included. */
export interface AnalysisWindowDays {
  readonly period: AnalysisPeriod;
  /** 1-based window index (1 for overall and pre-enrollment periods). */
  readonly window: number;
  readonly start: number;
  readonly end: number;
}

const TIME_SERIES_LENGTHS = [
  ['day', 1],
  ['week', 7],
  ['days28', 28],
] as const;

/**
 * The windows due on `date` for an experiment whose last enrollment date is `lastEnrollment`
 * (E = start + enrollment period) and that ends on `endDate` (null while live), following the
 * due rule of spec/analysis.md §2. Used to plan the demo date and the manifest; the analysis
 * itself has its own implementation in src/analysis.
 */
export function dueWindowsOn(
  lastEnrollment: IsoDate,
  endDate: IsoDate | null,
  date: IsoDate,
): AnalysisWindowDays[] {
  if (endDate !== null && daysBetween(endDate, date) > 0) return [];
  const elapsed = daysBetween(lastEnrollment, date) + 1;
  const due: AnalysisWindowDays[] = [];
  for (const [period, length] of TIME_SERIES_LENGTHS) {
    if (elapsed > 0 && elapsed % length === 0) {
      const n = elapsed / length;
      due.push({ period, window: n, start: length * (n - 1), end: length * n - 1 });
    }
  }
  if (endDate !== null && endDate === date) {
    const end = daysBetween(lastEnrollment, endDate) - 1;
    if (end >= 0) due.push({ period: 'overall', window: 1, start: 0, end });
  }
  if (elapsed === 2) {
    due.push({ period: 'preenrollment_week', window: 1, start: -7, end: -1 });
    due.push({ period: 'preenrollment_days28', window: 1, start: -28, end: -1 });
  }
  return due;
}

/** Every complete weekly window by `date` (week 1 .. week n), for the manifest's effects. */
export function completeWeekWindows(lastEnrollment: IsoDate, date: IsoDate): AnalysisWindowDays[] {
  const weeks = Math.floor((daysBetween(lastEnrollment, date) + 1) / 7);
  return Array.from({ length: Math.max(0, weeks) }, (_, i) => ({
    period: 'week' as const,
    window: i + 1,
    start: 7 * i,
    end: 7 * i + 6,
  }));
}
