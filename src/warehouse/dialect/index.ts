/**
 * BigQuery SQL (as metric-hub and jetstream write it) on DuckDB: a rewrite pass over tokens
 * plus per-connection macros.
 *
 * ```ts
 * for (const statement of duckDbPrelude()) await connection.run(statement);
 * await connection.run(`SELECT ${toDuckDbSql(metric.selectExpression, { context: `metric ${metric.name}` })} …`);
 * ```
 */
export { duckDbPrelude } from './duckdb-prelude.js';
export type { TranslateOptions } from './rewrite-context.js';
export { toDuckDbSql } from './to-duckdb-sql.js';
export { UntranslatableSqlError } from './untranslatable-sql-error.js';
