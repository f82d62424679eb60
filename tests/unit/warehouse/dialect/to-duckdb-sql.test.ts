import { describe, expect, it } from 'vitest';

import { toDuckDbSql, UntranslatableSqlError } from '../../../../src/warehouse/dialect/index.js';

/**
 * BigQuery text → expected DuckDB text. Each expectation was checked against the BigQuery
 * semantics it stands for (argument order, 0- vs 1-based offsets, NULL handling); the
 * integration suite runs the same constructs in DuckDB and compares values.
 */
const CASES: readonly (readonly [string, string])[] = [
  ['COUNTIF(x > 0)', 'count(CASE WHEN x > 0 THEN 1 END)'],
  ['LOGICAL_OR(a) OR LOGICAL_AND(b)', 'bool_or(a) OR bool_and(b)'],
  ['SAFE_DIVIDE(SUM(a), SUM(b))', 'bq_safe_divide(SUM(a), SUM(b))'],
  ['SAFE_CAST(x AS INT64)', 'TRY_CAST(x AS BIGINT)'],
  [
    'CAST(x AS FLOAT64) + CAST(y AS NUMERIC) + CAST(z AS BIGNUMERIC)',
    'CAST(x AS DOUBLE) + CAST(y AS DECIMAL(38, 9)) + CAST(z AS DOUBLE)',
  ],
  ['CAST(s AS STRING) || CAST(b AS BOOL)', 'CAST(s AS VARCHAR) || CAST(b AS BOOLEAN)'],
  [
    'CAST(x AS ARRAY<STRUCT<key STRING, value INT64>>)',
    'CAST(x AS STRUCT("key" VARCHAR, "value" BIGINT)[])',
  ],
  ['CAST(x AS ARRAY<ARRAY<INT64>>)', 'CAST(x AS BIGINT[][])'],
  ['CAST(x AS NUMERIC(10, 2))', 'CAST(x AS DECIMAL(10, 2))'],
  [
    'DATE_DIFF(end_date, start_date, DAY)',
    "date_diff('day', CAST(start_date AS DATE), CAST(end_date AS DATE))",
  ],
  ['DATE_DIFF(a, b, WEEK)', 'bq_week_diff(CAST(a AS DATE), CAST(b AS DATE), 3)'],
  ['DATE_DIFF(a, b, WEEK(MONDAY))', 'bq_week_diff(CAST(a AS DATE), CAST(b AS DATE), 4)'],
  ['DATE_DIFF(a, b, ISOWEEK)', 'bq_week_diff(CAST(a AS DATE), CAST(b AS DATE), 4)'],
  ['DATE_DIFF(a, b, MONTH)', "date_diff('month', CAST(b AS DATE), CAST(a AS DATE))"],
  ['DATETIME_DIFF(a, b, HOUR)', "date_diff('hour', CAST(b AS TIMESTAMP), CAST(a AS TIMESTAMP))"],
  ['TIMESTAMP_DIFF(a, b, HOUR)', "date_sub('hour', CAST(b AS TIMESTAMP), CAST(a AS TIMESTAMP))"],
  ['DATE_SUB(d, INTERVAL 7 DAY)', 'CAST(CAST(d AS DATE) - INTERVAL 7 DAY AS DATE)'],
  ['DATE_ADD(d, INTERVAL n + 1 MONTH)', 'CAST(CAST(d AS DATE) + INTERVAL (n + 1) MONTH AS DATE)'],
  ['TIMESTAMP_ADD(ts, INTERVAL 2 HOUR)', '(CAST(ts AS TIMESTAMP) + INTERVAL 2 HOUR)'],
  ['d + INTERVAL 1 DAY', 'd + INTERVAL 1 DAY'],
  ['DATE(submission_timestamp)', 'CAST(submission_timestamp AS DATE)'],
  ['DATE(2024, 1, 31)', 'make_date(2024, 1, 31)'],
  [
    "DATE(ts, 'America/New_York')",
    "CAST(timezone('America/New_York', CAST(ts AS TIMESTAMPTZ)) AS DATE)",
  ],
  ['IF(a, 1, 0)', 'IF(a, 1, 0)'],
  ["JSON_VALUE(extra, '$.branch')", "bq_json_value(extra, '$.branch')"],
  ['JSON_EXTRACT_SCALAR(extra, "$[\'card type\']")', 'bq_json_value(extra, \'$."card type"\')'],
  ['JSON_VALUE(event_extra.opened)', "bq_json_value(event_extra.opened, '$')"],
  ["JSON_QUERY(extra, '$.a')", "json_extract(extra, '$.a')"],
  ["REGEXP_CONTAINS(s, r'^\\d+$')", "regexp_matches(s, '^\\d+$')"],
  [
    "REGEXP_EXTRACT(s, r'v(\\d+)')",
    "(CASE WHEN regexp_matches(s, 'v(\\d+)') THEN regexp_extract(s, 'v(\\d+)', 1) END)",
  ],
  [
    "REGEXP_EXTRACT(s, 'v\\\\d+')",
    "(CASE WHEN regexp_matches(s, 'v\\d+') THEN regexp_extract(s, 'v\\d+', 0) END)",
  ],
  ["REGEXP_REPLACE(s, 'a', 'b')", "regexp_replace(s, 'a', 'b', 'g')"],
  ['ARRAY_AGG(x IGNORE NULLS)', '(array_agg(x) FILTER (WHERE (x) IS NOT NULL))'],
  [
    'ARRAY_AGG(DISTINCT x IGNORE NULLS ORDER BY x)',
    '(array_agg(DISTINCT x ORDER BY x) FILTER (WHERE (x) IS NOT NULL))',
  ],
  [
    'ARRAY_AGG(x IGNORE NULLS ORDER BY ts DESC LIMIT 1)[SAFE_OFFSET(0)]',
    '(array_agg(x ORDER BY ts DESC) FILTER (WHERE (x) IS NOT NULL))[1:1][1]',
  ],
  ['ARRAY_AGG(x) OVER (PARTITION BY c)', 'array_agg(x) OVER (PARTITION BY c)'],
  [
    'ARRAY_AGG(x IGNORE NULLS) OVER (PARTITION BY c)',
    'array_agg(x) FILTER (WHERE (x) IS NOT NULL) OVER (PARTITION BY c)',
  ],
  ['ARRAY_LENGTH(arr)', 'len(arr)'],
  [
    'arr[OFFSET(1)] + arr[SAFE_OFFSET(i)] + arr[ORDINAL(1)] + arr[SAFE_ORDINAL(i + 1)] + arr[2]',
    'arr[2] + arr[(i) + 1] + arr[1] + arr[i + 1] + arr[3]',
  ],
  ["SPLIT(os_version, '.')[SAFE_OFFSET(0)]", "bq_split(os_version, '.')[1]"],
  ["x IN UNNEST(['a', 'b'])", "x IN (SELECT unnest(['a', 'b']))"],
  ['x NOT IN UNNEST(arr)', 'x NOT IN (SELECT unnest(arr))'],
  [
    '(SELECT SUM(value) FROM UNNEST(mozfun.hist.extract(h).values))',
    '(SELECT SUM(value) FROM (SELECT bq_unnest.* FROM (SELECT unnest(mozfun.hist.extract(h).values) AS bq_unnest)))',
  ],
  [
    "EXISTS(SELECT 1 FROM UNNEST(active_addons) AS a WHERE a.addon_id = 'x')",
    "EXISTS(SELECT 1 FROM (SELECT unnest(active_addons) AS a) AS a WHERE a.addon_id = 'x')",
  ],
  [
    '(SELECT COUNT(*) FROM UNNEST(arr) WITH OFFSET AS i)',
    '(SELECT COUNT(*) FROM (SELECT bq_unnest.*, bq_offset AS i FROM (SELECT unnest(arr) AS bq_unnest, unnest(range(len(arr))) AS bq_offset)))',
  ],
  [
    'SELECT e FROM t CROSS JOIN UNNEST(t.events) AS e WITH OFFSET',
    'SELECT e FROM t CROSS JOIN (SELECT unnest(t.events) AS e, unnest(range(len(t.events))) AS "offset") AS e',
  ],
  [
    'SELECT e FROM t LEFT JOIN UNNEST(t.events) e',
    'SELECT e FROM t LEFT JOIN (SELECT unnest(t.events) AS e) AS e ON TRUE',
  ],
  ['SELECT e FROM t, UNNEST(t.events) e', 'SELECT e FROM t, (SELECT unnest(t.events) AS e) AS e'],
  ['SELECT * FROM `moz-fx-data-shared-prod.telemetry.events`', 'SELECT * FROM telemetry.events'],
  ['SELECT * FROM mozdata.telemetry.clients_daily', 'SELECT * FROM telemetry.clients_daily'],
  ['SELECT * FROM `moz-fx-data-shared-prod`.telemetry.event', 'SELECT * FROM telemetry.event'],
  ['SELECT * FROM `my-project.dataset.table`', 'SELECT * FROM dataset."table"'],
  ['SELECT * FROM telemetry.main', 'SELECT * FROM telemetry.main'],
  [
    "`moz-fx-data-shared-prod`.udf.keyed_histogram_get_sum(kh, 'gpu')",
    "udf.keyed_histogram_get_sum(kh, 'gpu')",
  ],
  ["`mozdata.udf.get_key`(m, 'k')", "udf.get_key(m, 'k')"],
  ['mozfun.map.get_key(m, "k")', 'mozfun."map".get_key(m, \'k\')'],
  ['sap_source = "follow_on"', "sap_source = 'follow_on'"],
  ["\"it's\" = 'it''s'", "'it''s' = 'it''s'"],
  ['SAFE.SUBSTR(s, 0, 8)', 'TRY(bq_substr(s, 0, 8))'],
  ["SAFE.PARSE_DATE('%Y%m%d', s)", "TRY(CAST(strptime(s, '%Y%m%d') AS DATE))"],
  [
    'SELECT p.* EXCEPT (events), * EXCEPT(a) FROM p',
    'SELECT p.* EXCLUDE (events), * EXCLUDE(a) FROM p',
  ],
  ['SELECT * REPLACE (1 AS a) FROM t', 'SELECT * REPLACE (1 AS a) FROM t'],
  [
    'SELECT a FROM t EXCEPT DISTINCT SELECT a FROM u',
    'SELECT a FROM t EXCEPT DISTINCT SELECT a FROM u',
  ],
  ["FORMAT_DATE('%F', d)", "strftime(CAST(d AS DATE), '%Y-%m-%d')"],
  ["FORMAT_TIMESTAMP('%Y-%m-%d %T', ts)", "strftime(CAST(ts AS TIMESTAMP), '%Y-%m-%d %H:%M:%S')"],
  ["PARSE_DATE('%Y%m%d', s)", "CAST(strptime(s, '%Y%m%d') AS DATE)"],
  ["PARSE_DATETIME('%Y %m %d %H:%M', s)", "CAST(strptime(s, '%Y %m %d %H:%M') AS TIMESTAMP)"],
  ['DATE_TRUNC(d, WEEK)', 'CAST(bq_week_start(CAST(CAST(d AS DATE) AS DATE), 3) AS DATE)'],
  ['DATE_TRUNC(d, MONTH)', "CAST(date_trunc('month', CAST(d AS DATE)) AS DATE)"],
  ['TIMESTAMP_TRUNC(ts, HOUR)', "CAST(date_trunc('hour', CAST(ts AS TIMESTAMP)) AS TIMESTAMP)"],
  ['EXTRACT(DAYOFWEEK FROM d)', '(dayofweek(d) + 1)'],
  ['EXTRACT(YEAR FROM d)', 'extract(year FROM d)'],
  ['EXTRACT(WEEK FROM d)', "CAST(strftime(d, '%U') AS BIGINT)"],
  ['mozfun.hist.extract(h).values', 'mozfun.hist.extract(h).values'],
  ['mozfun.hist.extract(h).sum', 'mozfun.hist.extract(h).sum'],
  ['x.values + x.offset + x.default', 'x.values + x."offset" + x."default"'],
  ['SELECT offset, `order`, `my col` FROM t', 'SELECT "offset", "order", "my col" FROM t'],
  [
    "x LIKE r'MOZ\\_CRASH%' AND y NOT LIKE 'a%'",
    "x LIKE 'MOZ\\_CRASH%' ESCAPE '\\' AND y NOT LIKE 'a%'",
  ],
  ['MAX_BY(a, b) + ANY_VALUE(c)', 'arg_max_null(a, b) + ANY_VALUE(c)'],
  ['CURRENT_DATE()', "DATE '2024-05-01'"],
  ['STRUCT(a AS x, b)', 'struct_pack("x" := a, "b" := b)'],
  ['CONCAT(a, b, c)', '(a || b || c)'],
  ['GREATEST(a, b)', '(CASE WHEN (a) IS NULL OR (b) IS NULL THEN NULL ELSE greatest(a, b) END)'],
  ['SPLIT(s)', "bq_split(s, ',')"],
  ['a -- trailing comment', 'a /* trailing comment*/'],
  ['# hash comment', '/* hash comment*/'],
  ['a', 'a'],
  ['COALESCE(x, 0) /* block */', 'COALESCE(x, 0) /* block */'],
  ['@start_date', '$start_date'],
  ['SELECT e, offset FROM t LIMIT 5 OFFSET 2', 'SELECT e, "offset" FROM t LIMIT 5 OFFSET 2'],
];

