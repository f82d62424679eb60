import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { compressSample } from '../../../src/stats/sample/compressed-sample.js';
import { linspace, makeGrid } from '../../../src/stats/statistics/grid.js';
import {
  kdeBandwidth,
  kernelDensity,
} from '../../../src/stats/statistics/kernel-density-estimate.js';
import type { KernelName } from '../../../src/stats/statistics/kernel-functions.js';
import { findRow, range, run, sliceOf } from './helpers.js';

const A9 = [0, 1, 1, 2, 3, 5, 8, 13];
const KERNELS: KernelName[] = [
  'gaussian',
  'tophat',
  'epanechnikov',
  'exponential',
  'linear',
  'cosine',
];

/**
 * Within `tol` relative, or half a unit of the last of the 8 decimals the spec prints (its small
 * densities, e.g. 0.01140264, carry only ~4e-7 relative precision).
 */
function expectRelative(actual: number | null, expected: number, tol: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(
    Math.max(tol * Math.abs(expected), 5e-9),
  );
}

/** The gaussian KDE by its definition, summed naively. */
function naiveGaussianKde(values: readonly number[], h: number, x: number): number {
  let sum = 0;
  for (const v of values) sum += Math.exp(-0.5 * ((x - v) / h) ** 2) / Math.sqrt(2 * Math.PI);
  return sum / (values.length * h);
}

describe('kernel_density_estimate conformance', () => {
  it('A9: scott bandwidth on a linear grid', () => {
    const { rows } = run('kernel_density_estimate', sliceOf({ a: A9 }), { grid_size: 5 });
    expect(kdeBandwidth('scott', 8)).toBeCloseTo(0.6597539554, 10);
    expect(rows.map((r) => r.parameter)).toEqual(['0.0', '3.25', '6.5', '9.75', '13.0']);
    [0.12428021, 0.08560106, 0.01140264, 0.00224242, 0.07558543].forEach((f, g) =>
      expectRelative(rows[g]!.point, f, 1e-7),
    );
    [0, 3.25, 6.5, 9.75, 13].forEach((x, g) => {
      const exact = naiveGaussianKde(A9, 8 ** -0.2, x);
      expect(Math.abs(rows[g]!.point! - exact)).toBeLessThanOrEqual(1e-12 * exact);
    });
    expect(
      rows.every((r) => r.lower === null && r.comparison === null && r.ci_width === null),
    ).toBe(true);
  });

  it('A9: a geometric grid starts at the second-smallest value and adds the row at 0', () => {
    const { rows } = run('kernel_density_estimate', sliceOf({ a: A9 }), {
      grid_size: 5,
      log_space: true,
    });
    expect(rows).toHaveLength(6);
    expect(rows[0]!.parameter).toBe('0');
    expectRelative(rows[0]!.point, 0.12428021, 1e-7);
    expect(rows.slice(1).map((r) => r.parameter)).toEqual([
      '1.0',
      '1.898829',
      '3.605551',
      '6.846325',
      '13.0',
    ]);
    [0.19986319, 0.15443973, 0.06167529, 0.0178913, 0.07558543].forEach((f, g) =>
      expectRelative(rows[g + 1]!.point, f, 1e-7),
    );
  });

  it.each([
    ['tophat', [0.09473229, 0.28419686, 0]],
    ['epanechnikov', [0.14209843, 0.18145294, 0]],
    ['exponential', [0.14197168, 0.15317393, 0.04863549]],
    ['linear', [0.18946457, 0.13763183, 0]],
    ['cosine', [0.14880513, 0.1657319, 0]],
  ] as const)('A9: the %s kernel at 0, 1.5 and 4', (kernel, expected) => {
    const sample = compressSample(Float64Array.from(A9));
    const density = kernelDensity(
      sample,
      kdeBandwidth('scott', 8),
      kernel,
      Float64Array.of(0, 1.5, 4),
      false,
    );
    expected.forEach((f, i) =>
      f === 0 ? expect(density[i]).toBe(0) : expectRelative(density[i]!, f, 1e-7),
    );
  });

  it('A11: sklearn Scott rule on the UCI wine fixture (ash by cultivar)', () => {
    const text = readFileSync(
      resolve(process.cwd(), '../shared/fixtures/jetstream/wine.data'),
      'utf8',
    );
    const [header, ...lines] = text.trim().split('\n');
    const columns = header!.split(',');
    const ash = columns.indexOf('ash');
    const byCultivar: Record<string, number[]> = {};
    for (const line of lines) {
      const fields = line.split(',');
      (byCultivar[fields[0]!] ??= []).push(Number(fields[ash]));
    }
    const { rows } = run('kernel_density_estimate', sliceOf(byCultivar));
    const first = rows.filter((r) => r.branch === '1');
    expect(byCultivar['1']).toHaveLength(59);
    expect(first).toHaveLength(256);
    expect(kdeBandwidth('scott', 59)).toBeCloseTo(0.4424147, 7);
    expect(first.slice(0, 3).map((r) => r.parameter)).toEqual(['2.04', '2.044627', '2.049255']);
    expectRelative(first[0]!.point, 0.5734703, 1e-6);
    expect(first[128]!.parameter).toBe('2.632314');
    expectRelative(first[128]!.point, 0.7509566, 1e-6);
    expectRelative(first[255]!.point, 0.2416941, 1e-6);
    expectRelative(findRow(rows, { branch: '2', parameter: '1.36' }).point, 0.1824654, 1e-6);
    expectRelative(findRow(rows, { branch: '3', parameter: '2.1' }).point, 0.6421442, 1e-6);
  });

  it('evaluates exactly on large data (the banded fast path equals direct sums)', () => {
    const values = Float64Array.from(range(20_000), (i) => Math.exp(Math.sin(i * 12.9898) * 2));
    const sample = compressSample(values);
    const h = kdeBandwidth('scott', values.length);
    const grid = makeGrid(sample.values, 256, false).points;
    for (const kernel of ['gaussian', 'exponential'] as const) {
      const fast = kernelDensity(sample, h, kernel, grid, true);
      const direct = kernelDensity(sample, h, kernel, grid, false);
      fast.forEach((f, g) =>
        expect(Math.abs(f - direct[g]!)).toBeLessThanOrEqual(1e-9 * direct[g]! + 1e-300),
      );
    }
  });
});

