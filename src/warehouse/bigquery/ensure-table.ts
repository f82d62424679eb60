import { coerceError } from '../../analysis/coerce-error.js';
import type { BigQueryContext } from './bigquery-context.js';
import { isDuplicate, isNotFound, toWarehouseError } from './bigquery-errors.js';
import { restRequest } from './bigquery-rest.js';
import type { SchemaField } from './bigquery-schemas.js';

/** A table to create when missing. */
export interface TableDefinition {
  readonly projectId: string;
  readonly dataset: string;
  readonly table: string;
  readonly fields: readonly SchemaField[];
  readonly description: string;
  /** Extra table properties, e.g. `timePartitioning`, `clustering`. */
  readonly properties?: Readonly<Record<string, unknown>>;
}

async function insert(context: BigQueryContext, uri: string, projectId: string, json: unknown) {
  try {
    await restRequest(context, { method: 'POST', uri, projectId, json });
  } catch (e) {
    const error = coerceError(e);
    if (!isDuplicate(error)) throw error; // someone else created it first
  }
}

/**
 * Creates the table (and its dataset, in the context's location) unless it exists; a
 * concurrent creator winning is fine.
 * @throws WarehouseQueryError when creation fails for another reason.
 */
export async function ensureTable(
  context: BigQueryContext,
  definition: TableDefinition,
): Promise<void> {
  const { projectId, dataset, table } = definition;
  const body = {
    tableReference: { projectId, datasetId: dataset, tableId: table },
    schema: { fields: definition.fields.map((field) => ({ ...field })) },
    description: definition.description,
    ...definition.properties,
  };
  const tablesUri = `/datasets/${encodeURIComponent(dataset)}/tables`;
  try {
    try {
      await insert(context, tablesUri, projectId, body);
    } catch (e) {
      const error = coerceError(e);
      if (!isNotFound(error)) throw error;
      await insert(context, '/datasets', projectId, {
        datasetReference: { projectId, datasetId: dataset },
        ...(context.location === undefined ? {} : { location: context.location }),
      });
      await insert(context, tablesUri, projectId, body);
    }
  } catch (e) {
    const error = coerceError(e);
    throw toWarehouseError(error, `creating ${projectId}.${dataset}.${table}`);
  }
}
