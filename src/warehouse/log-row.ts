/** Columns of the logs table, in jetstream's order (spec/analysis.md §3). */
export const LOG_COLUMNS = [
  'timestamp',
  'source',
  'experiment',
  'metric',
  'statistic',
  'analysis_basis',
  'segment',
  'analysis_period',
  'message',
  'log_level',
  'exception',
  'filename',
  'func_name',
  'exception_type',
] as const;

/** One row of the logs table (`monitoring.logs`); every column but `timestamp` may be null. */
export interface LogRow {
  /** ISO 8601 instant, e.g. `2026-04-12T03:00:00.000Z`. */
  readonly timestamp: string;
  /** `jetstream`, `jetstream-preview`, `sizing`, `jetstream-testing` or `contrail`. */
  readonly source: string | null;
  readonly experiment: string | null;
  readonly metric: string | null;
  readonly statistic: string | null;
  readonly analysis_basis: string | null;
  readonly segment: string | null;
  readonly analysis_period: string | null;
  readonly message: string | null;
  /** `WARNING`, `ERROR`, `CRITICAL`, ... */
  readonly log_level: string | null;
  /** Stack trace or error text. */
  readonly exception: string | null;
  readonly filename: string | null;
  readonly func_name: string | null;
  /** Error class name. */
  readonly exception_type: string | null;
}

/** Which log rows {@link Warehouse.readLogs} returns. */
export interface LogFilter {
  /** Only rows of this experiment slug. */
  readonly experiment?: string;
  /** Only rows with `timestamp >= since` (ISO 8601 date or instant). */
  readonly since?: string;
}