describe('empirical_cdf conformance', () => {
  it('A10: the ECDF on the A9 grids', () => {
    const linear = run('empirical_cdf', sliceOf({ a: A9 }), { grid_size: 5 }).rows;
    expect(linear.map((r) => r.point)).toEqual([0.125, 0.625, 0.75, 0.875, 1]);
    const geometric = run('empirical_cdf', sliceOf({ a: A9 }), {
      grid_size: 5,
      log_space: true,
    }).rows;
    expect(geometric.map((r) => [r.parameter, r.point])).toEqual([
      ['0', 0.125],
      ['1.0', 0.375],
      ['1.898829', 0.375],
      ['3.605551', 0.625],
      ['6.846325', 0.75],
      ['13.0', 1],
    ]);
  });

  it('A12: geometric grids fall back for negative data; linear grids have exact ends', () => {
    const negative = run('empirical_cdf', sliceOf({ a: [-1, 2, 5] }), { log_space: true });
    expect(negative.rows).toHaveLength(256);
    expect(negative.rows[0]!.parameter).toBe('-1.0');
    expect(negative.warnings[0]!.message).toMatch(/geometric/);
    const zero = makeGrid(Float64Array.of(0, 0, 0.5, 7), 256, true);
    expect(zero.geometric).toBe(true);
    expect(zero.points[0]).toBe(0.5);
    const grid = linspace(0.1, 0.7, 256);
    expect(grid).toHaveLength(256);
    expect(grid[0]).toBe(0.1);
    expect(grid[255]).toBe(0.7);
  });
});

describe('KDE and ECDF properties (spec §4C.6)', () => {
  const sample = fc.array(
    fc.integer({ min: -400, max: 400 }).map((k) => k / 16),
    { minLength: 2, maxLength: 60 },
  );

  it('the ECDF is non-decreasing and ends at 1', () => {
    fc.assert(
      fc.property(sample, (values) => {
        const points = run('empirical_cdf', sliceOf({ a: values }), { grid_size: 32 }).rows.map(
          (r) => r.point!,
        );
        points.forEach((p, i) => i > 0 && expect(p).toBeGreaterThanOrEqual(points[i - 1]!));
        expect(points[points.length - 1]).toBe(1);
      }),
      { numRuns: 50 },
    );
  });

  it.each(KERNELS)(
    'the %s KDE is ≥ 0 and integrates to 1 over [min − 10h, max + 10h]',
    (kernel) => {
      fc.assert(
        fc.property(sample, (values) => {
          const compressed = compressSample(Float64Array.from(values));
          const h = kdeBandwidth('scott', values.length);
          const lo = compressed.values[0]! - 10 * h;
          const hi = compressed.values[compressed.values.length - 1]! + 10 * h;
          const n = 20_001;
          const grid = linspace(lo, hi, n);
          const density = kernelDensity(compressed, h, kernel, grid, true);
          expect(density.every((f) => f >= 0)).toBe(true);
          let integral = 0;
          for (let i = 1; i < n; i++) {
            integral += ((density[i]! + density[i - 1]!) / 2) * (grid[i]! - grid[i - 1]!);
          }
          expect(Math.abs(integral - 1)).toBeLessThan(2e-3);
        }),
        { numRuns: 10 },
      );
    },
  );
});
