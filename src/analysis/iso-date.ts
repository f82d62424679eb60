/**
 * Calendar dates as ISO `YYYY-MM-DD` strings, with UTC day arithmetic.
 *
 * Every date in contrail (experiment start and end, run dates, submission dates) is a calendar
 * day in UTC. Keeping them as strings makes them safe to put in job payloads and SQL parameters;
 * these helpers do the arithmetic without ever reading the clock.
 */

/** A calendar day in UTC, formatted `YYYY-MM-DD`. */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** True when `value` is a real calendar day written `YYYY-MM-DD`. */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return formatIsoDate(ms) === value;
}

/**
 * Milliseconds since the epoch at UTC midnight of `date`.
 * @throws RangeError when `date` is not a valid `YYYY-MM-DD` day.
 */
export function isoDateToMs(date: IsoDate): number {
  if (!isIsoDate(date)) throw new RangeError(`not a date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

/** The UTC calendar day containing the instant `ms`. */
export function formatIsoDate(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `date` shifted by `days` (negative moves back). */
export function addDays(date: IsoDate, days: number): IsoDate {
  return formatIsoDate(isoDateToMs(date) + days * DAY_MS);
}

/** Whole days from `from` to `to` (`to − from`); negative when `to` is earlier. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((isoDateToMs(to) - isoDateToMs(from)) / DAY_MS);
}

/** Lexicographic order equals calendar order for ISO days; this names the intent. */
export function compareIsoDates(a: IsoDate, b: IsoDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
