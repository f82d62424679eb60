import { coerceError } from '../../analysis/coerce-error.js';
import { assertExperimentSlug, safeIdentifier } from '../../analysis/sql-identifier.js';
import { belongsToSlug } from '../duckdb/duckdb-tables.js';
import type { TableInfo } from '../table-info.js';
import type { BigQueryContext } from './bigquery-context.js';
import { isNotFound, toWarehouseError } from './bigquery-errors.js';
import { asObject, restRequest, stringField } from './bigquery-rest.js';
import { deleteTableIfExists, getTableInfo } from './bigquery-table-meta.js';

/** tables.get calls in flight at once while listing. */
const INFO_CONCURRENCY = 8;

/** Every table name (not view) of the results dataset (tables.list, all pages); [] without it. */
async function tableNames(context: BigQueryContext): Promise<string[]> {
  const names: string[] = [];
  let pageToken: string | undefined;
  do {
    let page;
    try {
      page = await restRequest(context, {
        uri: `/datasets/${encodeURIComponent(context.dataset)}/tables`,
        qs: { maxResults: 1000, pageToken },
      });
    } catch (e) {
      const error = coerceError(e);
      if (isNotFound(error)) return [];
      throw toWarehouseError(error, `listing tables of ${context.dataset}`);
    }
    const tables = Array.isArray(page.tables) ? (page.tables as unknown[]) : [];
    for (const entry of tables) {
      // Views (statistics_<slug>_weekly, ...) are not result tables.
      if (stringField(asObject(entry), 'type') === 'VIEW') continue;
      const id = stringField(asObject(asObject(entry).tableReference), 'tableId');
      if (id !== undefined) names.push(id);
    }
    pageToken = stringField(page, 'nextPageToken');
  } while (pageToken !== undefined);
  return names;
}

/**
 * {@link Warehouse.listTables} on BigQuery: tables.list, then tables.get for each match (the
 * list has no row counts or descriptions), sorted by name; the row stage is left out.
 */
export async function listBigQueryTables(
  context: BigQueryContext,
  stageTable: string,
  slug?: string,
): Promise<TableInfo[]> {
  if (slug !== undefined) assertExperimentSlug(slug);
  const names = (await tableNames(context))
    .filter((name) => name !== stageTable)
    .filter((name) => slug === undefined || belongsToSlug(name, slug))
    .sort((a, b) => a.localeCompare(b));
  const infos: TableInfo[] = [];
  for (let i = 0; i < names.length; i += INFO_CONCURRENCY) {
    const batch = await Promise.all(
      names.slice(i, i + INFO_CONCURRENCY).map((name) => getTableInfo(context, name)),
    );
    for (const info of batch) if (info) infos.push(info); // null: dropped meanwhile
  }
  return infos;
}

/** {@link Warehouse.dropTables} on BigQuery: every name validated before any request. */
export async function dropBigQueryTables(
  context: BigQueryContext,
  names: readonly string[],
): Promise<void> {
  const tables = names.map((name) => safeIdentifier(name, 'table name'));
  for (const table of tables) await deleteTableIfExists(context, table);
}
