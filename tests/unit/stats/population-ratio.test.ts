import jStat from 'jstat';
import { describe, expect, it } from 'vitest';

import { runReplicateTask } from '../../../src/stats/index.js';
import { expectEstimate, findRow, range, run, sliceOf } from './helpers.js';

/**
 * Row 0's multiplicity in each of `replicates` resamples of n rows, read back from the ratio:
 * num = 1 and den = 1 on every row except den₀ = 2, so a replicate is n / (n + k₀) when the
 * multiplicities add up to n.
 */
function rowZeroCounts(n: number, replicates: number, seed: number): number[] {
  const pairs = new Float64Array(2 * n).fill(1);
  pairs[1] = 2;
  const ratios = runReplicateTask({
    kind: 'resample_ratio',
    replicates,
    seed,
    pairs,
    counts: null,
  });
  return Array.from(ratios, (ratio) => n / ratio - n);
}

/** Pearson χ² of integer draws against Binomial(n, p), cells with expected count ≥ 5. */
function binomialChiSquare(draws: readonly number[], n: number, p: number): number {
  const observed = new Map<number, number>();
  for (const k of draws) observed.set(k, (observed.get(k) ?? 0) + 1);
  let chi2 = 0;
  let cells = 0;
  let restObserved = draws.length;
  let restExpected = draws.length;
  for (let k = 0; k <= n; k++) {
    const logPmf =
      jStat.gammaln(n + 1) -
      jStat.gammaln(k + 1) -
      jStat.gammaln(n - k + 1) +
      k * Math.log(p) +
      (n - k) * Math.log1p(-p);
    const expected = draws.length * Math.exp(logPmf);
    if (expected < 5) continue;
    chi2 += ((observed.get(k) ?? 0) - expected) ** 2 / expected;
    restObserved -= observed.get(k) ?? 0;
    restExpected -= expected;
    cells++;
  }
  if (restExpected >= 5) {
    chi2 += (restObserved - restExpected) ** 2 / restExpected;
    cells++;
  }
  return chi2 / jStat.chisquare.inv(0.999, cells - 1);
}

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

  it('resamples exactly n rows with replacement (Poisson counts topped up), for any n', () => {
    // n = 3: Poisson mean 0, every row is an index draw; n = 2001: odd, and about 5000 words
    // with an ambiguous 16-bit half are resolved with 32 more bits.
    for (const [n, seed] of [
      [3, 1],
      [50, 2],
      [2001, 3],
    ] as const) {
      const counts = rowZeroCounts(n, 20_000, seed);
      for (const k of counts) expect(Math.abs(k - Math.round(k))).toBeLessThan(1e-9);
      const rounded = counts.map(Math.round);
      expect(Math.abs(rounded.reduce((s, k) => s + k, 0) / rounded.length - 1)).toBeLessThan(0.03);
      // χ² against Binomial(n, 1/n), as a fraction of its 0.999 quantile.
      expect(binomialChiSquare(rounded, n, 1 / n)).toBeLessThan(1);
    }
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
