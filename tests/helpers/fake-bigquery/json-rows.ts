import { jsonStructure, type TableField } from './bigquery-types.js';
import type { ErrorProto } from './fake-api-error.js';
import type { FakeDatabase } from './fake-database.js';

/** A JSON row as sent by insertAll or a NEWLINE_DELIMITED_JSON load. */
export type JsonRow = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is JsonRow {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * BigQuery's per-row checks: unknown fields (unless `ignoreUnknownValues`), missing REQUIRED
 * fields, non-objects where a RECORD is expected. Value conversion errors surface from DuckDB.
 */
export function rowProblems(
  fields: readonly TableField[],
  row: unknown,
  ignoreUnknownValues: boolean,
  path = '',
): ErrorProto[] {
  if (!isObject(row)) {
    return [{ reason: 'invalid', message: `${path || 'row'} is not a JSON object.` }];
  }
  const byName = new Map(fields.map((f) => [f.name, f]));
  const problems: ErrorProto[] = [];
  for (const [key, value] of Object.entries(row)) {
    const field = byName.get(key);
    if (!field) {
      if (!ignoreUnknownValues) {
        problems.push({
          reason: 'invalid',
          location: `${path}${key}`,
          message: `no such field: ${path}${key}.`,
        });
      }
      continue;
    }
    if (field.type === 'RECORD' && value !== null && value !== undefined) {
      const items = field.mode === 'REPEATED' && Array.isArray(value) ? value : [value];
      for (const item of items) {
        problems.push(
          ...rowProblems(field.fields ?? [], item, ignoreUnknownValues, `${path}${key}.`),
        );
      }
    }
  }
  for (const field of fields) {
    if (field.mode === 'REQUIRED' && (row[field.name] === undefined || row[field.name] === null)) {
      problems.push({
        reason: 'invalid',
        location: `${path}${field.name}`,
        message: `Missing required field: ${path}${field.name}.`,
      });
    }
  }
  return problems;
}

/** Only the fields a table has (for `ignoreUnknownValues`). */
function knownFields(fields: readonly TableField[], row: JsonRow): JsonRow {
  const names = new Set(fields.map((f) => f.name));
  return Object.fromEntries(Object.entries(row).filter(([key]) => names.has(key)));
}

/**
 * Appends JSON rows to `target` (a quoted DuckDB table reference) in one statement (`from_json` with the table's structure), so
 * DuckDB does the conversions: `"123"` → INT64, `"2024-01-01"` → DATE, ISO instants → TIMESTAMP.
 * @throws Error from DuckDB when a value does not convert.
 */
export async function insertJsonRows(
  db: FakeDatabase,
  target: string,
  fields: readonly TableField[],
  rows: readonly JsonRow[],
): Promise<void> {
  if (rows.length === 0) return;
  const structure = JSON.stringify([jsonStructure(fields)]);
  const json = JSON.stringify(rows.map((row) => knownFields(fields, row)));
  await db.run(
    `INSERT INTO ${target} BY NAME SELECT r.* FROM (SELECT unnest(from_json($rows::JSON, $structure)) AS r)`,
    { values: { rows: json, structure }, types: {} },
  );
}
