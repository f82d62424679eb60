import {
  allArguments,
  argument,
  expectArity,
  renamed,
  stringLiteral,
  template,
} from './call-arguments.js';
import { readDatePart, translateTimeFormat } from './date-part.js';
import { extract } from './extract-rewrite.js';
import { quoteDuckDbString } from './render-duckdb-sql.js';
import type { CallSite, FunctionRewrite, RewriteContext } from './rewrite-context.js';

const DAY_OR_LONGER = new Set(['DAY', 'MONTH', 'QUARTER', 'YEAR', 'ISOYEAR']);
const SHORTER_THAN_DAY = new Set(['MICROSECOND', 'MILLISECOND', 'SECOND', 'MINUTE', 'HOUR']);

/**
 * `DATE_DIFF(a, b, part)` / `DATETIME_DIFF`: the number of `part` boundaries between b and a
 * (BigQuery's argument order is end first). Weeks start on Sunday unless `WEEK(<day>)`.
 */
function boundaryDiff(type: 'DATE' | 'TIMESTAMP'): FunctionRewrite {
  return (call, ctx) => {
    expectArity(call, ctx, 3);
    const [a, b] = allArguments(call, ctx);
    const { part, weekStart } = readDatePart(call.args[2], ctx, call.offset);
    if (part === 'WEEK') {
      return `bq_week_diff(CAST(${a} AS DATE), CAST(${b} AS DATE), ${weekStart})`;
    }
    const allowed = DAY_OR_LONGER.has(part) || (type === 'TIMESTAMP' && SHORTER_THAN_DAY.has(part));
    if (!allowed) ctx.fail(`${call.name} by ${part}`, call.offset);
    const castType = DAY_OR_LONGER.has(part) ? 'DATE' : 'TIMESTAMP';
    return `date_diff('${part.toLowerCase()}', CAST(${b} AS ${castType}), CAST(${a} AS ${castType}))`;
  };
}

/** `TIMESTAMP_DIFF(a, b, part)`: whole parts elapsed from b to a (truncated, not boundaries). */
const timestampDiff: FunctionRewrite = (call, ctx) => {
  expectArity(call, ctx, 3);
  const [a, b] = allArguments(call, ctx);
  const { part } = readDatePart(call.args[2], ctx, call.offset);
  if (!SHORTER_THAN_DAY.has(part) && part !== 'DAY') {
    ctx.fail(`TIMESTAMP_DIFF by ${part}`, call.offset);
  }
  return `date_sub('${part.toLowerCase()}', CAST(${b} AS TIMESTAMP), CAST(${a} AS TIMESTAMP))`;
};

/** `DATE_ADD(d, INTERVAL n part)` / `DATE_SUB`: a DATE again (DuckDB's date ± interval is a TIMESTAMP). */
function dateShift(op: '+' | '-', type: 'DATE' | 'TIMESTAMP'): FunctionRewrite {
  return (call, ctx) => {
    expectArity(call, ctx, 2);
    const [value, interval] = allArguments(call, ctx);
    const shifted = `CAST(${value} AS ${type}) ${op} ${interval}`;
    return type === 'DATE' ? `CAST(${shifted} AS DATE)` : `(${shifted})`;
  };
}

/** `DATE(ts)`, `DATE(ts, tz)`, `DATE(y, m, d)`. */
const date: FunctionRewrite = (call, ctx) => {
  expectArity(call, ctx, 1, 3);
  const args = allArguments(call, ctx);
  if (args.length === 3) return `make_date(${args.join(', ')})`;
  if (args.length === 2) {
    return `CAST(timezone(${args[1]}, CAST(${args[0]} AS TIMESTAMPTZ)) AS DATE)`;
  }
  return `CAST(${args[0]} AS DATE)`;
};

