import { describe, expect, it } from 'vitest';
import {
  numberCell,
  resultFields,
  rowRecords,
  timestampCell,
} from '../../../../src/warehouse/bigquery/wire-values.js';

const field = (type: string, name = 'x') => ({ name, type, mode: 'NULLABLE' });

describe('BigQuery wire values', () => {
  it('reads INT64, FLOAT64 and NUMERIC strings as doubles, NULL as NaN', () => {
    expect(numberCell('42', field('INTEGER'))).toBe(42);
    expect(numberCell('9007199254740993', field('INT64'))).toBe(9007199254740992);
    expect(numberCell('1.5', field('FLOAT'))).toBe(1.5);
    expect(numberCell('NaN', field('FLOAT64'))).toBeNaN();
    expect(numberCell('-Infinity', field('FLOAT64'))).toBe(Number.NEGATIVE_INFINITY);
    expect(numberCell('0.00001', field('NUMERIC'))).toBe(1e-5);
    expect(numberCell(null, field('FLOAT64'))).toBeNaN();
  });

  it('reads BOOL metrics as 1/0 and refuses other types, naming the column', () => {
    expect(numberCell('true', field('BOOLEAN'))).toBe(1);
    expect(numberCell('false', field('BOOL'))).toBe(0);
    expect(() => numberCell('a', field('STRING', 'label'))).toThrow(/column label has type STRING/);
  });

  it('reads TIMESTAMPs as int64 microseconds or float seconds', () => {
    expect(timestampCell('1704880800123456')).toBe('2024-01-10T10:00:00.123Z');
    expect(timestampCell('1.7048808E9')).toBe('2024-01-10T10:00:00.000Z');
    expect(timestampCell(null)).toBeNull();
    expect(() => timestampCell('soon')).toThrow(/bad TIMESTAMP value soon/);
  });

  it('turns rows into records by field name', () => {
    const fields = resultFields([
      { name: 'branch', type: 'STRING' },
      { name: 'n', type: 'INTEGER' },
      { name: 'ts', type: 'TIMESTAMP' },
    ]);
    const rows = [{ f: [{ v: 'control' }, { v: '3' }, { v: '0' }] }, { f: [{ v: null }] }];
    expect(rowRecords(fields, rows)).toEqual([
      { branch: 'control', n: '3', ts: '1970-01-01T00:00:00.000Z' },
      { branch: null, n: null, ts: null },
    ]);
  });
});
