import { describe, expect, it } from 'vitest';
import { bigQueryParamsToDuckDb } from '../../../../src/warehouse/duckdb/duckdb-dialect.js';
import { belongsToSlug } from '../../../../src/warehouse/duckdb/duckdb-tables.js';
import { tableKindOf } from '../../../../src/warehouse/table-info.js';
import { base64Literal, pathLiteral } from '../../../../src/warehouse/duckdb/sql-literal.js';

describe('bigQueryParamsToDuckDb', () => {
  it('turns @name into $name outside literals, quoted names and comments', () => {
    const sql = `SELECT @a, '@b', "@c", \`@d\`, x -- @e\n, @f_2 /* @g */ FROM t WHERE y = 'it''s @h'`;
    expect(bigQueryParamsToDuckDb(sql)).toBe(
      `SELECT $a, '@b', "@c", \`@d\`, x -- @e\n, $f_2 /* @g */ FROM t WHERE y = 'it''s @h'`,
    );
  });

  it('leaves a lone @ alone', () => {
    expect(bigQueryParamsToDuckDb('SELECT 1 @ 2')).toBe('SELECT 1 @ 2');
  });
});

describe('result table names', () => {
  it('belongsToSlug matches an experiment’s own tables only', () => {
    expect(belongsToSlug('enrollments_my_exp', 'my-exp')).toBe(true);
    expect(belongsToSlug('statistics_my_exp_week_3', 'my-exp')).toBe(true);
    expect(belongsToSlug('statistics_my_exp_preenrollment_days28_1', 'my-exp')).toBe(true);
    expect(belongsToSlug('statistics_my_exp_two_week_1', 'my-exp')).toBe(false);
    expect(belongsToSlug('enrollments_my_exp_two', 'my-exp')).toBe(false);
    expect(() => belongsToSlug('x', 'bad slug')).toThrow(/slug/);
  });

  it('tableKindOf reads the prefix', () => {
    expect(tableKindOf('enrollments_a')).toBe('enrollments');
    expect(tableKindOf('statistics_a_day_1')).toBe('statistics');
    expect(tableKindOf('a_enrollments_week_1')).toBe('metrics');
    expect(tableKindOf('a_enrollments_clients_daily_week_1')).toBe('other'); // a discrete part table
    expect(tableKindOf('contrail_row_stage')).toBe('other');
  });
});

describe('literals', () => {
  it('pathLiteral doubles quotes and refuses NUL', () => {
    expect(pathLiteral("/tmp/it's")).toBe("'/tmp/it''s'");
    expect(() => pathLiteral('/tmp/a\u0000b')).toThrow(/NUL/);
  });

  it('base64Literal keeps only base64 characters inside the quotes', () => {
    const literal = base64Literal(`'); DROP TABLE x; --`);
    expect(literal).toMatch(/^'[A-Za-z0-9+/=]+'$/);
    expect(Buffer.from(literal.slice(1, -1), 'base64').toString()).toBe(`'); DROP TABLE x; --`);
  });
});
