import { addDays, compareIsoDates, isIsoDate } from '../../analysis/iso-date.js';
import type { IsoDate } from '../../analysis/iso-date.js';
import type { DayWindow } from '../metric-read-spec.js';

/** The days of data a metric read may touch (mozanalysis's "data required" range). */
export interface DataRange {
  readonly first: IsoDate;
  readonly last: IsoDate;
}

/**
 * From `startDate + min(window starts)` to `startDate + enrollmentPeriod + max(window ends)`,
 * capped at the last day of data: every client's window lies inside, and no partial day beyond
 * `lastDateOfData` is ever read.
 * @throws RangeError for bad dates, period or windows.
 */
export function metricDataRange(options: {
  readonly startDate: IsoDate;
  readonly enrollmentPeriod: number;
  readonly windows: readonly DayWindow[];
  readonly lastDateOfData: IsoDate;
}): DataRange {
  const { startDate, enrollmentPeriod, windows, lastDateOfData } = options;
  if (!isIsoDate(startDate)) {
    throw new RangeError(`startDate is not a YYYY-MM-DD date: ${startDate}`);
  }
  if (!isIsoDate(lastDateOfData)) {
    throw new RangeError(`lastDateOfData is not a YYYY-MM-DD date: ${lastDateOfData}`);
  }
  if (!Number.isSafeInteger(enrollmentPeriod) || enrollmentPeriod < 0) {
    throw new RangeError(
      `enrollmentPeriod must be a whole number of days ≥ 0: ${enrollmentPeriod}`,
    );
  }
  for (const window of windows) assertWindow(window);
  const first = addDays(startDate, Math.min(...windows.map((w) => w.start)));
  const last = addDays(startDate, enrollmentPeriod + Math.max(...windows.map((w) => w.end)));
  return { first, last: compareIsoDates(last, lastDateOfData) <= 0 ? last : lastDateOfData };
}

/**
 * Checks a window: integer bounds, start ≤ end.
 * @throws RangeError naming the bad bound.
 */
export function assertWindow(window: DayWindow): void {
  if (!Number.isSafeInteger(window.start) || !Number.isSafeInteger(window.end)) {
    throw new RangeError(`window bounds must be whole days: [${window.start}, ${window.end}]`);
  }
  if (window.start > window.end) {
    throw new RangeError(`window start after end: [${window.start}, ${window.end}]`);
  }
}
