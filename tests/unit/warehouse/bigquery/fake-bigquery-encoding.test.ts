import { describe, expect, it } from 'vitest';
import { FakeApiError } from '../../../helpers/fake-bigquery/fake-api-error.js';
import {
  bindParameters,
  queryError,
  statementTypeOf,
} from '../../../helpers/fake-bigquery/fake-query.js';
import { rowProblems } from '../../../helpers/fake-bigquery/json-rows.js';
import { parseMultipart } from '../../../helpers/fake-bigquery/multipart.js';
import {
  encodeValue,
  numericText,
  timestampMicros,
} from '../../../helpers/fake-bigquery/wire-encoding.js';

const INT64 = { int64Timestamp: true };

describe('fake BigQuery: wire encoding and request parsing', () => {
  it('encodes values the way BigQuery’s REST API does', () => {
    expect(encodeValue({ name: 'n', type: 'INTEGER' }, '12', INT64)).toBe('12');
    expect(encodeValue({ name: 'b', type: 'BOOLEAN' }, true, INT64)).toBe('true');
    expect(encodeValue({ name: 'x', type: 'NUMERIC' }, '0.500000000', INT64)).toBe('0.5');
    expect(encodeValue({ name: 'x', type: 'FLOAT' }, null, INT64)).toBeNull();
    const map = {
      name: 'm',
      type: 'RECORD',
      mode: 'REPEATED' as const,
      fields: [
        { name: 'key', type: 'STRING' },
        { name: 'value', type: 'STRING' },
      ],
    };
    expect(encodeValue(map, [{ key: 'a', value: 'b' }], INT64)).toEqual([
      { v: { f: [{ v: 'a' }, { v: 'b' }] } },
    ]);
    const ts = { name: 't', type: 'TIMESTAMP' };
    expect(encodeValue(ts, '2024-01-10 10:00:00.5', INT64)).toBe('1704880800500000');
    expect(encodeValue(ts, '2024-01-10 10:00:00', { int64Timestamp: false })).toBe('1.7048808E9');
  });

  it('reads DuckDB timestamps and NUMERIC text', () => {
    expect(timestampMicros('1970-01-01 00:00:01.000002+00')).toBe(1_000_002n);
    expect(() => timestampMicros('yesterday')).toThrow(/cannot read timestamp/);
    expect(numericText('13.000000000')).toBe('13');
    expect(numericText('-0.000000000')).toBe('0');
  });

  it('binds named scalar parameters with DuckDB types and refuses the rest', () => {
    const bound = bindParameters('NAMED', [
      { name: 'n', parameterType: { type: 'INT64' }, parameterValue: { value: '50' } },
      { name: 's', parameterType: { type: 'STRING' }, parameterValue: {} },
    ]);
    expect(bound.values).toEqual({ n: 50n, s: null });
    expect(() =>
      bindParameters('POSITIONAL', [{ parameterType: { type: 'INT64' }, parameterValue: {} }]),
    ).toThrow(/named parameters only/);
    expect(() =>
      bindParameters('NAMED', [{ name: 'a', parameterType: { type: 'ARRAY' } }]),
    ).toThrow(/unsupported query parameter/);
  });

  it('maps DuckDB errors to BigQuery’s: missing tables are 404 notFound, the rest invalidQuery', () => {
    const missing = queryError(new Error('Catalog Error: Table with name t does not exist!'));
    expect([missing.status, missing.reason]).toEqual([404, 'notFound']);
    const bad = queryError(new Error('Parser Error: syntax error at or near "SELEC"'));
    expect([bad.status, bad.reason]).toEqual([400, 'invalidQuery']);
    expect(bad.body().error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(queryError(new FakeApiError(409, 'duplicate', 'x')).status).toBe(409);
    expect(statementTypeOf('-- c\nWITH a AS (SELECT 1) SELECT * FROM a')).toBe('SELECT');
    expect(statementTypeOf('/* x */ insert into t values (1)')).toBe('DML');
    expect(statementTypeOf('CREATE TABLE t (a INT64)')).toBe('DDL');
  });

  it('checks JSON rows against the schema like insertAll does', () => {
    const fields = [
      { name: 'a', type: 'STRING', mode: 'REQUIRED' as const },
      { name: 'r', type: 'RECORD', fields: [{ name: 'x', type: 'INT64' }] },
    ];
    expect(rowProblems(fields, { a: 'x', r: { x: 1 } }, false)).toEqual([]);
    expect(rowProblems(fields, { r: { y: 1 }, z: 2 }, false).map((p) => p.message)).toEqual([
      'no such field: r.y.',
      'no such field: z.',
      'Missing required field: a.',
    ]);
    expect(rowProblems(fields, { a: 'x', z: 2 }, true)).toEqual([]);
  });

  it('splits multipart/related uploads', () => {
    const body = [
      '--b1',
      'Content-Type: application/json',
      '',
      '{"configuration":{}}',
      '--b1',
      'Content-Type: application/octet-stream',
      '',
      '{"a":1}\n{"a":2}',
      '--b1--',
    ].join('\r\n');
    const parts = parseMultipart('multipart/related; boundary=b1', body);
    expect(parts.map((p) => p.body)).toEqual(['{"configuration":{}}', '{"a":1}\n{"a":2}']);
    expect(parts[0]!.headers['content-type']).toBe('application/json');
    expect(() => parseMultipart('multipart/related', body)).toThrow(/boundary/);
  });
});
