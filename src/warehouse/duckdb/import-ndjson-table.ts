import { access } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { coerceError } from '../../analysis/coerce-error.js';
import { WarehouseError } from '../warehouse-errors.js';
import { commitFile, removeIfPresent } from './commit-file.js';
import { pathLiteral } from './sql-literal.js';
import { tableFilePath, tempPathFor } from './warehouse-layout.js';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Loads a newline-delimited JSON file into the embedded warehouse as
 * `<dir>/tables/<dataset>/<table>.parquet`, replacing the table atomically. Column types are
 * inferred (`YYYY-MM-DD` strings become DATE, `[{key, value}]` arrays become lists of structs,
 * as BigQuery's maps are), e.g. jetstream's `test_clients_daily.ndjson` → `telemetry.clients_daily`.
 * @returns the number of rows loaded.
 * @throws UnsafeIdentifierError for a bad dataset or table name.
 * @throws WarehouseError naming the file when it is missing or not valid NDJSON.
 */
export async function importNdjsonTable(
  dir: string,
  dataset: string,
  table: string,
  ndjsonPath: string,
): Promise<number> {
  const finalPath = tableFilePath(dir, dataset, table);
  try {
    await access(ndjsonPath);
  } catch (e) {
    throw new WarehouseError(`cannot read ${ndjsonPath}: ${coerceError(e).message}`);
  }
  await mkdir(path.dirname(finalPath), { recursive: true });
  const temp = tempPathFor(finalPath);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const source = `read_json_auto(${pathLiteral(ndjsonPath)}, format = 'newline_delimited')`;
    const reader = await connection.runAndReadAll(`SELECT count(*) AS n FROM ${source}`);
    const rows = Number(reader.getRowObjectsJS()[0]?.n ?? 0);
    await connection.run(`COPY (SELECT * FROM ${source}) TO ${pathLiteral(temp)} (FORMAT parquet)`);
    await commitFile(temp, finalPath, 'replace');
    return rows;
  } catch (e) {
    const error = coerceError(e);
    if (error instanceof WarehouseError) throw error;
    throw new WarehouseError(
      `cannot import ${ndjsonPath} as ${dataset}.${table}: ${error.message}`,
      {
        cause: error,
      },
    );
  } finally {
    await removeIfPresent(temp);
    connection.closeSync();
    instance.closeSync();
  }
}
