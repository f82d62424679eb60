import { safeIdentifier } from '../../analysis/sql-identifier.js';
import type { SqlQuery } from '../sql/sql-query.js';
import type { TableNamer } from '../sql/table-namer.js';
import type {
  ColumnRead,
  JobContext,
  QueryTableResult,
  QueryTableSpec,
  TypedColumns,
} from '../warehouse.js';
import { TableNotFoundError, WarehouseError } from '../warehouse-errors.js';
import { lastUpdatedLabel, type BigQueryContext } from './bigquery-context.js';
import { patchTableMeta } from './bigquery-table-meta.js';
import { queryPages, runQuery, runQueryToTable, startQueryJob } from './query-job.js';
import { isNotFound } from './bigquery-errors.js';
import { readTypedColumns } from './typed-result-reader.js';
import { coerceError } from '../../analysis/coerce-error.js';
import { readTableColumns, type StorageReadContext } from './storage-read.js';

/**
 * {@link Warehouse.createTableFromQuery} on BigQuery: one query job writing the table with
 * WRITE_TRUNCATE (atomic), then its labels and description. The cost is the job's statistics
 * (bytes processed and billed, slot ms, creation to end); a retry reusing a finished job (same
 * `jobKey`) reports that job's cost again.
 */
export async function createBigQueryTableFromQuery(
  context: BigQueryContext,
  spec: QueryTableSpec,
  job: JobContext = {},
): Promise<QueryTableResult> {
  const table = safeIdentifier(spec.table, 'table name');
  const { rows, cost } = await runQueryToTable(
    context,
    { ...spec.query, purpose: spec.purpose },
    { table, writeDisposition: 'WRITE_TRUNCATE' },
    job,
  );
  const labels = { ...spec.meta.labels, last_updated: lastUpdatedLabel(context.now) };
  await patchTableMeta(context, table, { labels, description: spec.meta.description });
  return { rows, cost };
}

/** {@link Warehouse.replaceView} on BigQuery: a `CREATE OR REPLACE VIEW` statement. */
export async function replaceBigQueryView(
  context: BigQueryContext,
  tables: TableNamer,
  name: string,
  query: SqlQuery,
  job: JobContext = {},
): Promise<void> {
  const view = safeIdentifier(name, 'view name');
  if (Object.keys(query.params).length > 0) {
    throw new WarehouseError(`view ${view}: a view cannot take query parameters`);
  }
  await runQuery(
    context,
    {
      sql: `CREATE OR REPLACE VIEW ${tables.result(view)} AS\n${query.sql}`,
      params: {},
      purpose: `view ${view}`,
    },
    job,
  );
}

/**
 * {@link Warehouse.readColumns} on BigQuery: the table's columns through the Storage Read API
 * (Arrow record batches into typed arrays; see storage-read.ts).
 */
export function readBigQueryColumns(
  context: StorageReadContext,
  table: string,
  columns: readonly ColumnRead[],
  job: JobContext = {},
): Promise<TypedColumns> {
  return readTableColumns(context, table, columns, job);
}

/**
 * {@link Warehouse.readColumns} through query result pages (REST JSON), values parsed straight
 * into typed arrays: what `readBigQueryColumns` did before the Storage Read API; kept for the
 * `bench:storage-read` comparison only.
 */
export async function readBigQueryColumnsRest(
  context: BigQueryContext,
  tables: TableNamer,
  table: string,
  columns: readonly ColumnRead[],
  job: JobContext = {},
): Promise<TypedColumns> {
  const name = safeIdentifier(table, 'table name');
  const names = columns.map((c) => safeIdentifier(c.name, 'column name') as string);
  const purpose = `reading ${name}`;
  try {
    const started = await startQueryJob(
      context,
      {
        sql: `SELECT ${names.map((n) => `\`${n}\``).join(', ')} FROM ${tables.result(name)}`,
        params: {},
        purpose,
      },
      undefined,
      job,
    );
    return await readTypedColumns(
      queryPages(context, started, purpose),
      names,
      columns.map((c) => c.kind),
    );
  } catch (e) {
    const error = coerceError(e);
    if (isNotFound(error)) throw new TableNotFoundError(`no table ${name}`, { cause: error });
    throw error;
  }
}
