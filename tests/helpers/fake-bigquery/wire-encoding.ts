import type { Json } from '@duckdb/node-api';
import type { TableField } from './bigquery-types.js';
import { jsonText } from './json-text.js';

/** A cell of BigQuery's row format: `{ v: … }`; rows are `{ f: Cell[] }`. */
export interface Cell {
  readonly v: CellValue;
}

/** A cell's value: scalars as strings, REPEATED as a list of cells, RECORD as a row. */
export type CellValue = string | null | readonly Cell[] | { readonly f: readonly Cell[] };

/** A row in BigQuery's REST format. */
export interface WireRow {
  readonly f: readonly Cell[];
}

/** How TIMESTAMP values are written (`formatOptions.useInt64Timestamp`). */
export interface WireFormat {
  /** Microseconds since the epoch as an integer string; otherwise float seconds (`1.7E9`). */
  readonly int64Timestamp: boolean;
}

/** `2024-01-10 10:00:00.123456[+00]` (DuckDB's JSON form of a TIMESTAMP) → epoch microseconds. */
export function timestampMicros(text: string): bigint {
  const match =
    /^(-?\d+-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(?:Z|[+-]\d\d(?::?\d\d)?)?$/.exec(text);
  if (!match) throw new Error(`fake BigQuery: cannot read timestamp ${JSON.stringify(text)}`);
  const seconds = Date.parse(`${match[1]}T${match[2]}Z`) / 1000;
  const fraction = (match[3] ?? '').slice(0, 6).padEnd(6, '0');
  return BigInt(seconds) * 1_000_000n + BigInt(fraction);
}

function timestampText(value: Json, format: WireFormat): string {
  const micros = timestampMicros(jsonText(value));
  if (format.int64Timestamp) return micros.toString();
  const [mantissa = '0', exponent = '0'] = (Number(micros) / 1e6).toExponential().split('e');
  return `${mantissa}E${Number(exponent)}`;
}

/** `0.500000000` → `0.5`, `13.000000000` → `13`, as BigQuery prints NUMERIC. */
export function numericText(text: string): string {
  if (!text.includes('.')) return text;
  const trimmed = text.replace(/0+$/, '').replace(/\.$/, '');
  return trimmed === '-0' ? '0' : trimmed;
}

function scalarText(field: TableField, value: Json, format: WireFormat): string {
  switch (field.type) {
    case 'TIMESTAMP':
      return timestampText(value, format);
    case 'NUMERIC':
      return numericText(jsonText(value));
    case 'BOOLEAN':
      return value === true || value === 'true' ? 'true' : 'false';
    case 'STRING':
    case 'JSON':
      return jsonText(value);
    default:
      return jsonText(value);
  }
}

/** Encodes one DuckDB JSON value (from `getRowsJson`) as a BigQuery cell value. */
export function encodeValue(field: TableField, value: Json, format: WireFormat): CellValue {
  if (value === null || value === undefined) return null;
  if (field.mode === 'REPEATED') {
    if (!Array.isArray(value)) return [];
    const element: TableField = { ...field, mode: 'NULLABLE' };
    return value.map((item) => ({ v: encodeValue(element, item, format) }));
  }
  if (field.type === 'RECORD') return encodeRecord(field.fields ?? [], value, format);
  return scalarText(field, value, format);
}

function encodeRecord(fields: readonly TableField[], value: Json, format: WireFormat): CellValue {
  const object = typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
  return { f: fields.map((f) => ({ v: encodeValue(f, object[f.name] ?? null, format) })) };
}

/** Encodes rows of DuckDB JSON values (column order = `fields`). */
export function encodeRows(
  fields: readonly TableField[],
  rows: readonly (readonly Json[])[],
  format: WireFormat,
): WireRow[] {
  return rows.map((row) => ({
    f: fields.map((field, i) => ({ v: encodeValue(field, row[i] ?? null, format) })),
  }));
}
