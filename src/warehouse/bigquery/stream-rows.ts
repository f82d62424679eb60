import { coerceError } from '../../analysis/coerce-error.js';
import type { BigQueryContext } from './bigquery-context.js';
import { isNotFound, toWarehouseError } from './bigquery-errors.js';
import { ensureTable, type TableDefinition } from './ensure-table.js';

/** A row for tabledata.insertAll: its de-duplication id and its values. */
export interface StreamRow {
  readonly insertId: string;
  readonly json: Readonly<Record<string, unknown>>;
}

/** insertAll rows per request: BigQuery recommends at most 500 and 10 MB. */
const BATCH_ROWS = 500;
const BATCH_CHARS = 5_000_000;

function batches(rows: readonly StreamRow[]): StreamRow[][] {
  const out: StreamRow[][] = [];
  let current: StreamRow[] = [];
  let chars = 0;
  for (const row of rows) {
    const size = JSON.stringify(row.json).length;
    if (current.length > 0 && (current.length >= BATCH_ROWS || chars + size > BATCH_CHARS)) {
      out.push(current);
      current = [];
      chars = 0;
    }
    current.push(row);
    chars += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

async function insertBatch(context: BigQueryContext, target: TableDefinition, rows: StreamRow[]) {
  const table = context.client
    .dataset(target.dataset, { projectId: target.projectId })
    .table(target.table);
  await table.insert(
    rows.map((row) => ({ insertId: row.insertId, json: { ...row.json } })),
    { raw: true },
  );
}

/**
 * Appends rows with streaming inserts (tabledata.insertAll; no load-job quota, rows queryable
 * at once), creating the table from `target` on the first `notFound`. Retries of a request
 * carry the same insertIds, so BigQuery drops duplicates (best effort).
 * @throws WarehouseQueryError naming `purpose` and the first rejected row's reason.
 */
export async function streamRows(
  context: BigQueryContext,
  target: TableDefinition,
  rows: readonly StreamRow[],
  purpose: string,
): Promise<void> {
  for (const batch of batches(rows)) {
    try {
      try {
        await insertBatch(context, target, batch);
      } catch (e) {
        const error = coerceError(e);
        if (!isNotFound(error)) throw error;
        await ensureTable(context, target);
        await insertBatch(context, target, batch);
      }
    } catch (e) {
      const error = coerceError(e);
      throw toWarehouseError(error, purpose);
    }
  }
}
