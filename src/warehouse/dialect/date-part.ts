import type { RewriteContext } from './rewrite-context.js';
import { isGroup, significant, textOf, type SqlNode } from './sql-node.js';

/** A date part argument such as `DAY`, `WEEK`, `WEEK(MONDAY)` or `ISOWEEK`. */
export interface DatePart {
  /** Upper-case part; `WEEK(…)` and `ISOWEEK` are reported as `WEEK`. */
  readonly part: string;
  /**
   * For weeks: days from 1970-01-01 (a Thursday) to the first week start on or after it
   * (Sunday → 3, Monday → 4 …), used by the `bq_week_*` macros.
   */
  readonly weekStart: number;
}

const WEEK_STARTS: Readonly<Record<string, number>> = {
  THURSDAY: 0,
  FRIDAY: 1,
  SATURDAY: 2,
  SUNDAY: 3,
  MONDAY: 4,
  TUESDAY: 5,
  WEDNESDAY: 6,
};

/**
 * Reads a BigQuery date part from the nodes of one argument.
 *
 * @throws UntranslatableSqlError when the argument is not a date part.
 */
export function readDatePart(
  nodes: readonly SqlNode[] | undefined,
  ctx: RewriteContext,
  offset: number,
): DatePart {
  const items = significant(nodes ?? []);
  const [head, arg] = items;
  if (head?.kind !== 'word') ctx.fail('date part that is not a keyword', offset);
  const part = head.text.toUpperCase();
  if (part === 'ISOWEEK' && items.length === 1) {
    return { part: 'WEEK', weekStart: WEEK_STARTS.MONDAY! };
  }
  if (part === 'WEEK' && items.length === 1) return { part, weekStart: WEEK_STARTS.SUNDAY! };
  if (part === 'WEEK' && items.length === 2 && isGroup(arg, '(')) {
    const day = textOf(significant(arg.children)[0]).toUpperCase();
    const weekStart = WEEK_STARTS[day];
    if (weekStart === undefined) ctx.fail(`WEEK(${day})`, offset);
    return { part, weekStart };
  }
  if (items.length !== 1) ctx.fail('date part', offset);
  return { part, weekStart: WEEK_STARTS.SUNDAY! };
}

/** Translates a BigQuery format string for DuckDB's strftime/strptime. */
export function translateTimeFormat(format: string, ctx: RewriteContext, offset: number): string {
  const unsupported = /%(Q|C|G|g|J|u|V|E#S|P|N)/.exec(format);
  if (unsupported !== null) ctx.fail(`format element ${unsupported[0]}`, offset);
  return format
    .replaceAll('%F', '%Y-%m-%d')
    .replaceAll('%T', '%H:%M:%S')
    .replaceAll('%D', '%m/%d/%y')
    .replaceAll('%R', '%H:%M')
    .replaceAll('%E4Y', '%Y')
    .replaceAll('%E*S', '%S.%f')
    .replaceAll('%Ez', '%z')
    .replaceAll('%k', '%-H')
    .replaceAll('%l', '%-I')
    .replaceAll('%e', '%-d')
    .replaceAll('%h', '%b');
}
