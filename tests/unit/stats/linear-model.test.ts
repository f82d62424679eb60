import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { expectEstimate, findRow, range, run, sliceOf } from './helpers.js';

const TOL = 1e-6;

describe('linear_model_mean conformance (spec §4A)', () => {
  it('A1: treatment 0..9 vs control 10..19, both references', () => {
    const { rows, failures } = run(
      'linear_model_mean',
      sliceOf({ treatment: range(10), control: range(10, 10) }),
    );
    expect(failures).toEqual([]);
    expect(rows).toHaveLength(2 + 4);
    expectEstimate(
      findRow(rows, { branch: 'treatment', comparison: null }),
      [4.5, 2.3341494, 6.6658506],
      TOL,
    );
    expectEstimate(
      findRow(rows, { branch: 'control', comparison: null }),
      [14.5, 12.3341494, 16.6658506],
      TOL,
    );
    const t = { branch: 'treatment', comparison_to_branch: 'control' };
    expectEstimate(
      findRow(rows, { ...t, comparison: 'difference' }),
      [-10, -12.8446619, -7.1553381],
      TOL,
    );
    expectEstimate(
      findRow(rows, { ...t, comparison: 'relative_uplift' }),
      [-0.6896552, -0.7994509, -0.5197489],
      TOL,
    );
    const c = { branch: 'control', comparison_to_branch: 'treatment' };
    expectEstimate(
      findRow(rows, { ...c, comparison: 'difference' }),
      [10, 7.1553381, 12.8446619],
      TOL,
    );
    expectEstimate(
      findRow(rows, { ...c, comparison: 'relative_uplift' }),
      [2.2222222, 1.0822439, 3.9863113],
      TOL,
    );
    expect(rows.every((r) => r.ci_width === 0.95 && r.statistic === 'mean_lm')).toBe(true);
  });

  it('A1: the width is fixed at 0.95 whatever confidence_interval says', () => {
    const { rows } = run(
      'linear_model_mean',
      sliceOf({ treatment: range(10), control: range(10, 10) }),
      {
        confidence_interval: 0.8,
      },
    );
    expect(rows.every((r) => r.ci_width === 0.95)).toBe(true);
    expectEstimate(
      findRow(rows, { branch: 'treatment', comparison: null }),
      [4.5, 2.3341494, 6.6658506],
      TOL,
    );
  });

  it('A2: per_client_dau_impact scales differences by the slice rows and has no individual rows', () => {
    const slice = sliceOf({ control: range(10, 0, 1 / 20), treatment: range(10, 10 / 20, 1 / 20) });
    const { rows } = run(
      'per_client_dau_impact',
      slice,
      {},
      { experimentBranches: ['control', 'treatment'] },
    );
    expect(rows).toHaveLength(4);
    expect(
      rows.every((r) => r.comparison !== null && r.statistic === 'per_client_dau_impact'),
    ).toBe(true);
    const t = { branch: 'treatment', comparison_to_branch: 'control' };
    expectEstimate(
      findRow(rows, { ...t, comparison: 'difference' }),
      [10, 7.155338, 12.844662],
      TOL,
    );
    expectEstimate(
      findRow(rows, { ...t, comparison: 'relative_uplift' }),
      [2.2222222, 1.0822439, 3.9863113],
      TOL,
    );
    const c = { branch: 'control', comparison_to_branch: 'treatment' };
    expectEstimate(
      findRow(rows, { ...c, comparison: 'difference' }),
      [-10, -12.844662, -7.155338],
      TOL,
    );
    expectEstimate(
      findRow(rows, { ...c, comparison: 'relative_uplift' }),
      [-0.6896552, -0.7994509, -0.5197489],
      TOL,
    );
  });

  it('A2: per_client_dau_impact keeps only branches configured in the experiment', () => {
    const slice = sliceOf({
      control: range(10, 0, 1 / 20),
      treatment: range(10, 10 / 20, 1 / 20),
      rogue: range(10),
    });
    const { rows } = run(
      'per_client_dau_impact',
      slice,
      {},
      { experimentBranches: ['control', 'treatment'] },
    );
    expect(new Set(rows.map((r) => r.branch))).toEqual(new Set(['control', 'treatment']));
  });

  it('A3: three branches against treatment-a, σ̂² pooled over all of them', () => {
    const slice = sliceOf({
      control: range(100),
      'treatment-a': range(100, 100),
      'treatment-b': range(100, 200),
    });
    const { rows } = run(
      'linear_model_mean',
      slice,
      { drop_highest: 0 },
      { referenceBranch: 'treatment-a' },
    );
    expect(rows).toHaveLength(3 + 4);
    const ref = { comparison_to_branch: 'treatment-a' };
    expectEstimate(
      findRow(rows, { ...ref, branch: 'control', comparison: 'difference' }),
      [-100, -108.0743305, -91.9256695],
      TOL,
    );
    expectEstimate(
      findRow(rows, { ...ref, branch: 'control', comparison: 'relative_uplift' }),
      [-0.6688963, -0.7066323, -0.6263064],
      TOL,
    );
    expectEstimate(
      findRow(rows, { ...ref, branch: 'treatment-b', comparison: 'difference' }),
      [100, 91.9256695, 108.0743305],
      TOL,
    );
    expectEstimate(
      findRow(rows, { ...ref, branch: 'treatment-b', comparison: 'relative_uplift' }),
      [0.6688963, 0.5965145, 0.7445598],
      TOL,
    );
    expectEstimate(
      findRow(rows, { branch: 'control', comparison: null }),
      [49.5, 43.7434906, 55.2565094],
      TOL,
    );
  });

  describe('A4: covariate adjustment', () => {
    const control = range(12).map((i) => ({
      x: 1 + i,
      y: 2 + 0.5 * (1 + i) + (((7 * i) % 5) - 2) / 2,
    }));
    const treatment = range(12).map((i) => ({
      x: 1.5 + i,
      y: 3 + 0.5 * (1.5 + i) + (((3 * i) % 5) - 2) / 2,
    }));
    const slice = sliceOf(
      { control: control.map((r) => r.y), treatment: treatment.map((r) => r.y) },
      {
        control: { covariate: control.map((r) => r.x) },
        treatment: { covariate: treatment.map((r) => r.x) },
      },
    );
    const adjusted = { covariate_adjustment: { period: 'preenrollment_week' } };

    it('matches the adjusted model with the grid c̄ at 1e-6', () => {
      const { rows, warnings } = run('linear_model_mean', slice, adjusted, {
        referenceBranch: 'control',
      });
      expect(warnings).toEqual([]);
      expectEstimate(
        findRow(rows, { branch: 'control', comparison: null }),
        [5.1666667, 3.9226827, 6.4106506],
        TOL,
      );
      expectEstimate(
        findRow(rows, { branch: 'treatment', comparison: null }),
        [6.44875, 5.1710377, 7.7264623],
        TOL,
      );
      expectEstimate(
        findRow(rows, { branch: 'treatment', comparison: 'difference' }),
        [1.0288411, 0.3848104, 1.6728718],
        TOL,
      );
      expectEstimate(
        findRow(rows, { branch: 'treatment', comparison: 'relative_uplift' }),
        [0.1943563, 0.074509, 0.3275711],
        TOL,
      );
    });

    it('is unadjusted without covariate_adjustment, in pre-enrollment periods and without the column', () => {
      const expectUnadjusted = (rows: ReturnType<typeof run>['rows']) => {
        expectEstimate(
          findRow(rows, { branch: 'treatment', comparison: 'difference' }),
          [1.2820833, -0.3981967, 2.9623634],
          TOL,
        );
        expectEstimate(
          findRow(rows, { branch: 'treatment', comparison: 'relative_uplift' }),
          [0.2481452, -0.0552384, 0.6489518],
          TOL,
        );
      };
      expectUnadjusted(run('linear_model_mean', slice, {}, { referenceBranch: 'control' }).rows);
      expectUnadjusted(
        run('linear_model_mean', slice, adjusted, {
          referenceBranch: 'control',
          period: 'preenrollment_days28',
        }).rows,
      );
      const bare = sliceOf({
        control: control.map((r) => r.y),
        treatment: treatment.map((r) => r.y),
      });
      const result = run('linear_model_mean', bare, adjusted, { referenceBranch: 'control' });
      expectUnadjusted(result.rows);
      expect(result.warnings[0]?.message).toMatch(/covariate/);
    });

    it('falls back to the unadjusted model when the covariate is collinear with the branch', () => {
      const constant = sliceOf(
        { control: control.map((r) => r.y), treatment: treatment.map((r) => r.y) },
        {
          control: { covariate: control.map(() => 1) },
          treatment: { covariate: treatment.map(() => 2) },
        },
      );
      const result = run('linear_model_mean', constant, adjusted, { referenceBranch: 'control' });
      expectEstimate(
        findRow(result.rows, { branch: 'treatment', comparison: 'difference' }),
        [1.2820833, -0.3981967, 2.9623634],
        TOL,
      );
      expect(result.warnings.map((w) => w.message).join()).toMatch(/singular/);
    });
  });

  describe('A5: degenerate data', () => {
    it('gives no rows when the pooled cap trims the reference to zeros or it is all zero', () => {
      const zeros = (n: number) => range(n).map(() => 0);
      const { rows, failures } = run(
        'linear_model_mean',
        sliceOf({ treatment: zeros(101), control: [...zeros(100), 1] }),
      );
      expect(rows).toEqual([]);
      expect(failures.map((f) => [f.referenceBranch, f.errorClass])).toEqual([
        ['treatment', 'DegenerateDataError'],
        ['control', 'DegenerateDataError'],
      ]);
      expect(failures[0]!.message).toMatch(/are zero$/);
      expect(failures[1]!.message).toMatch(/after outlier trimming/);
      const second = run(
        'linear_model_mean',
        sliceOf({ control: zeros(10), treatment: range(10, 1) }),
        {},
        { referenceBranch: 'control' },
      );
      expect(second.rows).toEqual([]);
      expect(second.failures[0]!.message).toMatch(/are zero/);
    });

    it('gives rows with null values for a constant non-zero metric', () => {
      const { rows, failures } = run(
        'linear_model_mean',
        sliceOf({ control: range(10).map(() => 3), treatment: range(10).map(() => 3) }),
      );
      expect(failures).toEqual([]);
      expect(rows).toHaveLength(2 + 4);
      expect(rows.every((r) => r.point === null && r.lower === null && r.upper === null)).toBe(
        true,
      );
    });

    it('gives null comparisons for a perfect fit and keeps the individual rows', () => {
      const { rows } = run(
        'linear_model_mean',
        sliceOf({ control: [1, 1], treatment: [2, 2] }),
        { drop_highest: 0 },
        { referenceBranch: 'control' },
      );
      expect(findRow(rows, { branch: 'treatment', comparison: null }).point).toBe(2);
      expect(findRow(rows, { branch: 'treatment', comparison: 'difference' }).point).toBeNull();
    });
  });
});

