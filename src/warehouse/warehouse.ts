import type { StatisticRow } from '../stats/statistic-row.js';
import type { ClientCount, ClientCountSpec } from './client-count.js';
import type { EnrollmentsSpec } from './enrollments-spec.js';
import type { LogFilter, LogRow } from './log-row.js';
import type { MetricReadSpec, MetricValues } from './metric-read-spec.js';
import type { TableInfo } from './table-info.js';

/** Options of {@link Warehouse.ensureEnrollments}. */
export interface EnsureEnrollmentsOptions {
  /**
   * Drop an existing enrollments table first and build it again (`--recreate-enrollments`).
   * @defaultValue false
   */
  readonly recreate?: boolean;
}

/** What {@link Warehouse.ensureEnrollments} did. */
export interface EnsureEnrollmentsResult {
  /** True when this call wrote the table; false when a populated table was already there. */
  readonly created: boolean;
  /** Enrolled clients (rows) in the table after the call. */
  readonly clients: number;
}

/** Table labels and description written with a statistics table. */
export interface StatisticsTableMeta {
  /** Labels, e.g. `{ schema_version: '4' }`; `last_updated` is set by the warehouse. */
  readonly labels: Readonly<Record<string, string>>;
  /** Table description (jetstream writes the experiment slug). */
  readonly description: string;
}

/** Outcome of {@link Warehouse.dryRun}: whether the warehouse would accept the SQL. */
export type DryRunResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

/**
 * The warehouse port (DESIGN.md, "Warehouse port"): the only way the analysis reaches the
 * telemetry and writes its results. Two implementations exist — the embedded DuckDB folder
 * (`createDuckDbWarehouse`) and BigQuery — and both must pass the shared contract suite in
 * `tests/helpers/warehouse-contract.ts`.
 *
 * Every slug, table, column and dataset name passed in is validated with src/analysis's
 * `assertExperimentSlug` / `safeIdentifier` before any SQL runs (an `UnsafeIdentifierError`
 * otherwise), and every value reaches SQL as a bound parameter. Table names are the bare names of
 * the results dataset (`enrollments_<slug>`, `statistics_<slug>_week_1`); the implementation
 * decides where the results dataset lives.
 */
export interface Warehouse {
  /**
   * Creates `enrollments_<slug>` unless a populated table already exists (write-if-empty,
   * spec/analysis.md §1.5): columns `analysis_id, branch, enrollment_date,
   * num_enrollment_events, <one BOOL per segment>, exposure_date, num_exposure_events`.
   * @throws UnsafeIdentifierError (src/analysis) for a bad slug or segment name, before any
   *   query runs.
   * @throws UnsupportedEnrollmentsQueryError for query types other than `normandy` and
   *   `glean-event` (unless a custom enrollment query is given).
   */
  ensureEnrollments(
    spec: EnrollmentsSpec,
    options?: EnsureEnrollmentsOptions,
  ): Promise<EnsureEnrollmentsResult>;

  /**
   * Per-client values of the given metrics for one window and one analysis basis, read
   * straight into typed arrays (NULL → NaN). Enrollments basis: every enrolled client; exposures
   * basis: only exposed clients (with a custom exposure signal, those with ≥ 1 signal event).
   * @throws TableNotFoundError when `enrollments_<slug>` does not exist.
   */
  readMetric(spec: MetricReadSpec): Promise<MetricValues>;

  /**
   * Enrolled-client counts per (basis, segment, branch), including `all`, with 0 for configured
   * branches nobody enrolled in; an absent enrollments table counts as empty.
   */
  countClients(spec: ClientCountSpec): Promise<ClientCount[]>;

  /**
   * Replaces the statistics table `table` with `rows` in one atomic step: readers see the old
   * table or the new one, never a mix. Sets the `last_updated` label (unix seconds).
   */
  replaceStatistics(
    table: string,
    rows: readonly StatisticRow[],
    meta: StatisticsTableMeta,
  ): Promise<void>;

  /**
   * Reads a statistics table back.
   * @throws TableNotFoundError when it does not exist.
   */
  readStatistics(table: string): Promise<StatisticRow[]>;

  /** Appends rows to the logs table (`monitoring.logs`, jetstream's columns); never rewrites. */
  appendLogs(rows: readonly LogRow[]): Promise<void>;

  /** Log rows matching `filter`, oldest first. */
  readLogs(filter: LogFilter): Promise<LogRow[]>;

  /** Result tables (enrollments, statistics), optionally only those of one experiment slug. */
  listTables(slug?: string): Promise<TableInfo[]>;

  /** Drops result tables; names that do not exist are ignored. */
  dropTables(names: readonly string[]): Promise<void>;

  /** One result table's info, or null when it does not exist. */
  tableInfo(name: string): Promise<TableInfo | null>;

  /** Checks that `sql` (BigQuery dialect) would run, without running it. */
  dryRun(sql: string): Promise<DryRunResult>;

  /** Releases connections; the warehouse is unusable afterwards. */
  close(): Promise<void>;
}
