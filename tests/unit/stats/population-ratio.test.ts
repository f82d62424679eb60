import { describe, expect, it } from 'vitest';

import { expectEstimate, findRow, range, run, sliceOf } from './helpers.js';

describe('population_ratio conformance', () => {
  it('B6: percentile bootstrap of a ratio of means', () => {
    const i = range(1000);
    const den = i.map((k) => 5 + ((7 * k) % 11));
    const slice = sliceOf(
      { control: i.map(() => 0), treatment: i.map(() => 0) },
      {
        control: { num: i.map((k) => ((3 * k) % 5) + (k % 2)), den },
        treatment: { num: i.map((k) => ((3 * k) % 5) + (k % 3 === 0 ? 1 : 0)), den },
      },
    );
    const { rows, failures } = run(
      'population_ratio',
      slice,
      { numerator: 'num', denominator: 'den' },
      { referenceBranch: 'control' },
    );
    expect(failures).toEqual([]);
    expectEstimate(
      findRow(rows, { branch: 'control', comparison: null }),
      [0.249975, 0.23964, 0.26062],
      [3e-4, 1e-3, 1e-3],
    );
    expectEstimate(
      findRow(rows, { branch: 'treatment', comparison: null }),
      [0.2333767, 0.22322, 0.24387],
      [3e-4, 1e-3, 1e-3],
    );
    const t = { branch: 'treatment', comparison_to_branch: 'control' };
    expectEstimate(
      findRow(rows, { ...t, comparison: 'difference' }),
      [-0.01662, -0.03129, -0.00177],
      [1.5e-3, 1.5e-3, 1.5e-3],
    );
    expectEstimate(
      findRow(rows, { ...t, comparison: 'relative_uplift' }),
      [-0.06604, -0.12163, -0.00727],
      [6e-3, 6e-3, 6e-3],
    );
  });

  it('A16: identical branches with den = 10·num give 0.1 in every replicate', () => {
    const num = range(10, 10, -1);
    const columns = { num, den: num.map((x) => 10 * x) };
    const slice = sliceOf({ a: num, b: num }, { a: columns, b: columns });
    const { rows } = run('population_ratio', slice, { numerator: 'num', denominator: 'den' });
    for (const row of rows) {
      const expected = row.comparison === null ? 0.1 : 0;
      for (const v of [row.point, row.lower, row.upper]) {
        expect(Math.abs(v! - expected)).toBeLessThan(1e-12);
      }
    }
    expect(rows).toHaveLength(2 + 4);
  });

  it('needs the metric, numerator and denominator columns and rejects nulls', () => {
    const slice = sliceOf(
      { a: [1, 2], b: [1, 2] },
      { a: { num: [1, 2], den: [1, Number.NaN] }, b: { num: [1, 2], den: [1, 2] } },
    );
    const nulls = run('population_ratio', slice, { numerator: 'num', denominator: 'den' });
    expect(nulls.failures[0]).toMatchObject({ errorClass: 'NullValuesError' });
    expect(nulls.failures[0]!.message).toMatch(/column 'den', branch 'a', row 2/);
    const missing = run('population_ratio', slice, { numerator: 'num', denominator: 'nope' });
    expect(missing.failures[0]).toMatchObject({ errorClass: 'MissingColumnError' });
    const unknown = run('population_ratio', slice, { numerator: 'num' });
    expect(unknown.failures[0]).toMatchObject({ errorClass: 'StatisticParameterError' });
    expect(unknown.failures[0]!.message).toMatch(/denominator/);
  });
});
