import { BQ_MACROS } from './bq-macros.js';
import { ROUTINE_MACROS } from './routine-macros.js';

/**
 * Statements to run once on each new DuckDB connection before running translated SQL, in order:
 * UTC as session time zone (BigQuery TIMESTAMPs are UTC), the per-connection `bq_*` macros, and
 * the in-memory catalogs `mozfun` (schemas `map`, `hist`, `norm`, `bits28`) and `udf` with
 * their macros. Attached catalogs belong to the database instance, so the statements are
 * idempotent (`IF NOT EXISTS`, `OR REPLACE`); run them on one connection at a time.
 */
export function duckDbPrelude(): readonly string[] {
  const catalogs = [...new Set(ROUTINE_MACROS.map((r) => r.catalog))];
  const schemas = [
    ...new Set(
      ROUTINE_MACROS.filter((r) => r.schema !== 'main').map((r) => `${r.catalog}.${r.schema}`),
    ),
  ];
  return [
    "SET TimeZone = 'UTC'",
    ...BQ_MACROS,
    ...catalogs.map((c) => `ATTACH IF NOT EXISTS ':memory:' AS ${c}`),
    ...schemas.map((s) => `CREATE SCHEMA IF NOT EXISTS ${s}`),
    ...ROUTINE_MACROS.map(
      (r) =>
        `CREATE OR REPLACE MACRO ${r.catalog}.${r.schema}.${r.name}(${r.parameters}) AS (${r.body})`,
    ),
  ];
}
