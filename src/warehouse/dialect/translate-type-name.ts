import { renderDuckDbSql } from './render-duckdb-sql.js';
import { isGroup, isOp, significant, type SqlNode } from './sql-node.js';
import { sqlExcerpt, UntranslatableSqlError } from './untranslatable-sql-error.js';

/** BigQuery scalar type names and their DuckDB equivalents. */
const SCALAR_TYPES: Readonly<Record<string, string>> = {
  INT64: 'BIGINT',
  INT: 'BIGINT',
  INTEGER: 'BIGINT',
  SMALLINT: 'BIGINT',
  BIGINT: 'BIGINT',
  TINYINT: 'BIGINT',
  BYTEINT: 'BIGINT',
  FLOAT64: 'DOUBLE',
  FLOAT: 'DOUBLE',
  NUMERIC: 'DECIMAL(38, 9)',
  DECIMAL: 'DECIMAL(38, 9)',
  BIGNUMERIC: 'DOUBLE',
  BIGDECIMAL: 'DOUBLE',
  STRING: 'VARCHAR',
  BYTES: 'BLOB',
  BOOL: 'BOOLEAN',
  BOOLEAN: 'BOOLEAN',
  DATE: 'DATE',
  DATETIME: 'TIMESTAMP',
  TIMESTAMP: 'TIMESTAMP',
  TIME: 'TIME',
  INTERVAL: 'INTERVAL',
  JSON: 'JSON',
};

interface TypeCursor {
  readonly items: SqlNode[];
  at: number;
  readonly sql: string;
  readonly context: string;
}

/**
 * Translates a BigQuery type (the nodes after `AS` in a CAST) to DuckDB: `INT64` → `BIGINT`,
 * `FLOAT64` → `DOUBLE`, `NUMERIC` → `DECIMAL(38, 9)`, `STRING` → `VARCHAR`, `ARRAY<T>` → `T[]`,
 * `STRUCT<a T, …>` → `STRUCT(a T, …)`, `NUMERIC(p, s)` → `DECIMAL(p, s)`.
 *
 * @throws UntranslatableSqlError for unknown types (GEOGRAPHY, RANGE…) or malformed ones.
 */
export function translateTypeName(nodes: readonly SqlNode[], sql: string, context = ''): string {
  const items = splitAngleClosers(significant(nodes));
  const cursor: TypeCursor = { items, at: 0, sql, context };
  const type = readType(cursor);
  if (cursor.at !== items.length) fail(cursor, 'type');
  return type;
}

/** Splits `>>` tokens (from `ARRAY<ARRAY<INT64>>`-like text) into two `>` tokens. */
function splitAngleClosers(items: SqlNode[]): SqlNode[] {
  return items.flatMap((n) =>
    isOp(n, '>>')
      ? [
          { ...n, text: '>' },
          { ...n, text: '>', offset: n.offset + 1 },
        ]
      : [n],
  );
}

function fail(cursor: TypeCursor, what: string): never {
  const node = cursor.items[cursor.at] ?? cursor.items.at(-1);
  throw new UntranslatableSqlError(what, sqlExcerpt(cursor.sql, node?.offset ?? 0), cursor.context);
}

function readType(cursor: TypeCursor): string {
  const head = cursor.items[cursor.at];
  if (head?.kind !== 'word') fail(cursor, 'type');
  const name = head.text.toUpperCase();
  cursor.at += 1;
  if (name === 'ARRAY') return `${readBracketed(cursor, readType)}[]`;
  if (name === 'STRUCT') return `STRUCT(${readBracketed(cursor, readFields)})`;
  const scalar = SCALAR_TYPES[name];
  if (scalar === undefined) fail({ ...cursor, at: cursor.at - 1 }, `type ${name}`);
  const params = cursor.items[cursor.at];
  if (!isGroup(params, '(')) return scalar;
  cursor.at += 1;
  if (name === 'NUMERIC' || name === 'DECIMAL') {
    return `DECIMAL(${renderDuckDbSql(params.children)})`;
  }
  return scalar;
}

function readBracketed(cursor: TypeCursor, inner: (c: TypeCursor) => string): string {
  if (!isOp(cursor.items[cursor.at], '<')) fail(cursor, 'type parameter');
  cursor.at += 1;
  const body = inner(cursor);
  if (!isOp(cursor.items[cursor.at], '>')) fail(cursor, 'type parameter');
  cursor.at += 1;
  return body;
}

function readFields(cursor: TypeCursor): string {
  const fields: string[] = [];
  for (;;) {
    const name = cursor.items[cursor.at];
    const unnamed = name?.kind === 'word' && isOp(cursor.items[cursor.at + 1], ',');
    if ((name?.kind !== 'word' && name?.kind !== 'quoted') || unnamed) {
      fail(cursor, 'unnamed STRUCT field');
    }
    cursor.at += 1;
    fields.push(`"${name.text.replaceAll('"', '""')}" ${readType(cursor)}`);
    if (!isOp(cursor.items[cursor.at], ',')) return fields.join(', ');
    cursor.at += 1;
  }
}