/** `DATETIME(x)`, `DATETIME(date, time)`, `DATETIME(ts, tz)`, `DATETIME(y, m, d, h, mi, s)`. */
const datetime: FunctionRewrite = (call, ctx) => {
  expectArity(call, ctx, 1, 6);
  const args = allArguments(call, ctx);
  if (args.length === 6) return `make_timestamp(${args.join(', ')})`;
  if (args.length !== 1 && args.length !== 2) {
    ctx.fail(`DATETIME with ${args.length} arguments`, call.offset);
  }
  if (args.length === 1) return `CAST(${args[0]} AS TIMESTAMP)`;
  const second = stringLiteral(call.args[1]);
  if (second !== undefined) return `timezone(${args[1]}, CAST(${args[0]} AS TIMESTAMPTZ))`;
  return `(CAST(${args[0]} AS DATE) + CAST(${args[1]} AS TIME))`;
};

/** `TIMESTAMP(x)` and `TIMESTAMP(local, tz)`: naive UTC timestamps (the prelude sets TimeZone UTC). */
const timestamp: FunctionRewrite = (call, ctx) => {
  expectArity(call, ctx, 1, 2);
  const [value, zone] = allArguments(call, ctx);
  if (zone === undefined) return `CAST(${value} AS TIMESTAMP)`;
  return `CAST(timezone(${zone}, CAST(${value} AS TIMESTAMP)) AS TIMESTAMP)`;
};

/** A strftime/strptime format argument: literals get BigQuery-only elements translated. */
function formatArgument(call: CallSite, ctx: RewriteContext, index: number): string {
  const literal = stringLiteral(call.args[index]);
  if (literal === undefined) return argument(call, ctx, index);
  return quoteDuckDbString(translateTimeFormat(literal, ctx, call.offset));
}

/** `FORMAT_DATE(f, d)` / `FORMAT_DATETIME` / `FORMAT_TIMESTAMP(f, ts[, tz])` → `strftime(x, f)`. */
function formatTime(type: 'DATE' | 'TIMESTAMP'): FunctionRewrite {
  return (call, ctx) => {
    expectArity(call, ctx, 2, 3);
    const value = `CAST(${argument(call, ctx, 1)} AS ${type})`;
    const zoned =
      call.args.length === 3
        ? `timezone(${argument(call, ctx, 2)}, CAST(${value} AS TIMESTAMPTZ))`
        : value;
    return `strftime(${zoned}, ${formatArgument(call, ctx, 0)})`;
  };
}

/** `PARSE_DATE(f, s)` / `PARSE_DATETIME` / `PARSE_TIMESTAMP` → `strptime(s, f)`. */
function parseTime(type: 'DATE' | 'TIMESTAMP'): FunctionRewrite {
  return (call, ctx) => {
    expectArity(call, ctx, 2);
    return `CAST(strptime(${argument(call, ctx, 1)}, ${formatArgument(call, ctx, 0)}) AS ${type})`;
  };
}

/** `DATE_TRUNC(d, part)` / `TIMESTAMP_TRUNC` / `DATETIME_TRUNC`; weeks start on Sunday by default. */
function truncate(type: 'DATE' | 'TIMESTAMP'): FunctionRewrite {
  return (call, ctx) => {
    expectArity(call, ctx, 2);
    const value = `CAST(${argument(call, ctx, 0)} AS ${type})`;
    const { part, weekStart } = readDatePart(call.args[1], ctx, call.offset);
    if (part === 'WEEK') {
      return `CAST(bq_week_start(CAST(${value} AS DATE), ${weekStart}) AS ${type})`;
    }
    const allowed =
      ['DAY', 'MONTH', 'QUARTER', 'YEAR'].includes(part) ||
      (type === 'TIMESTAMP' && SHORTER_THAN_DAY.has(part));
    if (!allowed) ctx.fail(`${call.name} to ${part}`, call.offset);
    return `CAST(date_trunc('${part.toLowerCase()}', ${value}) AS ${type})`;
  };
}

/** `CURRENT_DATE()`: the `currentDate` option when given (time is a parameter). */
const currentDate: FunctionRewrite = (call, ctx) => {
  expectArity(call, ctx, 0, 1);
  const given = ctx.options.currentDate;
  return given === undefined ? 'current_date' : `DATE ${quoteDuckDbString(given)}`;
};

