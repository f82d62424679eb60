import type { StatisticRow } from '../stats/statistic-row.js';
import type { ClientCount, ClientCountSpec } from './client-count.js';
import type { EnrollmentsSpec } from './enrollments-spec.js';
import type { LogFilter, LogRow } from './log-row.js';
import type { MetricReadSpec, MetricValues } from './metric-read-spec.js';
import type { RowsOnDay, RowsOnDaySpec } from './rows-on-day.js';
import type { SqlQuery } from './sql/sql-query.js';
import type { TableNamer } from './sql/table-namer.js';
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

/**
 * Outcome of {@link Warehouse.dryRun}: whether the warehouse would accept the SQL, and the bytes
 * it would process (BigQuery's estimate; DuckDB's from the Parquet metadata; 0 when unknown).
 */
export type DryRunResult =
  | { readonly ok: true; readonly bytesProcessed?: number }
  | { readonly ok: false; readonly error: string };

/**
 * Who a warehouse job is for: labels every BigQuery job carries (experiment, period, window,
 * basis, metric, job kind, run id), a deterministic key so a retry reattaches to its still
 * running query instead of starting a second copy, and a signal that cancels it.
 */
export interface JobContext {
  /** Job labels; keys and values are lowercased and cut to BigQuery's rules by the warehouse. */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Identity of this step (e.g. the run id, the BullMQ job id and a step name); BigQuery job ids
   * derive from it. A retry with the same key reattaches to the job still running, or reuses
   * its result when it finished well; a job that failed is followed by a new attempt. So a key
   * must name one execution: a forced rerun needs a new key (include its run id), or it gets
   * the earlier result back.
   */
  readonly jobKey?: string;
  /**
   * Aborting it cancels the warehouse job (`jobs.cancel` on BigQuery) and rejects with a
   * retryable `WarehouseAbortedError`.
   */
  readonly signal?: AbortSignal;
  /**
   * BigQuery job priority for this job. `BATCH` queues the query until idle slots are free
   * (no concurrency limit, may wait minutes to hours): right for scheduled daily runs that no one
   * waits on; `INTERACTIVE` starts at once. Absent: the warehouse's configured priority
   * (`CONTRAIL_BIGQUERY_PRIORITY`, INTERACTIVE by default). Ignored by DuckDB.
   */
  readonly priority?: 'INTERACTIVE' | 'BATCH';
}

/** What one query cost, as the warehouse measured it (zeros where it cannot tell). */
export interface QueryCost {
  /** Bytes the query read (BigQuery `totalBytesProcessed`; DuckDB: Parquet bytes scanned). */
  readonly bytesProcessed: number;
  /** Bytes billed (BigQuery; 0 on DuckDB). */
  readonly bytesBilled: number;
  /** Slot milliseconds (BigQuery; 0 on DuckDB). */
  readonly slotMs: number;
  /** Wall milliseconds from submission to completion. */
  readonly elapsedMs: number;
}

/** What {@link Warehouse.createTableFromQuery} writes. */
export interface QueryTableSpec {
  /** Bare name of the results-dataset table to replace. */
  readonly table: string;
  /** BigQuery SQL with named parameters. */
  readonly query: SqlQuery;
  /** Table labels (`last_updated` is set by the warehouse) and description. */
  readonly meta: StatisticsTableMeta;
  /** Named in error messages, e.g. `metrics of my-slug week 2 (clients_daily)`. */
  readonly purpose: string;
}

/** What {@link Warehouse.createTableFromQuery} did. */
export interface QueryTableResult {
  /** Rows in the new table. */
  readonly rows: number;
  readonly cost: QueryCost;
}

/** One column to read with {@link Warehouse.readColumns}, and the typed array it lands in. */
export interface ColumnRead {
  readonly name: string;
  /** `f64`: numbers (NULL → NaN; BOOL → 0/1); `u16`: small non-null integers; `u8`: BOOL masks (NULL → 0). */
  readonly kind: 'f64' | 'u16' | 'u8';
}

/** Typed columns read from a table, in the order asked, each `rows` long. */
export interface TypedColumns {
  readonly rows: number;
  readonly columns: readonly (Float64Array | Uint16Array | Uint8Array)[];
}

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
  /** How this warehouse spells table references in the BigQuery SQL the builders produce. */
  readonly tables: TableNamer;

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
   * The earlier shape, kept as the baseline the metrics stage is measured against (its cost test
   * and `bench:warehouse`): one telemetry query for the given metrics of one window and basis.
   * The pipeline no longer calls it: metric jobs read the metrics table (`readColumns`).
   *
   * Per-client values of the given metrics for one window and one analysis basis, read
   * straight into typed arrays (NULL → NaN). Enrollments basis: every enrolled client; exposures
   * basis: only exposed clients (with a custom exposure signal, those with ≥ 1 signal event).
   * @throws TableNotFoundError when `enrollments_<slug>` does not exist.
   */
  readMetric(spec: MetricReadSpec): Promise<MetricValues>;

  /**
   * Replaces the results-dataset table `spec.table` with the rows of a query, in one atomic step
   * (BigQuery: a query job with WRITE_TRUNCATE; DuckDB: a Parquet file renamed into place), and
   * labels it.
   * @throws WarehouseQueryError naming `spec.purpose` (retryable for transient failures).
   */
  createTableFromQuery(spec: QueryTableSpec, context?: JobContext): Promise<QueryTableResult>;

  /**
   * Creates or replaces the view `name` of the results dataset over `query` (BigQuery SQL, no
   * parameters).
   */
  replaceView(name: string, query: SqlQuery, context?: JobContext): Promise<void>;

  /**
   * Reads columns of a results-dataset table straight into typed arrays, without per-value
   * objects (DuckDB: a Parquet projection; BigQuery: the Storage Read API). Row order is the
   * table's; callers that need a fixed order read an ordering column and sort locally.
   * @throws TableNotFoundError when the table does not exist.
   */
  readColumns(
    table: string,
    columns: readonly ColumnRead[],
    context?: JobContext,
  ): Promise<TypedColumns>;

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

  /**
   * Whether a telemetry data source has any row on one day: the data-readiness probe run before
   * a window is computed. One `SELECT 1 ... WHERE <submission date> = @day LIMIT 1` over the
   * source's `from_expression` (partition-pruned on BigQuery), with its cost.
   * @throws UnsafeIdentifierError for a bad date column name, before any query runs.
   * @throws WarehouseQueryError when the query fails (a missing table, bad SQL).
   */
  hasRowsOn(spec: RowsOnDaySpec, context?: JobContext): Promise<RowsOnDay>;

  /** Checks that `sql` (BigQuery dialect, optionally with parameters) would run, without running it. */
  dryRun(sql: string | SqlQuery, context?: JobContext): Promise<DryRunResult>;

  /**
   * Stops the warehouse jobs still running for a caller that is gone (a worker thread terminated
   * at its timeout, a job handed back at shutdown): every running job whose labels include all
   * of `labels`. BigQuery: jobs.list and jobs.cancel; DuckDB: nothing runs outside the thread.
   * @returns how many jobs were asked to stop.
   */
  cancelJobs(labels: Readonly<Record<string, string>>): Promise<number>;

  /** Releases connections; the warehouse is unusable afterwards. */
  close(): Promise<void>;
}
