import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { duckDbPrelude, toDuckDbSql } from '../../../../src/warehouse/dialect/index.js';

/**
 * Translated BigQuery expressions run in a real in-memory DuckDB; every expectation is what
 * BigQuery returns by its documented semantics (written as DuckDB renders it as VARCHAR).
 */
let instance: DuckDBInstance;
let connection: DuckDBConnection;

async function connect(): Promise<DuckDBConnection> {
  const c = await instance.connect();
  for (const statement of duckDbPrelude()) await c.run(statement);
  return c;
}

async function rows(
  sql: string,
  on: DuckDBConnection = connection,
): Promise<Record<string, unknown>[]> {
  const reader = await on.runAndReadAll(sql);
  return reader.getRowObjectsJson();
}

/** The value of a translated BigQuery expression, as DuckDB text (NULL → null). */
async function valueOf(bigQuery: string): Promise<unknown> {
  const result = await rows(`SELECT CAST((${toDuckDbSql(bigQuery)}) AS VARCHAR) AS v`);
  return result[0]?.v ?? null;
}

const HIST =
  '{"bucket_count":50,"histogram_type":0,"sum":35,"range":[1,1000],"values":{"0":2,"5":3,"20":1}}';
const MAP = "[STRUCT('a' AS key, 'x' AS value), STRUCT('b' AS key, 'y' AS value)]";

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  connection = await connect();
});

afterAll(() => {
  connection.closeSync();
});