function translationError(sql: string, context?: string): UntranslatableSqlError {
  try {
    toDuckDbSql(sql, context === undefined ? {} : { context });
  } catch (e) {
    if (e instanceof UntranslatableSqlError) return e;
    throw e;
  }
  throw new Error(`expected ${sql} to be untranslatable`);
}

describe('toDuckDbSql', () => {
  it.each(CASES)('%s', (bigQuery, duckDb) => {
    expect(toDuckDbSql(bigQuery, { currentDate: '2024-05-01' })).toBe(duckDb);
  });

  it('keeps text it does not need to change, whitespace and line breaks included', () => {
    const sql = 'COALESCE(SUM(x),\n  0)\t+ 1';
    expect(toDuckDbSql(sql)).toBe(sql);
  });

  it('translates nested calls inside out', () => {
    expect(
      toDuckDbSql('COALESCE(LOGICAL_OR(SAFE_DIVIDE(COUNTIF(a), IF(b, 1, 0)) > 0.5), FALSE)'),
    ).toBe(
      'COALESCE(bool_or(bq_safe_divide(count(CASE WHEN a THEN 1 END), IF(b, 1, 0)) > 0.5), FALSE)',
    );
  });

  it('writes CURRENT_DATE() as DuckDB current_date when no date is given', () => {
    expect(toDuckDbSql('CURRENT_DATE()')).toBe('current_date');
  });

  it('drops extra projects given in the options', () => {
    expect(
      toDuckDbSql('SELECT 1 FROM `acme-prod.sales.orders` JOIN acme.sales.x', {
        projects: ['acme'],
      }),
    ).toBe('SELECT 1 FROM sales.orders JOIN sales.x');
  });

  it.each([
    ['FARM_FINGERPRINT(client_id)', 'FARM_FINGERPRINT (no DuckDB equivalent hash)'],
    ['CAST(x AS GEOGRAPHY)', 'type GEOGRAPHY'],
    ['mozfun.stats.mode_last(x)', 'function mozfun.stats.mode_last (no DuckDB macro for it)'],
    ['DATE_DIFF(a, b)', 'DATE_DIFF with 2 argument(s)'],
    ['DATE_DIFF(a, b, FORTNIGHT)', 'DATE_DIFF by FORTNIGHT'],
    ['ARRAY_AGG(x LIMIT n)', 'ARRAY_AGG … LIMIT <expression>'],
    ['REGEXP_EXTRACT(s, pattern)', 'REGEXP_EXTRACT with a non-literal pattern'],
    ['SUM(x', 'unbalanced brackets'],
    ['CAST(x AS STRING FORMAT "YYYY")', 'CAST … FORMAT'],
  ])('rejects %s, naming %s and the metric', (sql, construct) => {
    const error = translationError(sql, 'metric active_hours');
    expect(error.construct).toBe(construct);
    expect(error.message).toContain('metric active_hours');
    expect(error.message).toContain(construct);
    expect(error.sql.length).toBeGreaterThan(0);
  });

  it('names no context when the caller gives none', () => {
    expect(translationError('RAND()').message).toBe(
      'cannot translate RAND (randomness must be a parameter) from BigQuery SQL to DuckDB: RAND()',
    );
  });
});
