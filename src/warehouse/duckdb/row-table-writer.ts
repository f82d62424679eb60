import type { DuckDBAppender } from '@duckdb/node-api';
import type { DuckDbSession } from './duckdb-session.js';

/** A column of a table written from JS rows. */
export interface RowColumn<Row> {
  readonly name: string;
  readonly type: 'VARCHAR' | 'DOUBLE';
  readonly value: (row: Row) => string | number | null;
}

function appendValue(
  appender: DuckDBAppender,
  type: 'VARCHAR' | 'DOUBLE',
  value: string | number | null,
): void {
  if (value === null) appender.appendNull();
  else if (type === 'DOUBLE') appender.appendDouble(Number(value));
  else appender.appendVarchar(String(value));
}

/**
 * Loads JS rows into a fresh temporary DuckDB table (through an appender: values never become
 * SQL text) and returns its quoted name. The caller drops it.
 */
export async function loadTempTable<Row>(
  session: DuckDbSession,
  name: string,
  columns: readonly RowColumn<Row>[],
  rows: readonly Row[],
): Promise<string> {
  const quoted = `"${name}"`;
  const definition = columns.map((column) => `"${column.name}" ${column.type}`).join(', ');
  await session.run(`CREATE OR REPLACE TEMP TABLE ${quoted} (${definition})`, {}, `create ${name}`);
  await session.guard(`load ${name}`, async () => {
    const appender = await session.connection.createAppender(name, 'main', 'temp');
    for (const row of rows) {
      for (const column of columns) appendValue(appender, column.type, column.value(row));
      appender.endRow();
    }
    appender.closeSync();
  });
  return quoted;
}
