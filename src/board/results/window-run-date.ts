import type { AnalysisPeriod } from '../../analysis/analysis-period.js';
import { PERIOD_WINDOW_DAYS, isTimeSeriesPeriod } from '../../analysis/analysis-window.js';
import { addDays, type IsoDate } from '../../analysis/iso-date.js';
import type { EffectiveExperiment } from '../../experiments/effective-experiment.js';

/**
 * The run date on which a window first becomes due (the inverse of the due rule of
 * spec/analysis.md §2), which is the date in its job ids:
 * - day, week, days28 window n: D = E − 1 + n·L (the first D with ⌊(D − E + 1)/L⌋ = n);
 * - pre-enrollment periods: D = E + 1;
 * - overall: the end date.
 * @returns null without a last enrollment date (or an end date for `overall`).
 */
export function windowRunDate(
  experiment: Pick<EffectiveExperiment, 'lastEnrollmentDate' | 'endDate'>,
  period: AnalysisPeriod,
  windowIndex: number,
): IsoDate | null {
  const last = experiment.lastEnrollmentDate;
  if (last === null) return null;
  if (period === 'overall') return experiment.endDate;
  if (isTimeSeriesPeriod(period)) {
    return addDays(last, windowIndex * PERIOD_WINDOW_DAYS[period] - 1);
  }
  return addDays(last, 1);
}
