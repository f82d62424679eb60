import { coerceError } from '../../analysis/coerce-error.js';
import { safeIdentifier } from '../../analysis/sql-identifier.js';
import { tableKindOf, type TableInfo } from '../table-info.js';
import type { BigQueryContext } from './bigquery-context.js';
import { guarded, isNotFound, toWarehouseError } from './bigquery-errors.js';
import { asObject, restRequest, stringField, tablePath, type JsonObject } from './bigquery-rest.js';

/** Labels and description to patch onto a table. */
export interface TableMetaPatch {
  readonly labels: Readonly<Record<string, string>>;
  readonly description?: string;
}

/**
 * A table resource (tables.get / tables.patch) as {@link TableInfo}. A table without a
 * `last_updated` label (made by someone else) reports its last modification time instead.
 */
export function tableInfoOf(name: string, resource: JsonObject): TableInfo {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(asObject(resource.labels))) {
    if (typeof value === 'string') labels[key] = value;
  }
  if (labels.last_updated === undefined) {
    const modified = Number(stringField(resource, 'lastModifiedTime') ?? 0);
    labels.last_updated = String(Math.floor(modified / 1000));
  }
  return {
    name,
    kind: tableKindOf(name),
    labels,
    description: stringField(resource, 'description') ?? '',
    rows: Number(stringField(resource, 'numRows') ?? 0),
  };
}

/** tables.get of a results-dataset table; null when it (or the dataset) does not exist. */
export async function getTableInfo(
  context: BigQueryContext,
  name: string,
): Promise<TableInfo | null> {
  const table = safeIdentifier(name, 'table name');
  try {
    const resource = await restRequest(context, { uri: tablePath(context.dataset, table) });
    return tableInfoOf(table, resource);
  } catch (e) {
    const error = coerceError(e);
    if (isNotFound(error)) return null;
    throw toWarehouseError(error, `tables.get ${table}`);
  }
}

/**
 * tables.patch: merges `labels` into the table's labels (others stay, as jetstream's
 * add-labels does) and sets the description when given.
 * @returns the table's info after the patch.
 */
export function patchTableMeta(
  context: BigQueryContext,
  table: string,
  patch: TableMetaPatch,
): Promise<TableInfo> {
  const json = {
    labels: { ...patch.labels },
    ...(patch.description === undefined ? {} : { description: patch.description }),
  };
  return guarded(`labelling ${table}`, async () =>
    tableInfoOf(
      table,
      await restRequest(context, { method: 'PATCH', uri: tablePath(context.dataset, table), json }),
    ),
  );
}

/** tables.delete; a missing table is not an error. @returns whether a table was deleted. */
export async function deleteTableIfExists(
  context: BigQueryContext,
  table: string,
): Promise<boolean> {
  try {
    await restRequest(context, { method: 'DELETE', uri: tablePath(context.dataset, table) });
    return true;
  } catch (e) {
    const error = coerceError(e);
    if (isNotFound(error)) return false;
    throw toWarehouseError(error, `dropping ${table}`);
  }
}
