import { findWord } from './call-arguments.js';
import { readDatePart } from './date-part.js';
import type { FunctionRewrite } from './rewrite-context.js';

/** DuckDB text for `EXTRACT(<part> FROM x)` where BigQuery and DuckDB differ. */
const SPECIAL_PARTS: Readonly<Record<string, (x: string) => string>> = {
  DAYOFWEEK: (x) => `(dayofweek(${x}) + 1)`,
  DAYOFYEAR: (x) => `dayofyear(${x})`,
  ISOWEEK: (x) => `week(${x})`,
  ISOYEAR: (x) => `isoyear(${x})`,
  DATE: (x) => `CAST(${x} AS DATE)`,
  TIME: (x) => `CAST(${x} AS TIME)`,
  DATETIME: (x) => `CAST(${x} AS TIMESTAMP)`,
  MILLISECOND: (x) => `(millisecond(${x}) % 1000)`,
  MICROSECOND: (x) => `(microsecond(${x}) % 1000000)`,
};

const PLAIN_PARTS = new Set(['YEAR', 'QUARTER', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND']);

/**
 * `EXTRACT(part FROM x)`: BigQuery's DAYOFWEEK is 1 (Sunday) … 7, its WEEK counts Sunday-started
 * weeks (strftime `%U`), MILLISECOND/MICROSECOND are the sub-second part only.
 */
export const extract: FunctionRewrite = (call, ctx) => {
  const children = call.group.children;
  const fromAt = findWord(children, 'FROM');
  if (fromAt < 0) ctx.fail('EXTRACT without FROM', call.offset);
  if (findWord(children, 'AT', fromAt) >= 0) ctx.fail('EXTRACT … AT TIME ZONE', call.offset);
  const value = ctx.render(children.slice(fromAt + 1));
  const partNodes = children.slice(0, fromAt);
  const { part, weekStart } = readDatePart(partNodes, ctx, call.offset);
  const isoWeek = /ISOWEEK/i.test(ctx.render(partNodes));
  if (part === 'WEEK' && !isoWeek) {
    if (weekStart !== 3 && weekStart !== 4) {
      ctx.fail('EXTRACT(WEEK(<day>)) other than SUNDAY or MONDAY', call.offset);
    }
    return `CAST(strftime(${value}, '${weekStart === 3 ? '%U' : '%W'}') AS BIGINT)`;
  }
  const special = SPECIAL_PARTS[isoWeek ? 'ISOWEEK' : part];
  if (special !== undefined) return special(value);
  if (!PLAIN_PARTS.has(part)) ctx.fail(`EXTRACT(${part})`, call.offset);
  return `extract(${part.toLowerCase()} FROM ${value})`;
};
