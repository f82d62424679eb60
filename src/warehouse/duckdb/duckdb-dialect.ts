import type { SqlParamValue, SqlQuery } from '../sql/sql-query.js';

/** The BigQuery → DuckDB translation the embedded warehouse runs every query through. */
export interface DuckDbDialect {
  /** Rewrites BigQuery SQL for DuckDB; throws a clear error for untranslatable constructs. */
  toDuckDbSql(bigQuerySql: string): string;
  /** Statements to run once per new DuckDB connection (macros, schemas, types). */
  duckDbPrelude(): readonly string[];
}

/** A DuckDB statement with named parameters (`$name`). */
export interface DuckDbStatement {
  readonly sql: string;
  readonly params: Record<string, SqlParamValue>;
}

/**
 * Replaces BigQuery's `@name` parameter markers with DuckDB's `$name`, outside string literals,
 * quoted identifiers and comments.
 */
export function bigQueryParamsToDuckDb(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    const skip = skippedSpan(sql, i);
    if (skip > i) {
      out += sql.slice(i, skip);
      i = skip;
    } else if (ch === '@' && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      out += '$';
      i += 1;
    } else {
      out += ch;
      i += 1;
    }
  }
  return out;
}

/** End of a string literal, quoted identifier or comment starting at `i`, or `i` itself. */
function skippedSpan(sql: string, i: number): number {
  const ch = sql[i];
  if (ch === "'" || ch === '"' || ch === '`') {
    let j = i + 1;
    while (j < sql.length) {
      if (sql[j] === ch && sql[j + 1] === ch) j += 2;
      else if (sql[j] === ch) return j + 1;
      else j += 1;
    }
    return sql.length;
  }
  if (ch === '-' && sql[i + 1] === '-') {
    const end = sql.indexOf('\n', i);
    return end === -1 ? sql.length : end;
  }
  if (ch === '/' && sql[i + 1] === '*') {
    const end = sql.indexOf('*/', i + 2);
    return end === -1 ? sql.length : end + 2;
  }
  return i;
}

/** Translates a builder's query for DuckDB: dialect rewrite, then `@name` → `$name`. */
export function toDuckDbStatement(query: SqlQuery, dialect: DuckDbDialect): DuckDbStatement {
  const sql = bigQueryParamsToDuckDb(dialect.toDuckDbSql(query.sql));
  return { sql, params: { ...query.params } };
}