const branchValues = fc.array(
  fc.integer({ min: -800, max: 800 }).map((k) => k / 8),
  { minLength: 3, maxLength: 40 },
);

describe('linear_model_mean properties (spec §4C)', () => {
  it('2: swapping the reference mirrors differences and inverts ratios', () => {
    fc.assert(
      fc.property(branchValues, branchValues, (a, b) => {
        const { rows } = run(
          'linear_model_mean',
          sliceOf({ a: a.map((x) => x + 200), b: b.map((x) => x + 200) }),
          { drop_highest: 0 },
        );
        const ab = findRow(rows, { branch: 'a', comparison: 'difference' });
        const ba = findRow(rows, { branch: 'b', comparison: 'difference' });
        expect(ab.point! + ba.point!).toBeCloseTo(0, 9);
        expect(ab.lower! + ba.upper!).toBeCloseTo(0, 9);
        const rab = findRow(rows, { branch: 'a', comparison: 'relative_uplift' });
        const rba = findRow(rows, { branch: 'b', comparison: 'relative_uplift' });
        expect((1 + rab.point!) * (1 + rba.point!)).toBeCloseTo(1, 9);
        expect((1 + rab.lower!) * (1 + rba.upper!)).toBeCloseTo(1, 9);
      }),
      { numRuns: 50 },
    );
  });

  it('4: shifting every value leaves differences unchanged', () => {
    fc.assert(
      fc.property(
        branchValues,
        branchValues,
        fc.double({ min: -50, max: 50, noNaN: true }),
        (a, b, shift) => {
          fc.pre(new Set(a).size > 2 && new Set(b).size > 2);
          const options = { referenceBranch: 'b', integerColumns: [] };
          const base = run(
            'linear_model_mean',
            sliceOf({ a: a.map((x) => x + 200.5), b: b.map((x) => x + 200) }),
            {},
            options,
          );
          const moved = run(
            'linear_model_mean',
            sliceOf({ a: a.map((x) => x + 200.5 + shift), b: b.map((x) => x + 200 + shift) }),
            {},
            options,
          );
          const d0 = findRow(base.rows, { branch: 'a', comparison: 'difference' });
          const d1 = findRow(moved.rows, { branch: 'a', comparison: 'difference' });
          expect(d1.point!).toBeCloseTo(d0.point!, 8);
          expect(d1.upper! - d1.lower!).toBeCloseTo(d0.upper! - d0.lower!, 8);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('1: identical branches give exactly 0 with a symmetric interval', () => {
    const values = range(30).map((i) => Math.sin(i) * 10);
    const { rows } = run('linear_model_mean', sliceOf({ a: values, b: values }));
    const d = findRow(rows, { branch: 'a', comparison: 'difference' });
    expect(d.point).toBe(0);
    expect(d.lower).toBe(-d.upper!);
  });
});
