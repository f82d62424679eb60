import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  parseStatisticInput,
  readStatisticInputFile,
} from '../../../src/runtime/statistic-input-file.js';

const columns = { required: ['value'], optional: ['covariate'] };
const parse = (text: string, cols = columns) =>
  parseStatisticInput(Buffer.from(text), 'in.csv', cols);

describe('CSV input', () => {
  it('reads branches in order of first appearance with nulls, quotes, CRLF and line numbers', () => {
    const table = parse(
      'branch,other,value,covariate\r\nb,"x,y",1.5,\r\na,z,,2\r\n"b",,-3e2,4\r\n\r\nb,q,true,NaN\r\n',
    );
    expect(table.rows).toBe(4);
    expect(table.columns).toEqual(['value', 'covariate']);
    expect(table.slice.map((b) => b.branch)).toEqual(['b', 'a']);
    const b = table.slice[0]!.columns;
    expect(Array.from(b.value!)).toEqual([1.5, -300, 1]);
    expect(Array.from(b.covariate!)).toEqual([Number.NaN, 4, Number.NaN]);
    expect(Array.from(b.__line!)).toEqual([2, 4, 6]);
    expect(Number.isNaN(table.slice[1]!.columns.value![0]!)).toBe(true);
  });

  it('parses numbers exactly (fast path and fallback agree with Number)', () => {
    const texts = [
      '0.1',
      '123456789012345',
      '1234567890123456789',
      '-0.000000000000000000001',
      '2.5e-7',
      '1e308',
      '0.30000000000000004',
    ];
    const table = parse(`branch,value\n${texts.map((t) => `a,${t}`).join('\n')}\n`);
    expect(Array.from(table.slice[0]!.columns.value!)).toEqual(texts.map(Number));
  });

  it('names the file, line and column of bad input', () => {
    expect(() => parse('branch,value\na,1\na,abc\n')).toThrow(
      /^in\.csv:3:3: column 'value': 'abc' is not a decimal number$/,
    );
    expect(() => parse('branch,covariate\na,1\n')).toThrow(/in\.csv:1: missing column 'value'/);
    expect(() => parse('branch,value\na,1,2\n')).toThrow(/in\.csv:2:5: more fields/);
    expect(() => parse('branch,value\na\n')).toThrow(/in\.csv:2: 1 fields, the header has 2/);
    expect(() => parse('branch,value\n')).toThrow(/in\.csv: no data rows/);
    expect(() => parse('')).toThrow(/in\.csv: the file is empty/);
    expect(() => parse('branch,value\n"a,1\n')).toThrow(/unterminated quoted field/);
  });

  it('splits many rows per branch in file order (timing is in npm run bench:stats)', () => {
    const lines = ['branch,value'];
    for (let i = 0; i < 200_000; i++) {
      lines.push(`${i % 2 ? 'treatment' : 'control'},${(i * 0.37) % 100}`);
    }
    const table = parseStatisticInput(Buffer.from(lines.join('\n')), 'big.csv', columns);
    expect(table.rows).toBe(200_000);
    expect(table.slice.map((b) => b.columns.value!.length)).toEqual([100_000, 100_000]);
    expect(table.slice[1]!.columns.value![1]).toBe((3 * 0.37) % 100);
    expect(table.slice[1]!.columns.__line![1]).toBe(5);
  });
});

describe('issue 13 (14): only decimal numbers, no duplicate columns', () => {
  it('rejects hex, binary, octal and digit separators, naming the line and column', () => {
    for (const [text, column] of [
      ['0x10', 3],
      ['0b1', 3],
      ['0o7', 3],
      ['1_000', 3],
      ['1e', 3],
    ] as const) {
      expect(() => parse(`branch,value\na,1\na,${text}\n`), text).toThrow(
        new RegExp(`^in\\.csv:3:${column}: column 'value': '${text}' is not a decimal number$`),
      );
    }
    expect(() =>
      parseStatisticInput(Buffer.from('{"branch":"a","value":0x10}\n'), 'in.ndjson', columns),
    ).toThrow(/^in\.ndjson:1:23: 'value': '0x10' is not a decimal number$/);
  });

  it('rejects a requested column or branch that appears twice in the CSV header', () => {
    expect(() => parse('branch,value,value\na,1,2\n')).toThrow(
      /^in\.csv:1: column 'value' appears twice in the header \(fields 2 and 3\)$/,
    );
    expect(() => parse('branch,covariate,value,branch\na,1,2,b\n')).toThrow(
      /column 'branch' appears twice/,
    );
    // A column that is not read may repeat.
    expect(parse('branch,x,value,x\na,1,2,3\n').rows).toBe(1);
  });

  it('rejects a key that appears twice in one NDJSON object', () => {
    const bad = (text: string) => () =>
      parseStatisticInput(Buffer.from(text), 'in.ndjson', columns);
    expect(bad('{"branch":"a","value":1}\n{"branch":"a","value":1,"value":2}\n')).toThrow(
      /^in\.ndjson:2:25: key 'value' appears twice in the object$/,
    );
    expect(bad('{"branch":"a","value":1,"branch":"b"}\n')).toThrow(/key 'branch' appears twice/);
    const ok = parseStatisticInput(
      Buffer.from('{"branch":"a","value":1,"x":1,"x":2}\n'),
      'in.ndjson',
      columns,
    );
    expect(ok.rows).toBe(1);
  });
});

describe('NDJSON input', () => {
  it('reads flat objects with null, booleans, escapes and extra keys', () => {
    const text =
      '{"branch":"c\\u0041","value":1,"covariate":null,"x":"y"}\n\n{"value": true, "branch": "t"}\n{"branch":"cA","value":null}\n';
    const table = parseStatisticInput(Buffer.from(text), 'in.ndjson', columns);
    expect(table.slice.map((b) => b.branch)).toEqual(['cA', 't']);
    expect(Array.from(table.slice[0]!.columns.value!)).toEqual([1, Number.NaN]);
    expect(Array.from(table.slice[0]!.columns.__line!)).toEqual([1, 4]);
    expect(Array.from(table.slice[1]!.columns.value!)).toEqual([1]);
    expect(table.columns).toEqual(['value', 'covariate']);
  });

  it('names the line and column of bad input', () => {
    const bad = (text: string) => () =>
      parseStatisticInput(Buffer.from(text), 'in.ndjson', columns);
    expect(bad('{"branch":"a","value":"x"}\n')).toThrow(
      /in\.ndjson:1:23: 'value' must be a number/,
    );
    expect(bad('{"branch":"a","value":1}\n{"value":2}\n')).toThrow(
      /in\.ndjson:2: missing 'branch'/,
    );
    expect(bad('{"branch":"a","value":[1]}\n')).toThrow(/nested values/);
    expect(bad('{"branch":"a","covariate":1}\n')).toThrow(/missing column 'value'/);
    expect(bad('{"branch":"a","value":1} x\n')).toThrow(/in\.ndjson:1:26: unexpected text/);
  });
});

describe('files', () => {
  it('reads a file and reports a missing one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'contrail-stats-'));
    const path = join(dir, 'in.csv');
    writeFileSync(path, 'branch,value\na,1\n');
    expect(readStatisticInputFile(path, columns).rows).toBe(1);
    expect(() => readStatisticInputFile(join(dir, 'nope.csv'), columns)).toThrow(
      /nope\.csv: cannot read/,
    );
  });
});
