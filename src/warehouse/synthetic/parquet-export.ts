import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';

import type { DuckDBConnection } from '@duckdb/node-api';

import { coerceError } from '../../analysis/coerce-error.js';
import { tableFilePath, tempPathFor } from '../duckdb/warehouse-layout.js';
import { sqlString } from './enrollment-tables.js';
import type { GeneratedTable } from './generated-table.js';
import { SeedError } from './seed-error.js';

/** Rows per Parquet row group; fixed so that files are byte-identical run to run. */
const ROW_GROUP_SIZE = 122_880;

/**
 * Writes the rows of `table.select` to `<dir>/tables/<dataset>/<table>.parquet`: first to a temporary file in the same
 * folder, then renamed over the target, so readers never see a half-written table.
 * @returns the number of rows written.
 * @throws SeedError naming the table when DuckDB fails.
 */
export async function exportParquet(
  connection: DuckDBConnection,
  dir: string,
  table: GeneratedTable,
): Promise<number> {
  const target = tableFilePath(dir, table.dataset, table.table);
  await mkdir(path.dirname(target), { recursive: true });
  const temp = tempPathFor(target);
  try {
    const reader = await connection.runAndReadAll(
      `COPY (${table.select}) TO ${sqlString(temp)} ` +
        `(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${ROW_GROUP_SIZE})`,
    );
    await rename(temp, target);
    return Number(reader.getRowsJS()[0]?.[0] ?? 0);
  } catch (thrown) {
    const error = coerceError(thrown);
    await rm(temp, { force: true });
    throw new SeedError(`writing ${table.dataset}.${table.table} failed: ${error.message}`, {
      cause: error,
    });
  }
}
