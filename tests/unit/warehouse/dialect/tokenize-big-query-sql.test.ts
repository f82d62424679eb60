import { describe, expect, it } from 'vitest';

import { tokenizeBigQuerySql } from '../../../../src/warehouse/dialect/tokenize-big-query-sql.js';
import { UntranslatableSqlError } from '../../../../src/warehouse/dialect/index.js';

const kinds = (sql: string): string[] =>
  tokenizeBigQuerySql(sql)
    .filter((t) => t.kind !== 'space')
    .map((t) => `${t.kind}:${t.text}`);

describe('tokenizeBigQuerySql', () => {
  it('decodes single-, double- and triple-quoted strings with their escapes', () => {
    expect(kinds(`'it\\'s' "say \\"hi\\"" """a "b" c""" '''x'y'''`)).toEqual([
      "string:it's",
      'string:say "hi"',
      'string:a "b" c',
      "string:x'y",
    ]);
    expect(kinds(`'\\n\\t\\x41\\u00e9\\101\\\\'`)).toEqual(['string:\n\tAé' + 'A\\']);
  });

  it('keeps raw strings as written and reads bytes literals', () => {
    expect(kinds(`r'MOZ\\_CRASH%' R"a\\d+" b'\\x00ab' rb'\\n'`)).toEqual([
      'string:MOZ\\_CRASH%',
      'string:a\\d+',
      'bytes:\u0000ab',
      'bytes:\\n',
    ]);
  });

  it('does not see comments or quotes inside strings, nor strings inside comments', () => {
    expect(kinds(`'-- not a comment' -- 'not a string'\n"/* x */" # hash comment`)).toEqual([
      'string:-- not a comment',
      "comment: 'not a string'",
      'string:/* x */',
      'comment: hash comment',
    ]);
    expect(kinds('a /* multi\nline */ b')).toEqual(['word:a', 'comment: multi\nline ', 'word:b']);
  });

  it('reads backtick identifiers, numbers, parameters and operators', () => {
    expect(
      kinds('`moz-fx-data-shared-prod.telemetry.events` 0x1F 1.5e3 .5 @day <> != >= ||'),
    ).toEqual([
      'quoted:moz-fx-data-shared-prod.telemetry.events',
      'number:0x1F',
      'number:1.5e3',
      'number:.5',
      'param:@day',
      'op:<>',
      'op:!=',
      'op:>=',
      'op:||',
    ]);
  });

  it('reads an unquoted dashed project only where a table name starts', () => {
    expect(kinds('FROM moz-fx-data-shared-prod.telemetry.main')[1]).toBe(
      'quoted:moz-fx-data-shared-prod',
    );
    expect(kinds('a-b.c.d')[0]).toBe('quoted:a-b');
    expect(kinds('x + a-b.c.d').slice(2, 5)).toEqual(['word:a', 'op:-', 'word:b']);
  });

  it.each([
    ["'abc", 'unterminated string literal'],
    ['`abc', 'unterminated backtick identifier'],
    ['/* abc', 'unterminated comment'],
    ["'\\q'", 'unknown escape \\q'],
    ['{{agg_sum("x")}}', 'unrendered template placeholder'],
    ['`moz-fx-data-shared-prod.{dataset}.events`', 'unrendered template placeholder'],
  ])('rejects %s with construct %s', (sql, construct) => {
    const error = (() => {
      try {
        tokenizeBigQuerySql(sql, 'metric m');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UntranslatableSqlError);
    expect((error as UntranslatableSqlError).construct).toBe(construct);
    expect((error as UntranslatableSqlError).message).toContain('metric m');
  });
});
