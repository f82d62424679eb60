/**
 * Translates one rendered expression and executes it in DuckDB against tables built from the
 * inferred schema (one row of plausible values), classifying what went wrong.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

import { coerceError } from '../../src/analysis/coerce-error.js';
import { toDuckDbSql, UntranslatableSqlError } from '../../src/warehouse/dialect/index.js';
import { duckDbType, sampleLiteral, type ColumnType } from './column-type.js';
import { inferSchema, type InferredSchema } from './infer-schema.js';

/** The outcome of one expression. */
export type Outcome =
  | { readonly stage: 'ok' }
  | {
      readonly stage: 'translate' | 'infer' | 'execute';
      readonly failureClass: string;
      readonly detail: string;
    };

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

function selectColumns(columns: ReadonlyMap<string, ColumnType>): string {
  if (columns.size === 0) return 'SELECT 1 AS bq_placeholder';
  const list = [...columns].map(
    ([name, type]) => `CAST(${sampleLiteral(type)} AS ${duckDbType(type)}) AS ${quote(name)}`,
  );
  return `SELECT ${list.join(', ')}`;
}

async function createTables(
  connection: DuckDBConnection,
  schema: InferredSchema,
  tables: readonly string[],
): Promise<string[]> {
  const created: string[] = [];
  for (const table of tables) {
    const parts = table.split('.');
    if (parts.length > 2) continue;
    if (parts.length === 2) await connection.run(`CREATE SCHEMA IF NOT EXISTS ${quote(parts[0]!)}`);
    const name = parts.map(quote).join('.');
    await connection.run(`CREATE OR REPLACE TABLE ${name} AS ${selectColumns(schema.columns)}`);
    created.push(name);
  }
  return created;
}

/** Groups DuckDB error messages: the first line, with names and numbers blanked out. */
export function failureClassOf(message: string): string {
  const line = message.split('\n')[0] ?? '';
  return line
    .replace(/"[^"]*"/g, '"…"')
    .replace(/'[^']*'/g, "'…'")
    .replace(/\b\d+\b/g, 'N')
    .replace(/(column|name|table|function) [A-Za-z_][\w.]*/gi, '$1 …')
    .slice(0, 140);
}

/** Runs one expression; `select` expressions run as `SELECT <expr> FROM ds`. */
export async function runExpression(
  connection: DuckDBConnection,
  kind: 'select' | 'from',
  sql: string,
  context: string,
): Promise<Outcome> {
  let translated: string;
  try {
    translated = toDuckDbSql(sql, { context });
  } catch (e) {
    const error = coerceError(e);
    const construct = error instanceof UntranslatableSqlError ? error.construct : error.name;
    return {
      stage: 'translate',
      failureClass: `untranslatable: ${construct}`,
      detail: error.message,
    };
  }
  let schema: InferredSchema;
  try {
    schema = inferSchema(sql, kind);
  } catch (e) {
    return {
      stage: 'infer',
      failureClass: 'schema inference failed',
      detail: coerceError(e).message,
    };
  }
  const tables = kind === 'select' ? ['ds'] : schema.tables;
  let created: string[] = [];
  try {
    created = await createTables(connection, schema, tables);
    const query =
      kind === 'select'
        ? `SELECT ${translated} AS value FROM ds`
        : `SELECT * FROM ${translated} AS bq_from LIMIT 1`;
    await connection.run(query);
    return { stage: 'ok' };
  } catch (e) {
    const message = coerceError(e).message;
    return {
      stage: 'execute',
      failureClass: failureClassOf(message),
      detail: `${message.split('\n')[0] ?? ''}\n    SQL: ${translated.replace(/\s+/g, ' ').slice(0, 400)}`,
    };
  } finally {
    for (const name of created) await connection.run(`DROP TABLE IF EXISTS ${name}`);
  }
}
