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

/** Attempts to stream into a table just created: BigQuery may answer notFound for a while. */
const AFTER_CREATE_ATTEMPTS = 5;

/**
 * Inserts into a table this process just created, waiting `pollIntervalMs`, then twice that,
 * … between attempts while BigQuery still answers notFound.
 */
async function insertAfterCreate(
  context: BigQueryContext,
  target: TableDefinition,
  rows: StreamRow[],
) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await insertBatch(context, target, rows);
    } catch (e) {
      const error = coerceError(e);
      if (!isNotFound(error) || attempt >= AFTER_CREATE_ATTEMPTS) throw error;
      await context.sleep(context.pollIntervalMs * 2 ** (attempt - 1));
    }
  }
}

/**
 * Appends rows with streaming inserts (tabledata.insertAll; no load-job quota, rows queryable
 * at once), creating the table from `target` on the first `notFound` (and retrying while the new
 * table is not yet visible to streaming). Retries of a request
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
        await insertAfterCreate(context, target, batch);
      }
    } catch (e) {
      const error = coerceError(e);
      throw toWarehouseError(error, purpose);
    }
  }
}
