import { coerceError } from '../../../src/analysis/coerce-error.js';
import { columnDefinitions, type TableField } from './bigquery-types.js';
import { datasetNotFound, FakeApiError, tableNotFound } from './fake-api-error.js';
import type { FakeCatalog } from './fake-catalog.js';
import { checkedId, tableRef, type FakeDatabase } from './fake-database.js';

/** A job's destination table (`destinationTable`). */
export interface TableReference {
  readonly projectId: string;
  readonly datasetId: string;
  readonly tableId: string;
}

/** How a job writes its destination (`writeDisposition`, `createDisposition`). */
export interface WriteMode {
  readonly writeDisposition: 'WRITE_EMPTY' | 'WRITE_TRUNCATE' | 'WRITE_APPEND';
  readonly createDisposition: 'CREATE_IF_NEEDED' | 'CREATE_NEVER';
}

/** Reads a job configuration's dispositions, with BigQuery's defaults for the job type. */
export function writeModeOf(
  config: Readonly<Record<string, unknown>>,
  defaultWrite: WriteMode['writeDisposition'],
): WriteMode {
  const write = config.writeDisposition ?? defaultWrite;
  const create = config.createDisposition ?? 'CREATE_IF_NEEDED';
  if (write !== 'WRITE_EMPTY' && write !== 'WRITE_TRUNCATE' && write !== 'WRITE_APPEND') {
    throw new FakeApiError(400, 'invalid', `Invalid writeDisposition ${JSON.stringify(write)}`);
  }
  if (create !== 'CREATE_IF_NEEDED' && create !== 'CREATE_NEVER') {
    throw new FakeApiError(400, 'invalid', `Invalid createDisposition ${JSON.stringify(create)}`);
  }
  return { writeDisposition: write, createDisposition: create };
}

/**
 * Writes the rows of `source` (a DuckDB relation, e.g. a temporary table) to the destination
 * under the job's dispositions, in one transaction: WRITE_EMPTY fails with `duplicate` when
 * the table has rows, WRITE_TRUNCATE replaces rows and schema (keeping labels and description,
 * as BigQuery does), WRITE_APPEND inserts by column name.
 * @returns true when the table was created by this write.
 * @throws FakeApiError (404 notFound, 409-style `duplicate`) as BigQuery reports job failures.
 */
export async function writeDestination(
  db: FakeDatabase,
  catalog: FakeCatalog,
  destination: TableReference,
  source: string,
  fields: readonly TableField[],
  mode: WriteMode,
): Promise<boolean> {
  const { projectId, datasetId, tableId } = destination;
  checkedId(datasetId, 'dataset');
  checkedId(tableId, 'table');
  if (!(await db.datasetExists(datasetId))) throw datasetNotFound(projectId, datasetId);
  const type = await db.tableType(datasetId, tableId);
  if (type === 'VIEW') {
    throw new FakeApiError(400, 'invalid', `Cannot write to view ${datasetId}.${tableId}`);
  }
  if (type === null && mode.createDisposition === 'CREATE_NEVER') {
    throw tableNotFound(projectId, datasetId, tableId);
  }
  if (
    type !== null &&
    mode.writeDisposition === 'WRITE_EMPTY' &&
    (await db.rowCount(datasetId, tableId)) > 0
  ) {
    throw new FakeApiError(
      409,
      'duplicate',
      `Already Exists: Table ${projectId}:${datasetId}.${tableId}`,
    );
  }
  const target = tableRef(datasetId, tableId);
  await db.run('BEGIN TRANSACTION');
  try {
    if (type !== null && mode.writeDisposition === 'WRITE_APPEND') {
      await db.run(`INSERT INTO ${target} BY NAME SELECT * FROM ${source}`);
    } else {
      await db.run(`CREATE OR REPLACE TABLE ${target} (${columnDefinitions(fields)})`);
      await db.run(`INSERT INTO ${target} BY NAME SELECT * FROM ${source}`);
    }
    await db.run('COMMIT');
  } catch (e) {
    const error = coerceError(e);
    await db.run('ROLLBACK');
    throw error;
  }
  if (type === null) catalog.resetTable(projectId, datasetId, tableId);
  catalog.touch(projectId, datasetId, tableId);
  return type === null;
}