describe('translated expressions in DuckDB', () => {
  it.each([
    // SAFE_DIVIDE: NULL on division by zero; DuckDB's own `/` would give Infinity.
    ['SAFE_DIVIDE(1, 0)', null],
    ['SAFE_DIVIDE(0, 0)', null],
    ['SAFE_DIVIDE(6, 4)', '1.5'],
    // DATE_DIFF(end, start, part): boundaries crossed; weeks start on Sunday, ISOWEEK on Monday.
    ["DATE_DIFF('2020-01-10', '2020-01-01', DAY)", '9'],
    ["DATE_DIFF(DATE '2020-01-01', DATE '2020-01-10', DAY)", '-9'],
    ["DATE_DIFF(DATE '2024-01-07', DATE '2024-01-06', WEEK)", '1'],
    ["DATE_DIFF(DATE '2024-01-08', DATE '2024-01-07', WEEK)", '0'],
    ["DATE_DIFF(DATE '2024-01-08', DATE '2024-01-07', ISOWEEK)", '1'],
    ["DATE_DIFF(DATE '2024-01-08', DATE '2024-01-07', WEEK(MONDAY))", '1'],
    ["DATE_DIFF(DATE '2024-02-01', DATE '2024-01-31', MONTH)", '1'],
    ["DATE_DIFF(DATE '2021-01-01', DATE '2020-12-31', YEAR)", '1'],
    // TIMESTAMP_DIFF counts whole parts elapsed (truncated), not boundaries.
    ["TIMESTAMP_DIFF(TIMESTAMP '2020-01-02 00:00:00', TIMESTAMP '2020-01-01 23:00:00', DAY)", '0'],
    ["TIMESTAMP_DIFF(TIMESTAMP '2020-01-02 00:00:00', TIMESTAMP '2020-01-01 22:30:00', HOUR)", '1'],
    // DATE_SUB/DATE_ADD stay DATEs (DuckDB's date ± interval is a TIMESTAMP); month ends clamp.
    ["DATE_SUB(DATE '2020-03-01', INTERVAL 1 DAY)", '2020-02-29'],
    ["DATE_SUB('2026-03-26', INTERVAL 183 DAY)", '2025-09-24'],
    ["DATE_ADD(DATE '2020-01-31', INTERVAL 1 MONTH)", '2020-02-29'],
    ["DATE_ADD(DATE '2020-01-01', INTERVAL 2 + 1 DAY)", '2020-01-04'],
    ["DATE(TIMESTAMP '2020-01-01 23:59:59')", '2020-01-01'],
    ['DATE(2024, 2, 29)', '2024-02-29'],
    ["DATE_TRUNC(DATE '2024-01-10', WEEK)", '2024-01-07'],
    ["DATE_TRUNC(DATE '2024-01-10', WEEK(MONDAY))", '2024-01-08'],
    ["DATE_TRUNC(DATE '2024-05-17', MONTH)", '2024-05-01'],
    ["EXTRACT(DAYOFWEEK FROM DATE '2024-01-07')", '1'],
    ["EXTRACT(DAYOFWEEK FROM DATE '2024-01-13')", '7'],
    ["FORMAT_DATE('%F', DATE '2020-03-04')", '2020-03-04'],
    ["FORMAT_DATE('%m-%d', DATE '2020-11-18') BETWEEN '11-18' AND '12-15'", 'true'],
    ["PARSE_DATE('%Y%m%d', '20200102')", '2020-01-02'],
    ["SAFE.PARSE_DATE('%Y%m%d', 'not a date')", null],
    // REGEXP_CONTAINS is a partial match; REGEXP_EXTRACT gives the group, NULL without a match.
    ["REGEXP_CONTAINS('ShutDownKill during content', 'ShutDownKill')", 'true'],
    ["REGEXP_CONTAINS('abc', '^b')", 'false'],
    ["REGEXP_EXTRACT('version 133.0', r'(\\d+)\\.')", '133'],
    ["REGEXP_EXTRACT('none', r'(\\d+)')", null],
    // JSON_VALUE / JSON_EXTRACT_SCALAR: unquoted strings; NULL for objects, arrays and bad JSON.
    [`JSON_VALUE('{"action":"impression"}', '$.action')`, 'impression'],
    [`JSON_EXTRACT_SCALAR('{"a":{"b":1}}', "$.a")`, null],
    [`JSON_EXTRACT_SCALAR('{"card type":"spoc"}', "$['card type']")`, 'spoc'],
    [`JSON_VALUE('{"a":[1,2]}', '$.a[1]')`, '2'],
    [`JSON_VALUE('not json', '$.a')`, null],
    [`CAST(JSON_EXTRACT_SCALAR('{"sum":35}', "$.sum") AS INT64) + 1`, '36'],
    // Offsets: 0-based OFFSET, 1-based ORDINAL; the SAFE_ forms give NULL out of range.
    ['[10, 20, 30][OFFSET(0)]', '10'],
    ['[10, 20, 30][ORDINAL(3)]', '30'],
    ['[10, 20, 30][SAFE_OFFSET(5)]', null],
    ["SPLIT('10.0.19045', '.')[SAFE_OFFSET(0)]", '10'],
    ["ARRAY_LENGTH(SPLIT('', ','))", '0'],
    ['ARRAY_LENGTH([1, 2, 3])', '3'],
    ['2 IN UNNEST([1, 2, 3])', 'true'],
    // Casts with BigQuery type names; SAFE_CAST gives NULL where CAST would fail.
    ["SAFE_CAST('x' AS INT64)", null],
    ["CAST('12' AS INT64) * 2", '24'],
    ["CAST('1.25' AS NUMERIC) * 2", '2.500000000'],
    ['CAST(1 AS STRING)', '1'],
    ["CAST('true' AS BOOL)", 'true'],
    ['CAST(7 AS FLOAT64) / 2', '3.5'],
    // Strings: BigQuery escapes, double quotes, raw strings, LIKE's backslash escape, SUBSTR at 0.
    [`"it\\'s" = 'it''s'`, 'true'],
    [`"a\\tb" = 'a' || CHR(9) || 'b'`, 'true'],
    ["'MOZ_CRASH(oom)' LIKE r'MOZ\\_CRASH%'", 'true'],
    ["'MOZXCRASH' LIKE r'MOZ\\_CRASH%'", 'false'],
    ["SAFE.SUBSTR('20240131123000', 0, 8)", '20240131'],
    ["SUBSTR('abcdef', -2)", 'ef'],
    ["CONCAT('a', NULL)", null],
    ['GREATEST(1, NULL, 3)', null],
    ['IF(1 > 0, "yes", "no")', 'yes'],
    // mozfun and udf routines.
    [`mozfun.map.get_key(${MAP}, 'b')`, 'y'],
    [`mozfun.map.get_key(${MAP}, 'z')`, null],
    [`\`mozdata.udf.get_key\`(${MAP}, "a")`, 'x'],
    [
      `mozfun.map.extract_keyed_scalar_sum([STRUCT('a' AS key, 2 AS value), STRUCT('b' AS key, 5 AS value)])`,
      '7',
    ],
    [`(SELECT SUM(value) FROM UNNEST(mozfun.hist.extract('${HIST}').values))`, '6'],
    [`mozfun.hist.extract('${HIST}').sum`, '35'],
    [`mozfun.hist.extract('${HIST}').bucket_count`, '50'],
    [`mozfun.hist.threshold_count('${HIST}', 5)`, '4'],
    [`mozfun.hist.extract('3;2;7;1,2;0:4,1:7').values[OFFSET(1)].value`, '7'],
    [`mozfun.hist.extract('5,9').sum`, '9'],
    [`mozfun.hist.extract('12').values[OFFSET(0)].value`, '12'],
    [`udf.histogram_max_key_with_nonzero_value('${HIST}')`, '20'],
    [`udf.keyed_histogram_get_sum([STRUCT('gpu' AS key, '${HIST}' AS value)], 'gpu')`, '35'],
    ["mozfun.norm.os('Windows_NT')", 'Windows'],
    ["mozfun.norm.os('Darwin')", 'Mac'],
    ["mozfun.norm.windows_version_info('Windows_NT', '10.0', 22631)", 'Windows 11'],
    ["mozfun.norm.windows_version_info('Windows_NT', '10.0', 19045)", 'Windows 10'],
    ["mozfun.norm.extract_version('133.0.3', 'major') >= 133", 'true'],
    ['mozfun.bits28.days_since_seen(12)', '2'],
    ['mozfun.bits28.days_since_seen(0)', null],
  ])('%s → %s', async (bigQuery, expected) => {
    expect(await valueOf(bigQuery)).toBe(expected);
  });

  it('names no macro on the search path like a DuckDB built-in (it would silently shadow it)', async () => {
    const macros =
      await rows(`SELECT database_name AS db, function_name AS name FROM duckdb_functions()
      WHERE function_type = 'macro' AND NOT internal ORDER BY 1, 2`);
    const onSearchPath = macros.filter((m) => m.db !== 'mozfun' && m.db !== 'udf');
    expect(onSearchPath.map((m) => m.db)).toEqual(onSearchPath.map(() => 'temp'));
    expect(onSearchPath.every((m) => String(m.name).startsWith('bq_'))).toBe(true);
    expect(macros.length - onSearchPath.length).toBeGreaterThanOrEqual(13);
    const shadowing = await rows(`SELECT DISTINCT m.function_name AS name FROM duckdb_functions() m
      JOIN duckdb_functions() b ON lower(m.function_name) = lower(b.function_name)
      WHERE m.function_type = 'macro' AND m.database_name = 'temp' AND b.internal`);
    expect(shadowing).toEqual([]);
  });

  it('reads fields of a JSON-typed column, as JSON_VALUE(event_extra.opened) does', async () => {
    const sql = `SELECT ${toDuckDbSql('JSON_VALUE(event_extra.opened)')} AS v FROM (SELECT '{"opened":"true"}'::JSON AS event_extra)`;
    expect(await rows(sql)).toEqual([{ v: 'true' }]);
  });

  it('keeps DuckDB built-ins intact (no macro shadows them)', async () => {
    const result = await rows(
      "SELECT date_diff('day', DATE '2020-01-01', DATE '2020-01-10') AS d, substring('abc', 2) AS s, json_value('{\"a\":\"x\"}', '$.a') AS j",
    );
    expect(result[0]).toEqual({ d: '9', s: 'bc', j: '"x"' });
  });

  it('reads any BigQuery string literal as the same text in DuckDB', async () => {
    const encode = (s: string): string =>
      `"${[...s].map((ch) => (ch === '"' || ch === '\\' ? `\\${ch}` : ch === '\n' ? '\\n' : ch)).join('')}"`;
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 12, unit: 'grapheme-ascii' }), async (text) => {
        const result = await rows(`SELECT ${toDuckDbSql(encode(text))} AS v`);
        expect(result[0]?.v).toBe(text);
      }),
      { numRuns: 150 },
    );
  });
});

