/**
 * `DATE_ADD(<dateExpression>, INTERVAL (<days>) DAY)`: a day shifted by a whole number of days.
 * The parenthesised count parses in BigQuery and DuckDB alike, negative or not.
 * @throws RangeError when `days` is not a safe integer (it is interpolated, so it must be one).
 */
export function dayOffset(dateExpression: string, days: number): string {
  if (!Number.isSafeInteger(days)) throw new RangeError(`day offset must be an integer: ${days}`);
  if (days === 0) return dateExpression;
  return `DATE_ADD(${dateExpression}, INTERVAL (${days}) DAY)`;
}

/** `CAST(@name AS DATE)`: a date parameter (dates are bound as `YYYY-MM-DD` strings). */
export function dateParam(name: string): string {
  return `CAST(@${name} AS DATE)`;
}
