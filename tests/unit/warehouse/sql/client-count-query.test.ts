import { describe, expect, it } from 'vitest';
import {
  buildBranchesQuery,
  buildClientCountQuery,
} from '../../../../src/warehouse/sql/client-count-query.js';
import { branchIndexExpression } from '../../../../src/warehouse/sql/branch-index.js';
import { usedParams } from '../../../../src/warehouse/sql/sql-query.js';
import { dayOffset } from '../../../../src/warehouse/sql/day-offset.js';
import { datasetTableNamer } from '../../../../src/warehouse/sql/table-namer.js';

const tables = datasetTableNamer('contrail');

describe('buildClientCountQuery', () => {
  it('counts every (basis, segment) per branch, all first', () => {
    const { query, columns } = buildClientCountQuery(
      { slug: 'my-exp', branches: ['a'], segments: ['regular'] },
      tables,
    );
    expect(columns).toEqual([
      { column: 'c_0', basis: 'enrollments', segment: 'all' },
      { column: 'c_1', basis: 'enrollments', segment: 'regular' },
      { column: 'c_2', basis: 'exposures', segment: 'all' },
      { column: 'c_3', basis: 'exposures', segment: 'regular' },
    ]);
    expect(query.sql).toContain('COUNT(*) AS c_0');
    expect(query.sql).toContain('COUNTIF(e.`regular` = TRUE) AS c_1');
    expect(query.sql).toContain('COUNTIF(e.exposure_date IS NOT NULL) AS c_2');
    expect(query.sql).toContain(
      'COUNTIF(e.`regular` = TRUE AND e.exposure_date IS NOT NULL) AS c_3',
    );
    expect(query.sql).toContain('FROM `contrail`.`enrollments_my_exp` e');
  });

  it('counts only the requested bases and rejects bad names', () => {
    const { columns } = buildClientCountQuery(
      { slug: 'x', branches: [], segments: [], bases: ['exposures'] },
      tables,
    );
    expect(columns).toEqual([{ column: 'c_0', basis: 'exposures', segment: 'all' }]);
    expect(() =>
      buildClientCountQuery({ slug: 'x', branches: [], segments: ['a;b'] }, tables),
    ).toThrow(/segment name/);
    expect(() => buildBranchesQuery('x"y', tables)).toThrow(/slug/);
  });
});

describe('small SQL helpers', () => {
  it('branchIndexExpression binds each branch', () => {
    expect(branchIndexExpression('p.branch', ['a', "b'c"])).toEqual({
      sql: 'CASE p.branch WHEN @branch_0 THEN 0 WHEN @branch_1 THEN 1 ELSE -1 END',
      params: { branch_0: 'a', branch_1: "b'c" },
    });
    expect(branchIndexExpression('p.branch', []).sql).toBe('-1');
  });

  it('usedParams keeps only referenced parameters', () => {
    expect(usedParams('SELECT @a, @abc', { a: 1, ab: 2, abc: 3 })).toEqual({ a: 1, abc: 3 });
  });

  it('dayOffset shifts by whole days only', () => {
    expect(dayOffset('d', 0)).toBe('d');
    expect(dayOffset('d', -7)).toBe('DATE_ADD(d, INTERVAL (-7) DAY)');
    expect(() => dayOffset('d', 1.5)).toThrow(RangeError);
  });
});
