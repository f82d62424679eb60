/**
 * The warehouse adapter: the port, its input and output types, the embedded DuckDB
 * implementation and the BigQuery SQL builders a BigQuery implementation reuses.
 */
export type {
  DryRunResult,
  EnsureEnrollmentsOptions,
  EnsureEnrollmentsResult,
  StatisticsTableMeta,
  Warehouse,
} from './warehouse.js';
export type { ClientCount, ClientCountSpec } from './client-count.js';
export {
  SUPPORTED_ENROLLMENTS_QUERY_TYPES,
  type EnrollmentsQueryType,
  type EnrollmentsSpec,
} from './enrollments-spec.js';
export { LOG_COLUMNS, type LogFilter, type LogRow } from './log-row.js';
export type { DayWindow, MetricColumn, MetricReadSpec, MetricValues } from './metric-read-spec.js';
export type { ProbedDataSource, RowsOnDay, RowsOnDaySpec } from './rows-on-day.js';
export { TABLE_KINDS, tableKindOf, type TableInfo, type TableKind } from './table-info.js';
export {
  TableNotFoundError,
  UnsupportedEnrollmentsQueryError,
  WarehouseError,
  WarehouseQueryError,
} from './warehouse-errors.js';
export { buildEnrollmentsQuery } from './sql/enrollments-query.js';
export { buildMetricQuery, type MetricQueryColumns } from './sql/metric-query.js';
export {
  buildBranchesQuery,
  buildClientCountQuery,
  type CountColumn,
} from './sql/client-count-query.js';
export type { SqlParamValue, SqlQuery } from './sql/sql-query.js';
export {
  bigQueryTableNamer,
  datasetTableNamer,
  type BigQueryTableNamerOptions,
  type TableNamer,
} from './sql/table-namer.js';
export { createDuckDbWarehouse, type DuckDbWarehouseOptions } from './duckdb/duckdb-warehouse.js';
export { importNdjsonTable, type ImportNdjsonOptions } from './duckdb/import-ndjson-table.js';
export {
  LOGS_TABLE,
  RESULTS_DATASET,
  appendFolderPath,
  tableFilePath,
  tablesRoot,
} from './duckdb/warehouse-layout.js';
