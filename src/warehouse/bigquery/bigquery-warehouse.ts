import type { ClientCount, ClientCountSpec } from '../client-count.js';
import type { EnrollmentsSpec } from '../enrollments-spec.js';
import type { LogFilter, LogRow } from '../log-row.js';
import type { MetricReadSpec, MetricValues } from '../metric-read-spec.js';
import type { RowsOnDay, RowsOnDaySpec } from '../rows-on-day.js';
import type { StatisticRow } from '../../stats/statistic-row.js';
import { bigQueryTableNamer, type TableNamer } from '../sql/table-namer.js';
import type { TableInfo } from '../table-info.js';
import type { SqlQuery } from '../sql/sql-query.js';
import type {
  ColumnRead,
  JobContext,
  QueryTableResult,
  QueryTableSpec,
  TypedColumns,
  DryRunResult,
  EnsureEnrollmentsOptions,
  EnsureEnrollmentsResult,
  StatisticsTableMeta,
  Warehouse,
} from '../warehouse.js';
import { WarehouseError } from '../warehouse-errors.js';
import { countBigQueryClients } from './bigquery-client-counts.js';
import {
  createBigQueryContext,
  isLoopbackEndpoint,
  type BigQueryContext,
} from './bigquery-context.js';
import { dryRunBigQuery } from './bigquery-dry-run.js';
import { cancelLabelledBigQueryJobs } from './cancel-labelled-jobs.js';
import { ensureBigQueryEnrollments } from './bigquery-enrollments.js';
import { appendBigQueryLogs, readBigQueryLogs } from './bigquery-logs.js';
import { readBigQueryMetric } from './bigquery-metric-reader.js';
import { bigQueryHasRowsOn } from './bigquery-rows-on-day.js';
import {
  createBigQueryTableFromQuery,
  readBigQueryColumns,
  replaceBigQueryView,
} from './bigquery-query-table.js';
import { DEFAULT_STAGE_TABLE, type BigQueryWarehouseOptions } from './bigquery-options.js';
import { readBigQueryStatistics, replaceBigQueryStatistics } from './bigquery-statistics.js';
import { getTableInfo } from './bigquery-table-meta.js';
import { dropBigQueryTables, listBigQueryTables } from './bigquery-tables.js';
import { parseLogsTable, type LogsTableRef } from './logs-table.js';
import { StorageReadClient } from './storage-read-client.js';
import type { StorageReadContext } from './storage-read.js';
import { coerceError } from '../../analysis/coerce-error.js';

/**
 * The BigQuery warehouse: every operation is a job or REST call through
 * `@google-cloud/bigquery`, except `readColumns`, which reads through the Storage Read API
 * (a gRPC client opened on first use and closed by `close`); operations may run concurrently.
 */
class BigQueryWarehouse implements Warehouse {
  private readonly context: BigQueryContext;
  private readonly storage: StorageReadContext;
  readonly tables: TableNamer;
  private readonly logs: LogsTableRef;
  private readonly stageTable: string;
  private closed = false;

  constructor(
    context: BigQueryContext,
    storage: StorageReadContext,
    tables: TableNamer,
    logs: LogsTableRef,
    stageTable: string,
  ) {
    this.context = context;
    this.storage = storage;
    this.tables = tables;
    this.logs = logs;
    this.stageTable = stageTable;
  }

