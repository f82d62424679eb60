import type { TableNamer } from '../sql/table-namer.js';
import type { DuckDbDialect } from './duckdb-dialect.js';
import type { DuckDbQueryRecord } from './duckdb-query-table.js';
import type { DuckDbSession } from './duckdb-session.js';

/** What every embedded-warehouse operation works with. */
export interface DuckDbContext {
  readonly session: DuckDbSession;
  readonly dialect: DuckDbDialect;
  /** Table references for the SQL builders (`` `dataset`.`table` ``). */
  readonly tables: TableNamer;
  /** Milliseconds since the epoch, for `last_updated` labels. */
  readonly now: () => number;
  /** Told about every query that writes a table (purpose, scans, bytes); tests count scans with it. */
  readonly onQuery?: (record: DuckDbQueryRecord) => void;
}

/** `last_updated` as jetstream writes it: unix seconds, as a string. */
export function lastUpdatedLabel(now: () => number): string {
  return String(Math.floor(now() / 1000));
}
