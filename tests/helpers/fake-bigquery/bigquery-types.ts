import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';
import { invalidRequest } from './fake-api-error.js';

/** A BigQuery schema field (`TableFieldSchema`). */
export interface TableField {
  readonly name: string;
  readonly type: string;
  readonly mode?: 'NULLABLE' | 'REQUIRED' | 'REPEATED';
  readonly fields?: readonly TableField[];
}

/** BigQuery scalar type → DuckDB, following src/warehouse/dialect's type translation. */
const DUCKDB_SCALARS: Readonly<Record<string, string>> = {
  STRING: 'VARCHAR',
  BYTES: 'BLOB',
  INTEGER: 'BIGINT',
  INT64: 'BIGINT',
  FLOAT: 'DOUBLE',
  FLOAT64: 'DOUBLE',
  NUMERIC: 'DECIMAL(38,9)',
  BIGNUMERIC: 'DOUBLE',
  BOOLEAN: 'BOOLEAN',
  BOOL: 'BOOLEAN',
  DATE: 'DATE',
  DATETIME: 'TIMESTAMP',
  TIMESTAMP: 'TIMESTAMP',
  TIME: 'TIME',
  JSON: 'JSON',
};

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkedName(field: TableField): string {
  if (typeof field.name !== 'string' || !FIELD_NAME.test(field.name)) {
    throw invalidRequest(`Invalid field name "${String(field.name)}"`);
  }
  return field.name;
}

function isRecord(field: TableField): boolean {
  return field.type === 'RECORD' || field.type === 'STRUCT';
}

/** The DuckDB column type of a BigQuery field (`STRUCT(...)`, `T[]` for REPEATED). */
export function duckDbTypeOf(field: TableField): string {
  checkedName(field);
  let base: string;
  if (isRecord(field)) {
    const inner = (field.fields ?? []).map((f) => `"${checkedName(f)}" ${duckDbTypeOf(f)}`);
    if (inner.length === 0) throw invalidRequest(`Field ${field.name} is a RECORD without fields`);
    base = `STRUCT(${inner.join(', ')})`;
  } else {
    const scalar = DUCKDB_SCALARS[field.type];
    if (scalar === undefined) throw invalidRequest(`Unsupported field type ${field.type}`);
    base = scalar;
  }
  return field.mode === 'REPEATED' ? `${base}[]` : base;
}

/** `"name" TYPE [NOT NULL]` column definitions for `CREATE TABLE`. */
export function columnDefinitions(fields: readonly TableField[]): string {
  if (fields.length === 0) throw invalidRequest('Schema has no fields');
  return fields
    .map((f) => `"${checkedName(f)}" ${duckDbTypeOf(f)}${f.mode === 'REQUIRED' ? ' NOT NULL' : ''}`)
    .join(', ');
}

/** The `from_json` structure of a row with `fields` (types as DuckDB names). */
export function jsonStructure(fields: readonly TableField[]): Record<string, unknown> {
  const structure: Record<string, unknown> = {};
  for (const field of fields) {
    const base = isRecord(field)
      ? jsonStructure(field.fields ?? [])
      : duckDbTypeOf({ ...field, mode: 'NULLABLE' });
    structure[field.name] = field.mode === 'REPEATED' ? [base] : base;
  }
  return structure;
}

const INTEGER_IDS = new Set([
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT,
]);

const TIMESTAMP_IDS = new Set([
  DuckDBTypeId.TIMESTAMP,
  DuckDBTypeId.TIMESTAMP_TZ,
  DuckDBTypeId.TIMESTAMP_S,
  DuckDBTypeId.TIMESTAMP_MS,
  DuckDBTypeId.TIMESTAMP_NS,
]);

/** The BigQuery scalar type name of a DuckDB type (STRING for anything unusual). */
export function scalarTypeOf(type: DuckDBType): string {
  const id = type.typeId;
  if (INTEGER_IDS.has(id)) return 'INTEGER';
  if (TIMESTAMP_IDS.has(id)) return 'TIMESTAMP';
  if (id === DuckDBTypeId.FLOAT || id === DuckDBTypeId.DOUBLE) return 'FLOAT';
  if (id === DuckDBTypeId.DECIMAL) return 'NUMERIC';
  if (id === DuckDBTypeId.BOOLEAN) return 'BOOLEAN';
  if (id === DuckDBTypeId.DATE) return 'DATE';
  if (id === DuckDBTypeId.TIME) return 'TIME';
  if (id === DuckDBTypeId.BLOB) return 'BYTES';
  return type.alias === 'JSON' ? 'JSON' : 'STRING';
}

/**
 * The BigQuery field of a DuckDB result column or table column: lists become REPEATED, structs
 * RECORD, integers INTEGER, doubles FLOAT (the legacy names BigQuery's REST API reports).
 */
export function fieldOf(name: string, type: DuckDBType, nullable = true): TableField {
  if (type.typeId === DuckDBTypeId.LIST || type.typeId === DuckDBTypeId.ARRAY) {
    const element = fieldOf(name, type.valueType);
    return { ...element, mode: 'REPEATED' };
  }
  if (type.typeId === DuckDBTypeId.STRUCT) {
    const fields = type.entryNames.map((entry, i) => fieldOf(entry, type.entryTypes[i]!));
    return { name, type: 'RECORD', mode: nullable ? 'NULLABLE' : 'REQUIRED', fields };
  }
  return { name, type: scalarTypeOf(type), mode: nullable ? 'NULLABLE' : 'REQUIRED' };
}