describe('translated aggregates and queries in DuckDB', () => {
  beforeAll(async () => {
    await connection.run(`CREATE TABLE daily AS SELECT * FROM (VALUES
      ('c1', DATE '2024-01-01', 3, true, NULL::VARCHAR, '${HIST}'),
      ('c1', DATE '2024-01-02', NULL, false, 'pdf', '{"sum":10,"values":{"1":4}}'),
      ('c2', DATE '2024-01-01', 0, NULL, 'html', NULL)
    ) AS t(client_id, submission_date, hits, active, handler, hist)`);
    await connection.run(`CREATE SCHEMA telemetry`);
    await connection.run(`CREATE VIEW telemetry.events AS SELECT * FROM (VALUES
      ('c1', [{'category': 'serp', 'name': 'impression', 'extra': [{'key': 'is_private', 'value': 'true'}]},
              {'category': 'serp', 'name': 'click', 'extra': []}]),
      ('c2', [])
    ) AS t(client_id, events)`);
  });

  async function perClient(bigQuery: string): Promise<Record<string, unknown>> {
    const sql = `SELECT client_id, CAST((${toDuckDbSql(bigQuery)}) AS VARCHAR) AS v FROM daily GROUP BY client_id ORDER BY client_id`;
    const result = await rows(sql);
    return Object.fromEntries(
      result.map((r): [string, unknown] => [String(r.client_id), r.v ?? null]),
    );
  }

  it.each([
    ['COUNTIF(hits > 0)', { c1: '1', c2: '0' }],
    ['COALESCE(LOGICAL_OR(active), FALSE)', { c1: 'true', c2: 'false' }],
    ['LOGICAL_AND(active)', { c1: 'false', c2: null }],
    ['COALESCE(SUM(hits), 0)', { c1: '3', c2: '0' }],
    ['ARRAY_AGG(handler IGNORE NULLS)', { c1: '[pdf]', c2: '[html]' }],
    [
      'ARRAY_AGG(hits IGNORE NULLS ORDER BY submission_date DESC LIMIT 1)[SAFE_OFFSET(0)]',
      { c1: '3', c2: '0' },
    ],
    ['MAX_BY(hits, submission_date)', { c1: null, c2: '0' }],
    [
      // metric-hub's agg_histogram_mean body: sum of sums over sum of counts.
      `SAFE_DIVIDE(SUM(CAST(JSON_EXTRACT_SCALAR(hist, "$.sum") AS int64)),
         SUM((SELECT SUM(value) FROM UNNEST(mozfun.hist.extract(hist).values))))`,
      { c1: '4.5', c2: null },
    ],
  ])('%s', async (bigQuery, expected) => {
    expect(await perClient(bigQuery)).toEqual(expected);
  });

  it('counts 0, not NULL, with COUNTIF over a group whose conditions are all NULL (a client without rows)', async () => {
    const sql = `SELECT ${toDuckDbSql('COUNTIF(x > 0)')} AS n FROM (SELECT NULL::INTEGER AS x)`;
    expect(await rows(sql)).toEqual([{ n: '0' }]);
  });

  it('keeps COUNTIF usable as a window function', async () => {
    const sql = `SELECT ${toDuckDbSql('COUNTIF(x > 0) OVER (ORDER BY x)')} AS n FROM (SELECT 1 AS x)`;
    expect(await rows(sql)).toEqual([{ n: '1' }]);
  });

  it('runs a from expression with a project-qualified table, CROSS JOIN UNNEST and * EXCEPT', async () => {
    const from = toDuckDbSql(`(
      SELECT p.* EXCEPT (events), event.name AS event_name
      FROM \`moz-fx-data-shared-prod.telemetry.events\` p
      CROSS JOIN UNNEST(p.events) AS event
      WHERE event.category = "serp" AND mozfun.map.get_key(event.extra, 'is_private') IS NOT NULL
    )`);
    expect(await rows(`SELECT * FROM ${from} AS ds`)).toEqual([
      { client_id: 'c1', event_name: 'impression' },
    ]);
  });

  it('exposes struct fields of an unaliased UNNEST as columns, and the element through an alias', async () => {
    const sql = toDuckDbSql(`SELECT client_id,
        (SELECT COUNT(*) FROM UNNEST(events) WHERE name = 'click') AS clicks,
        EXISTS(SELECT 1 FROM UNNEST(events) AS e WHERE e.name = 'impression') AS saw,
        (SELECT STRING_AGG(e.name, ',' ORDER BY i) FROM UNNEST(events) AS e WITH OFFSET AS i) AS names
      FROM mozdata.telemetry.events ORDER BY client_id`);
    expect(await rows(sql)).toEqual([
      { client_id: 'c1', clicks: '1', saw: true, names: 'impression,click' },
      { client_id: 'c2', clicks: '0', saw: false, names: null },
    ]);
  });

  it('keeps clients with empty arrays on LEFT JOIN UNNEST', async () => {
    const sql = toDuckDbSql(
      `SELECT client_id, e.name FROM telemetry.events LEFT JOIN UNNEST(events) e ORDER BY client_id, e.name`,
    );
    expect(await rows(sql)).toEqual([
      { client_id: 'c1', name: 'click' },
      { client_id: 'c1', name: 'impression' },
      { client_id: 'c2', name: null },
    ]);
  });
});

describe('duckDbPrelude', () => {
  it('can run on every connection of one database, and each connection gets the macros', async () => {
    const second = await connect();
    const third = await connect();
    for (const c of [second, third]) {
      const result = await rows(
        `SELECT ${toDuckDbSql('SAFE_DIVIDE(1, 0)')} AS a, ${toDuckDbSql("mozfun.norm.os('Linux')")} AS b`,
        c,
      );
      expect(result[0]).toEqual({ a: null, b: 'Linux' });
    }
    second.closeSync();
    third.closeSync();
  });

  it('fails clearly on a connection that did not run it', async () => {
    const bare = await instance.connect();
    await expect(bare.run(`SELECT ${toDuckDbSql('SAFE_DIVIDE(1, 2)')}`)).rejects.toThrow(
      /bq_safe_divide/,
    );
    bare.closeSync();
  });
});
