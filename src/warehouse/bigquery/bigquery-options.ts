import type { AnyAuthClient } from 'google-auth-library';

/** How to reach BigQuery; shared by the warehouse and the row stage. */
export interface BigQueryConnectionOptions {
  /** Project that runs the jobs and holds the results dataset. */
  readonly projectId: string;
  /** Results dataset: enrollments, statistics and the row stage live here. */
  readonly dataset: string;
  /** Location of the datasets (`US`, `EU`, `us-central1`, …); every job runs there. */
  readonly location?: string;
  /**
   * API root, e.g. `http://127.0.0.1:9050` for a local fake or emulator.
   * @defaultValue `https://bigquery.googleapis.com`
   */
  readonly apiEndpoint?: string;
  /**
   * Credentials. Default: Application Default Credentials; for a loopback `apiEndpoint`, a
   * static placeholder token, so nothing ever asks Google (or the GCE metadata server).
   */
  readonly authClient?: AnyAuthClient;
  /**
   * Let the client retry 5xx/429 responses with backoff (tests turn it off).
   * @defaultValue true
   */
  readonly autoRetry?: boolean;
  /** Retries per request when `autoRetry` is on. @defaultValue the client's (3) */
  readonly maxRetries?: number;
  /** Clock (ms since the epoch) for `last_updated` labels and stage sequences. @defaultValue `Date.now` */
  readonly now?: () => number;
  /** Pause between polls of an unfinished job, in ms. @defaultValue 500 */
  readonly pollIntervalMs?: number;
  /** Server-side wait per getQueryResults request, in ms. @defaultValue 10000 */
  readonly queryTimeoutMs?: number;
  /** Rows per result page (`maxResults`); unset lets BigQuery page by size (10 MB). */
  readonly pageSize?: number;
  /**
   * `maximumBytesBilled` of every query job: BigQuery fails a query that would bill more,
   * before it runs (`bytesBilledLimitExceeded`). @defaultValue {@link DEFAULT_MAXIMUM_BYTES_BILLED}
   */
  readonly maximumBytesBilled?: number;
  /**
   * `jobTimeoutMs` of every query job: BigQuery cancels a job running longer.
   * @defaultValue {@link DEFAULT_JOB_TIMEOUT_MS}
   */
  readonly jobTimeoutMs?: number;
  /**
   * Priority of query jobs whose `JobContext` names none: `BATCH` waits for idle slots.
   * @defaultValue `INTERACTIVE`
   */
  readonly priority?: 'INTERACTIVE' | 'BATCH';
}

/**
 * Default byte cap per query: 5 TiB (≈ $31 at on-demand's $6.25 per TiB). A jetstream-style
 * query reads a few columns of date-partitioned telemetry over an analysis window, far below
 * that; a scan that forgets its partition filter on one of the large telemetry tables (hundreds
 * of TiB) is refused before it runs instead of costing thousands of dollars.
 */
export const DEFAULT_MAXIMUM_BYTES_BILLED = 5 * 2 ** 40;

/** Default job timeout: 6 hours, BigQuery's own limit for a query job. */
export const DEFAULT_JOB_TIMEOUT_MS = 6 * 60 * 60 * 1000;

/** Options of `createBigQueryWarehouse`. */
export interface BigQueryWarehouseOptions extends BigQueryConnectionOptions {
  /**
   * Logs table, `dataset.table` in `projectId` or `project.dataset.table`; created (with
   * jetstream's columns) on the first append if missing.
   * @defaultValue `monitoring.logs`
   */
  readonly logsTable?: string;
  /** Project of the telemetry tables the enrollments queries read. @defaultValue `moz-fx-data-shared-prod` */
  readonly sourceProject?: string;
  /**
   * `host:port` of the BigQuery Storage Read API, which `readColumns` reads through, e.g.
   * `127.0.0.1:9060` for a local fake (a loopback address gets an insecure channel and a
   * placeholder token). Required when `apiEndpoint` is a loopback address, so that a local
   * setup never reaches Google. @defaultValue `bigquerystorage.googleapis.com:443`
   */
  readonly storageApiEndpoint?: string;
  /** Name of the row-stage table in the results dataset, skipped by `listTables`. @defaultValue `contrail_row_stage` */
  readonly stageTable?: string;
}

/** Default name of the row-stage table. */
export const DEFAULT_STAGE_TABLE = 'contrail_row_stage';
