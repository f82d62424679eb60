import { WarehouseQueryError } from '../warehouse-errors.js';
import { asObject } from './bigquery-rest.js';

/** A column of a query result (`schema.fields[]`). */
export interface ResultField {
  readonly name: string;
  /** BigQuery type name as reported: `INTEGER`/`INT64`, `FLOAT`/`FLOAT64`, `NUMERIC`, `BOOLEAN`, … */
  readonly type: string;
  readonly mode: string;
}

/** Parses `schema.fields` of a response. */
export function resultFields(value: unknown): ResultField[] {
  if (!Array.isArray(value)) return [];
  return value.map((entry: unknown) => {
    const field = asObject(entry);
    return {
      name: typeof field.name === 'string' ? field.name : '',
      type: typeof field.type === 'string' ? field.type : 'STRING',
      mode: typeof field.mode === 'string' ? field.mode : 'NULLABLE',
    };
  });
}

/** The raw `v` of cell `index` of a row `{ f: [{ v }] }` (null when absent). */
export function cellValue(row: unknown, index: number): unknown {
  const cells = (row as { f?: unknown } | null)?.f;
  if (!Array.isArray(cells)) return null;
  const cell = cells[index] as { v?: unknown } | undefined;
  return cell?.v ?? null;
}

const NUMBER_TYPES = new Set(['INTEGER', 'INT64', 'FLOAT', 'FLOAT64', 'NUMERIC', 'BIGNUMERIC']);
const BOOL_TYPES = new Set(['BOOLEAN', 'BOOL']);

/** True when a column of this type can be read as a number (bools as 0/1). */
export function isNumericType(type: string): boolean {
  return NUMBER_TYPES.has(type) || BOOL_TYPES.has(type);
}

/**
 * A scalar cell as a double: INT64/NUMERIC/FLOAT64 strings (`NaN`, `Infinity` included) via
 * `Number` — an INT64 beyond 2^53 becomes the nearest double, which is what a Float64Array
 * holds anyway, so no integer wrapping is needed here — BOOL as 1/0, NULL as NaN.
 * @throws WarehouseQueryError for other types, naming the column.
 */
export function numberCell(value: unknown, field: ResultField): number {
  if (value === null || value === undefined) return Number.NaN;
  if (BOOL_TYPES.has(field.type)) return value === 'true' || value === true ? 1 : 0;
  if (NUMBER_TYPES.has(field.type)) return Number(value);
  throw new WarehouseQueryError(`column ${field.name} has type ${field.type}, not a number`);
}

/** A scalar cell as a string, or null. */
export function textCell(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * A TIMESTAMP cell as an ISO instant with milliseconds: int64 microseconds (what queries ask
 * for) or BigQuery's float seconds (`1.7048808E9`, tabledata's default).
 */
export function timestampCell(value: unknown): string | null {
  const text = textCell(value);
  if (text === null) return null;
  const ms = /^-?\d+$/.test(text) ? Number(BigInt(text) / 1000n) : Number(text) * 1000;
  if (!Number.isFinite(ms)) throw new WarehouseQueryError(`bad TIMESTAMP value ${text}`);
  return new Date(ms).toISOString();
}

/** Rows as `{ column: raw string or null }` records (scalar columns), for small results. */
export function rowRecords(
  fields: readonly ResultField[],
  rows: readonly unknown[],
): Record<string, string | null>[] {
  return rows.map((row) => {
    const record: Record<string, string | null> = {};
    fields.forEach((field, i) => {
      const value = cellValue(row, i);
      record[field.name] = field.type === 'TIMESTAMP' ? timestampCell(value) : textCell(value);
    });
    return record;
  });
}
