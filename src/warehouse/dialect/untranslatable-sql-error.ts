/**
 * Thrown when a BigQuery SQL text uses a construct that the DuckDB dialect layer cannot
 * translate (or cannot even read). The message names the construct, the optional context
 * (usually `metric <name>` or `data source <name>`) and an excerpt of the SQL around it.
 */
export class UntranslatableSqlError extends Error {
  /** The construct that could not be translated, e.g. `FARM_FINGERPRINT` or `unterminated string`. */
  readonly construct: string;
  /** An excerpt of the offending SQL (at most about 120 characters), for the message and logs. */
  readonly sql: string;
  /** What the SQL belonged to, e.g. `metric active_hours`; empty when the caller gave none. */
  readonly context: string;

  constructor(construct: string, sql: string, context = '') {
    const where = context === '' ? '' : ` in ${context}`;
    super(`cannot translate ${construct} from BigQuery SQL to DuckDB${where}: ${sql}`);
    this.name = 'UntranslatableSqlError';
    this.construct = construct;
    this.sql = sql;
    this.context = context;
  }
}

/**
 * Cuts an excerpt of `sql` around `offset` (one line, at most ~120 characters) for an error message.
 */
export function sqlExcerpt(sql: string, offset: number): string {
  const start = Math.max(0, offset - 50);
  const end = Math.min(sql.length, offset + 70);
  const body = sql.slice(start, end).replace(/\s+/g, ' ').trim();
  return `${start > 0 ? '…' : ''}${body}${end < sql.length ? '…' : ''}`;
}
