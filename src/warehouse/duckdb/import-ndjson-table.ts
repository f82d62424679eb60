import { access } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { coerceError } from '../../analysis/coerce-error.js';
import { safeIdentifier } from '../../analysis/sql-identifier.js';
import { WarehouseError } from '../warehouse-errors.js';
import { commitFile, removeIfPresent } from './commit-file.js';
import { pathLiteral } from './sql-literal.js';
import { tableFilePath, tempPathFor } from './warehouse-layout.js';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

/** Options of {@link importNdjsonTable}. */
export interface ImportNdjsonOptions {
  /**
   * Explicit DuckDB column types, e.g. `{ submission_date: 'DATE', experiments:
   * 'STRUCT(key VARCHAR, value VARCHAR)[]' }`; keys missing from a line read as NULL. Without
   * it, types are inferred.
   */
  readonly columns?: Readonly<Record<string, string>>;
}

const DUCKDB_TYPE = /^[A-Za-z0-9_(), [\]]+$/;

/** The `read_json…` table function call for the file. @throws WarehouseError for bad columns. */
function ndjsonSource(ndjsonPath: string, columns?: Readonly<Record<string, string>>): string {
  const file = pathLiteral(ndjsonPath);
  if (!columns) return `read_json_auto(${file}, format = 'newline_delimited')`;
  const entries = Object.entries(columns).map(([name, type]) => {
    if (!DUCKDB_TYPE.test(type)) {
      throw new WarehouseError(`importNdjsonTable: bad type ${JSON.stringify(type)} for ${name}`);
    }
    return `${safeIdentifier(name, 'column name')}: '${type}'`;
  });
  return `read_json(${file}, format = 'newline_delimited', columns = {${entries.join(', ')}})`;
}

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
  options: ImportNdjsonOptions = {},
): Promise<number> {
  const finalPath = tableFilePath(dir, dataset, table);
  const source = ndjsonSource(ndjsonPath, options.columns);
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