  private run<T>(task: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new WarehouseError('warehouse is closed'));
    return task();
  }

  ensureEnrollments(
    spec: EnrollmentsSpec,
    options: EnsureEnrollmentsOptions = {},
  ): Promise<EnsureEnrollmentsResult> {
    return this.run(() => ensureBigQueryEnrollments(this.context, this.tables, spec, options));
  }

  readMetric(spec: MetricReadSpec): Promise<MetricValues> {
    return this.run(() => readBigQueryMetric(this.context, this.tables, spec));
  }

  createTableFromQuery(spec: QueryTableSpec, context?: JobContext): Promise<QueryTableResult> {
    return this.run(() => createBigQueryTableFromQuery(this.context, spec, context));
  }

  replaceView(name: string, query: SqlQuery, context?: JobContext): Promise<void> {
    return this.run(() => replaceBigQueryView(this.context, this.tables, name, query, context));
  }

  readColumns(
    table: string,
    columns: readonly ColumnRead[],
    context?: JobContext,
  ): Promise<TypedColumns> {
    return this.run(() => readBigQueryColumns(this.storage, table, columns, context));
  }

  countClients(spec: ClientCountSpec): Promise<ClientCount[]> {
    return this.run(() => countBigQueryClients(this.context, this.tables, spec));
  }

  replaceStatistics(
    table: string,
    rows: readonly StatisticRow[],
    meta: StatisticsTableMeta,
  ): Promise<void> {
    return this.run(() => replaceBigQueryStatistics(this.context, table, rows, meta));
  }

  readStatistics(table: string): Promise<StatisticRow[]> {
    return this.run(() => readBigQueryStatistics(this.context, this.tables, table));
  }

  appendLogs(rows: readonly LogRow[]): Promise<void> {
    return this.run(() => appendBigQueryLogs(this.context, this.logs, rows));
  }

  readLogs(filter: LogFilter): Promise<LogRow[]> {
    return this.run(() => readBigQueryLogs(this.context, this.logs, filter));
  }

  listTables(slug?: string): Promise<TableInfo[]> {
    return this.run(() => listBigQueryTables(this.context, this.stageTable, slug));
  }

  dropTables(names: readonly string[]): Promise<void> {
    return this.run(() => dropBigQueryTables(this.context, names));
  }

  tableInfo(name: string): Promise<TableInfo | null> {
    return this.run(() => getTableInfo(this.context, name));
  }

  hasRowsOn(spec: RowsOnDaySpec, context?: JobContext): Promise<RowsOnDay> {
    return this.run(() => bigQueryHasRowsOn(this.context, spec, context));
  }

  dryRun(sql: string | SqlQuery): Promise<DryRunResult> {
    return this.run(() => dryRunBigQuery(this.context, sql));
  }

  cancelJobs(labels: Readonly<Record<string, string>>): Promise<number> {
    return this.run(() => cancelLabelledBigQueryJobs(this.context, labels));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.storage.client.close();
  }
}

/**
 * Opens the BigQuery warehouse over `options.dataset` in `options.projectId`. No request is
 * made until the first operation; the results dataset must exist by then (the logs and stage
 * tables, and the logs dataset, are created on first use).
 * @throws UnsafeIdentifierError for a bad dataset, project id or logs table name.
 * @throws WarehouseError for a malformed `logsTable`.
 */
export function createBigQueryWarehouse(options: BigQueryWarehouseOptions): Promise<Warehouse> {
  try {
    const context = createBigQueryContext(options);
    const tables = bigQueryTableNamer({
      resultProject: options.projectId,
      resultDataset: context.dataset,
      ...(options.sourceProject === undefined ? {} : { sourceProject: options.sourceProject }),
    });
    tables.result('probe'); // validates the project id now
    const logs = parseLogsTable(options.logsTable ?? 'monitoring.logs', options.projectId);
    const stage = options.stageTable ?? DEFAULT_STAGE_TABLE;
    const storage: StorageReadContext = {
      client: new StorageReadClient({
        ...(options.storageApiEndpoint === undefined
          ? {}
          : { endpoint: options.storageApiEndpoint }),
        loopbackOnly: isLoopbackEndpoint(options.apiEndpoint),
      }),
      projectId: options.projectId,
      dataset: context.dataset,
      sleep: context.sleep,
    };
    return Promise.resolve(new BigQueryWarehouse(context, storage, tables, logs, stage));
  } catch (e) {
    return Promise.reject(coerceError(e));
  }
}
