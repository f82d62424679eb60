import { addDays, formatIsoDate, type IsoDate } from '../../analysis/iso-date.js';

/** The days a page is computed for. */
export interface ResultsDays {
  /** The current UTC day (decides Live vs Complete). */
  readonly today: IsoDate;
  /** The last day with complete data: yesterday, what the daily run analyses. */
  readonly date: IsoDate;
  /** When the page was built (ISO instant). */
  readonly generatedAt: string;
}

/** Today and yesterday (UTC) of the injected clock. */
export function resultsDays(now: Date): ResultsDays {
  const today = formatIsoDate(now.getTime());
  return { today, date: addDays(today, -1), generatedAt: now.toISOString() };
}
