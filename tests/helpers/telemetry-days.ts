import { renameSync } from 'node:fs';
import path from 'node:path';

import { DuckDBInstance } from '@duckdb/node-api';

/** A telemetry table of an embedded warehouse folder, e.g. `telemetry/clients_daily`. */
export interface TelemetryTable {
  readonly dataset: string;
  readonly table: string;
  /** @defaultValue `submission_date` */
  readonly dateColumn?: string;
}

/** The Parquet file of a telemetry table. */
export function telemetryFile(warehouseDir: string, table: TelemetryTable): string {
  return path.join(warehouseDir, 'tables', table.dataset, `${table.table}.parquet`);
}

/**
 * Takes the rows of `date` out of telemetry tables of an embedded warehouse, as if that day's
 * data had not landed yet: each file is set aside (`.held`, which the warehouse ignores) and
 * rewritten without that day. Resolves to a function that puts the original files back.
 */
export async function holdBackDay(
  warehouseDir: string,
  tables: readonly TelemetryTable[],
  date: string,
): Promise<() => void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const held: string[] = [];
  try {
    for (const table of tables) {
      const file = telemetryFile(warehouseDir, table);
      const aside = `${file}.held`;
      renameSync(file, aside);
      held.push(file);
      const column = table.dateColumn ?? 'submission_date';
      await connection.run(
        `COPY (SELECT * FROM read_parquet('${aside}') WHERE "${column}" <> DATE '${date}') ` +
          `TO '${file}' (FORMAT parquet)`,
      );
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return () => {
    for (const file of held) renameSync(`${file}.held`, file);
  };
}
