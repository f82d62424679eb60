/**
 * Per-connection (`TEMP`) DuckDB macros that BigQuery functions are rewritten to. Every name
 * starts with `bq_`: a macro named like a DuckDB built-in would silently shadow it, even inside
 * other macros.
 */
export const BQ_MACROS: readonly string[] = [
  // SAFE_DIVIDE: NULL instead of an error (BigQuery) or ±Infinity/NaN (DuckDB's `/`).
  `CREATE OR REPLACE TEMP MACRO bq_safe_divide(a, b) AS
    CASE WHEN b = 0 THEN NULL ELSE a / b END`,
  // JSON_VALUE / JSON_EXTRACT_SCALAR: the unquoted scalar; NULL for objects, arrays and bad JSON.
  `CREATE OR REPLACE TEMP MACRO bq_json_value(j, p) AS
    CASE WHEN NOT json_valid(j) OR json_type(j, p) IN ('OBJECT', 'ARRAY') THEN NULL
         ELSE json_extract_string(j, p) END`,
  // SUBSTR: BigQuery reads position 0 as 1 and a position before the start as 1.
  `CREATE OR REPLACE TEMP MACRO bq_substr(s, p, l) AS
    substring(s, CASE WHEN p = 0 OR p < -length(s) THEN 1 ELSE p END, l),
    (s, p) AS substring(s, CASE WHEN p = 0 OR p < -length(s) THEN 1 ELSE p END)`,
  // SPLIT: an empty string splits into an empty array.
  `CREATE OR REPLACE TEMP MACRO bq_split(s, d) AS
    CASE WHEN s = '' THEN CAST([] AS VARCHAR[]) ELSE string_split(s, d) END`,
  // CONTAINS_SUBSTR: case-insensitive containment.
  `CREATE OR REPLACE TEMP MACRO bq_contains_substr(s, part) AS
    contains(lower(CAST(s AS VARCHAR)), lower(part))`,
  // DATE_DIFF(…, WEEK(<day>)): week boundaries crossed; s = days from 1970-01-01 to the first week start.
  `CREATE OR REPLACE TEMP MACRO bq_week_diff(a, b, s) AS
    CAST(floor(((a - DATE '1970-01-01') - s) / 7) - floor(((b - DATE '1970-01-01') - s) / 7) AS BIGINT)`,
  // DATE_TRUNC(…, WEEK(<day>)): the week start on or before d.
  `CREATE OR REPLACE TEMP MACRO bq_week_start(d, s) AS
    CAST(d - CAST(((((d - DATE '1970-01-01') - s) % 7) + 7) % 7 AS INTEGER) AS DATE)`,
];
