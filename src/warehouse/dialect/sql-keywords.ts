/**
 * Keyword lists that decide which identifiers must be quoted for DuckDB and which words are
 * SQL syntax rather than names. DuckDB's lists come from `duckdb_keywords()` (v1.5.6);
 * BigQuery's from its "Reserved keywords" table.
 */

/** BigQuery reserved keywords: never a bare column name in BigQuery SQL. */
export const BIG_QUERY_RESERVED: ReadonlySet<string> = new Set(
  `ALL AND ANY ARRAY AS ASC ASSERT_ROWS_MODIFIED AT BETWEEN BY CASE CAST COLLATE CONTAINS CREATE
  CROSS CUBE CURRENT DEFAULT DEFINE DESC DISTINCT ELSE END ENUM ESCAPE EXCEPT EXCLUDE EXISTS
  EXTRACT FALSE FETCH FOLLOWING FOR FROM FULL GROUP GROUPING GROUPS HASH HAVING IF IGNORE IN INNER
  INTERSECT INTERVAL INTO IS JOIN LATERAL LEFT LIKE LIMIT LOOKUP MERGE NATURAL NEW NO NOT NULL
  NULLS OF ON OR ORDER OUTER OVER PARTITION PRECEDING PROTO QUALIFY RANGE RECURSIVE RESPECT RIGHT
  ROLLUP ROWS SELECT SET SOME STRUCT TABLESAMPLE THEN TO TREAT TRUE UNBOUNDED UNION UNNEST USING
  WHEN WHERE WINDOW WITH WITHIN`.split(/\s+/),
);

/** DuckDB keywords that cannot be a bare column name (categories `reserved` and `type_function`). */
export const DUCKDB_RESERVED: ReadonlySet<string> = new Set(
  `ALL ANALYSE ANALYZE AND ANY ARRAY AS ASC ASYMMETRIC BOTH CASE CAST CHECK COLLATE COLUMN
  CONSTRAINT CREATE DEFAULT DEFERRABLE DESC DESCRIBE DISTINCT DO ELSE END EXCEPT FALSE FETCH FOR
  FOREIGN FROM GROUP HAVING IN INITIALLY INTERSECT INTO LAMBDA LATERAL LEADING LIMIT NOT NULL
  OFFSET ON ONLY OR ORDER PIVOT PIVOT_LONGER PIVOT_WIDER PLACING PRIMARY QUALIFY REFERENCES
  RETURNING SELECT SHOW SOME SUMMARIZE SYMMETRIC TABLE THEN TO TRAILING TRUE UNION UNIQUE UNPIVOT
  USING VARIADIC WHEN WHERE WINDOW WITH
  ANTI ASOF AT AUTHORIZATION BINARY BY COLLATION COLUMNS CONCURRENTLY CROSS FREEZE FULL GENERATED
  GLOB ILIKE INNER IS ISNULL JOIN LEFT LIKE MAP NATURAL NOTNULL OUTER OVERLAPS POSITIONAL RIGHT
  SEMI SIMILAR STRUCT TABLESAMPLE TRY_CAST UNPACK VERBOSE`.split(/\s+/),
);

/**
 * Words that are syntax even though BigQuery does not reserve them, so a word followed by `(`
 * is not a function call and a bare word is not a column: clause and join words, window frame
 * words, `FILTER`, `VALUES`…
 */
const CONTEXTUAL_SYNTAX = `OFFSET FIRST LAST ROW FILTER VALUES REPLACE QUALIFY UNPIVOT PIVOT
  MATERIALIZED TABLE DATE TIMESTAMP DATETIME TIME NUMERIC BIGNUMERIC JSON RETURNS`.split(/\s+/);

/** True when `word` is SQL syntax (a keyword) rather than an identifier, in BigQuery. */
export function isSyntaxWord(word: string): boolean {
  const upper = word.toUpperCase();
  return BIG_QUERY_RESERVED.has(upper) || CONTEXTUAL_SYNTAX.includes(upper);
}

/**
 * Bare identifiers that BigQuery reads as names but DuckDB reads as keywords; a lone word in
 * this set is quoted when written out.
 */
export function isDuckDbOnlyKeyword(word: string): boolean {
  const upper = word.toUpperCase();
  return DUCKDB_RESERVED.has(upper) && !BIG_QUERY_RESERVED.has(upper);
}

/** Keywords that are also functions when a `(` follows: `IF(…)`, `CAST(…)`, `DATE(…)`… */
const CALLABLE_KEYWORDS: ReadonlySet<string> = new Set(
  'IF CAST EXTRACT STRUCT REPLACE LEFT RIGHT DATE DATETIME TIMESTAMP TIME COLLATE CONTAINS'.split(
    ' ',
  ),
);

/**
 * True when a name followed by `(` is a function call rather than syntax (`IN (…)`, `OVER (…)`):
 * any dotted or backtick-quoted name, any non-keyword, and the callable keywords.
 */
export function isCallName(
  segments: readonly { readonly text: string; readonly quoted: boolean }[],
): boolean {
  const only = segments[0];
  if (segments.length !== 1 || only === undefined || only.quoted) return true;
  const upper = only.text.toUpperCase();
  return !isSyntaxWord(upper) || CALLABLE_KEYWORDS.has(upper);
}