/** `GENERATE_DATE_ARRAY(a, b[, INTERVAL n part])` → a DATE list. */
const generateDateArray: FunctionRewrite = (call, ctx) => {
  expectArity(call, ctx, 2, 3);
  const [from, to, step] = allArguments(call, ctx);
  const series = `generate_series(CAST(${from} AS TIMESTAMP), CAST(${to} AS TIMESTAMP), ${step ?? 'INTERVAL 1 DAY'})`;
  return `list_transform(${series}, lambda bq_day: CAST(bq_day AS DATE))`;
};

/** Date and time rewrites, keyed by upper-case BigQuery name. */
export const DATE_REWRITES: ReadonlyMap<string, FunctionRewrite> = new Map<string, FunctionRewrite>(
  [
    ['DATE_DIFF', boundaryDiff('DATE')],
    ['DATETIME_DIFF', boundaryDiff('TIMESTAMP')],
    ['TIMESTAMP_DIFF', timestampDiff],
    ['DATE_ADD', dateShift('+', 'DATE')],
    ['DATE_SUB', dateShift('-', 'DATE')],
    ['DATETIME_ADD', dateShift('+', 'TIMESTAMP')],
    ['DATETIME_SUB', dateShift('-', 'TIMESTAMP')],
    ['TIMESTAMP_ADD', dateShift('+', 'TIMESTAMP')],
    ['TIMESTAMP_SUB', dateShift('-', 'TIMESTAMP')],
    ['DATE', date],
    ['DATETIME', datetime],
    ['TIMESTAMP', timestamp],
    ['FORMAT_DATE', formatTime('DATE')],
    ['FORMAT_DATETIME', formatTime('TIMESTAMP')],
    ['FORMAT_TIMESTAMP', formatTime('TIMESTAMP')],
    ['PARSE_DATE', parseTime('DATE')],
    ['PARSE_DATETIME', parseTime('TIMESTAMP')],
    ['PARSE_TIMESTAMP', parseTime('TIMESTAMP')],
    ['DATE_TRUNC', truncate('DATE')],
    ['DATETIME_TRUNC', truncate('TIMESTAMP')],
    ['TIMESTAMP_TRUNC', truncate('TIMESTAMP')],
    ['CURRENT_DATE', currentDate],
    ['EXTRACT', extract],
    ['CURRENT_DATETIME', template(0, () => 'CAST(current_timestamp AS TIMESTAMP)')],
    ['CURRENT_TIMESTAMP', template(0, () => 'CAST(current_timestamp AS TIMESTAMP)')],
    ['GENERATE_DATE_ARRAY', generateDateArray],
    ['LAST_DAY', renamed('last_day', 1, 1)],
    ['UNIX_DATE', template(1, ([d]) => `(CAST(${d} AS DATE) - DATE '1970-01-01')`)],
    [
      'DATE_FROM_UNIX_DATE',
      template(1, ([n]) => `CAST(DATE '1970-01-01' + CAST(${n} AS INTEGER) AS DATE)`),
    ],
    ['UNIX_SECONDS', template(1, ([t]) => `CAST(floor(epoch(CAST(${t} AS TIMESTAMP))) AS BIGINT)`)],
    ['UNIX_MILLIS', template(1, ([t]) => `epoch_ms(CAST(${t} AS TIMESTAMP))`)],
    ['UNIX_MICROS', template(1, ([t]) => `epoch_us(CAST(${t} AS TIMESTAMP))`)],
    ['TIMESTAMP_SECONDS', template(1, ([n]) => `make_timestamp(CAST(${n} AS BIGINT) * 1000000)`)],
    ['TIMESTAMP_MILLIS', template(1, ([n]) => `make_timestamp(CAST(${n} AS BIGINT) * 1000)`)],
    ['TIMESTAMP_MICROS', template(1, ([n]) => `make_timestamp(CAST(${n} AS BIGINT))`)],
  ],
);
