import { describe, expect, it } from 'vitest';

import { range, run, sliceOf } from './helpers.js';

const repeat = (value: number, n: number) => range(n).map(() => value);

describe('count and sum (A8)', () => {
  it('counts rows per branch, nulls included', () => {
    const { rows } = run(
      'count',
      sliceOf({ treatment: [...repeat(1, 19), Number.NaN], control: repeat(0, 10) }),
    );
    expect(rows.map((r) => [r.branch, r.point, r.statistic, r.ci_width, r.lower])).toEqual([
      ['treatment', 20, 'count', null, null],
      ['control', 10, 'count', null, null],
    ]);
  });

  it('sums the non-null values as floats (booleans as 0/1)', () => {
    const { rows } = run(
      'sum',
      sliceOf({
        a: [...repeat(0, 5), ...repeat(-1, 5), ...repeat(1, 10)],
        b: [...repeat(0, 5), ...repeat(1, 5), Number.NaN],
      }),
    );
    expect(rows.map((r) => r.point)).toEqual([5, 5]);
    const booleans = run(
      'sum',
      sliceOf({ a: [...repeat(1, 15), ...repeat(0, 5)], b: [...repeat(1, 5), ...repeat(0, 15)] }),
    );
    expect(booleans.rows.map((r) => r.point)).toEqual([15, 5]);
  });

  it('ignores the reference branch (count and sum run once)', () => {
    const result = run('count', sliceOf({ a: [1], b: [2] }), {}, { referenceBranch: 'missing' });
    expect(result.failures).toEqual([]);
    expect(result.rows).toHaveLength(2);
  });
});
