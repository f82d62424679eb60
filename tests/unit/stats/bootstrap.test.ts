import { describe, expect, it } from 'vitest';

import { runReplicateTask, type ReplicateTask } from '../../../src/stats/index.js';
import { Sfc32 } from '../../../src/stats/random/sfc32.js';
import { sampleExponential } from '../../../src/stats/random/ziggurat-exponential.js';
import { exponentialWeightedSums } from '../../../src/stats/replicates/bayesian-bootstrap-kernel.js';
import { sampleQuantiles } from '../../../src/stats/summary/summarize-replicates.js';
import { bayesianBootstrapTask } from '../../../src/stats/statistics/bootstrap-mean.js';
import { resampleRatioTask } from '../../../src/stats/statistics/population-ratio.js';
import { mean } from '../../../src/stats/sample/quantile.js';
import { expectEstimate, findRow, range, run, sliceOf } from './helpers.js';

const DEFAULT_QUANTILES = [0.005, 0.025, 0.5, 0.975, 0.995];
const binary = (k: number, n: number) => Array.from({ length: n }, (_, i) => (i < k ? 1 : 0));

/** Percentile-bootstrap replicates of the mean of `values` (population_ratio with den = 1). */
function percentileReplicates(
  values: readonly number[],
  seed: number,
  forceRows = false,
  dropHighest = 0.005,
): Float64Array {
  const branch = {
    branch: 'x',
    columns: { num: Float64Array.from(values), den: Float64Array.from(values, () => 1) },
  };
  const task = resampleRatioTask(branch, 'num', 'den', dropHighest, 10_000, seed);
  if (!forceRows) return runReplicateTask(task);
  const pairs = new Float64Array(values.length * 2);
  values.forEach((v, i) => {
    pairs[2 * i] = v;
    pairs[2 * i + 1] = 1;
  });
  const rows: ReplicateTask = {
    kind: 'resample_ratio',
    replicates: 10_000,
    seed,
    pairs,
    counts: null,
  };
  return runReplicateTask(rows);
}

describe('bootstrap_mean conformance', () => {
  it('B3: treatment 0..9 vs control 10..19 (capping 9 → 8.955, 19 → 18.955)', () => {
    const { rows } = run(
      'bootstrap_mean',
      sliceOf({ treatment: range(10), control: range(10, 10) }),
      {},
      { referenceBranch: 'control' },
    );
    expectEstimate(
      findRow(rows, { branch: 'treatment', comparison: null }),
      [4.4955, 2.81, 6.179],
      [0.035, 0.1, 0.1],
    );
    expectEstimate(
      findRow(rows, { branch: 'control', comparison: null }),
      [14.4955, 12.809, 16.178],
      [0.035, 0.1, 0.1],
    );
    const t = { branch: 'treatment', comparison_to_branch: 'control' };
    expectEstimate(
      findRow(rows, { ...t, comparison: 'difference' }),
      [-10, -12.387, -7.611],
      [0.05, 0.13, 0.13],
    );
    expectEstimate(
      findRow(rows, { ...t, comparison: 'relative_uplift' }),
      [-0.6888, -0.8083, -0.563],
      [0.003, 0.01, 0.01],
    );
  });

  it('B4: binary data is exactly Beta(k, N − k)', () => {
    const { rows } = run(
      'bootstrap_mean',
      sliceOf({ control: binary(100, 1000), treatment: binary(120, 1000) }),
      {},
      { referenceBranch: 'control' },
    );
    expectEstimate(
      findRow(rows, { branch: 'control', comparison: null }),
      [0.1, 0.0821883, 0.1193265],
      [6e-4, 1.5e-3, 1.5e-3],
    );
    expectEstimate(
      findRow(rows, { branch: 'treatment', comparison: null }),
      [0.12, 0.1006026, 0.1408366],
      [6e-4, 1.5e-3, 1.5e-3],
    );
    const t = { branch: 'treatment', comparison_to_branch: 'control' };
    expectEstimate(
      findRow(rows, { ...t, comparison: 'difference' }),
      [0.02, -0.0073727, 0.0474531],
      [6e-4, 1.5e-3, 1.5e-3],
    );
    expectEstimate(
      findRow(rows, { ...t, comparison: 'relative_uplift' }),
      [0.2109091, -0.0649751, 0.5453933],
      [6e-3, 0.013, 0.021],
    );
  });

  it('B7: both bootstraps of 300 ones in 10 000 agree with Beta(300, 9701)', () => {
    const values = binary(300, 10_000);
    const expected = [0.0257806, 0.026744, 0.0299657, 0.033428, 0.0345663];
    const bayesian = runReplicateTask(
      bayesianBootstrapTask(Float64Array.from(values), 0.005, 10_000, 11),
    );
    for (const replicates of [
      bayesian,
      percentileReplicates(values, 12),
      percentileReplicates(values, 13, true),
    ]) {
      expect(Math.abs(mean(replicates) - 0.029997)).toBeLessThan(2.9e-4);
      sampleQuantiles(replicates, DEFAULT_QUANTILES).forEach((q, i) =>
        expect(Math.abs(q - expected[i]!)).toBeLessThan(2.9e-4),
      );
    }
  });

  it('B8: on geometric-type data the Bayesian and percentile bootstraps agree', () => {
    const n = 20_000;
    const values = range(n).map((i) => Math.ceil(Math.log(1 - (i + 0.5) / n) / Math.log(0.9)));
    const bayesian = runReplicateTask(
      bayesianBootstrapTask(Float64Array.from(values), 0, 10_000, 21),
    );
    const percentile = percentileReplicates(values, 22, false, 0);
    expect(Math.abs(mean(bayesian) / 10 - 1)).toBeLessThan(0.01);
    expect(Math.abs(mean(percentile) / mean(bayesian) - 1)).toBeLessThan(0.005);
    const qb = sampleQuantiles(bayesian, DEFAULT_QUANTILES);
    sampleQuantiles(percentile, DEFAULT_QUANTILES).forEach((q, i) =>
      expect(Math.abs(q / qb[i]! - 1)).toBeLessThan(0.005),
    );
  });

  it('draws exact Dirichlet weights: one 1 among k singles gives Beta(1, k − 1) replicates', () => {
    for (const k of [2, 3, 10]) {
      const singles = Float64Array.from({ length: k }, (_, i) => (i === 0 ? 1 : 0));
      const task: ReplicateTask = {
        kind: 'bayesian_bootstrap',
        replicates: 40_000,
        seed: k,
        singles,
        values: new Float64Array(0),
        counts: new Float64Array(0),
      };
      const sorted = runReplicateTask(task).sort();
      let d = 0;
      sorted.forEach((x, i) => {
        const cdf = 1 - (1 - x) ** (k - 1);
        d = Math.max(d, Math.abs(cdf - i / sorted.length), Math.abs((i + 1) / sorted.length - cdf));
      });
      expect(d).toBeLessThan(1.95 / Math.sqrt(sorted.length));
    }
  });

  it('weights the singles with the draws of a plain loop over sampleExponential', () => {
    const values = Float64Array.from({ length: 50_000 }, (_, i) => 2 + Math.sin(i));
    const kernel = new Sfc32(5);
    const plain = new Sfc32(5);
    let misses = 0;
    for (let replicate = 0; replicate < 8; replicate++) {
      let weightSum = 0;
      let dot = 0;
      for (let j = 0; j < values.length; j++) {
        const before = plain.state[3]!;
        const g = sampleExponential(plain);
        if (plain.state[3]! - before > 1) misses++;
        weightSum += g;
        dot += g * values[j]!;
      }
      const sums = exponentialWeightedSums(kernel, values);
      // Same draws (same generator state after), summed run by run instead of one by one.
      expect(Math.abs(sums.weightSum / weightSum - 1)).toBeLessThan(1e-12);
      expect(Math.abs(sums.dot / dot - 1)).toBeLessThan(1e-12);
      expect(Array.from(kernel.state)).toEqual(Array.from(plain.state));
    }
    // The slow path (a miss of the fast test) was exercised: about 0.64% of 400 000 draws.
    expect(misses).toBeGreaterThan(1000);
  });

  it('A16: every replicate of [3, 3, 3] is 3 for the Bayesian, percentile and decile bootstraps', () => {
    const three = [3, 3, 3];
    const bayesian = runReplicateTask(
      bayesianBootstrapTask(Float64Array.from(three), 0.005, 500, 1),
    );
    const percentile = percentileReplicates(three, 2);
    const decile = runReplicateTask({
      kind: 'order_statistics',
      replicates: 500,
      seed: 3,
      sorted: Float64Array.from(three),
      probabilities: Float64Array.of(0.1, 0.5, 0.9),
    });
    for (const replicates of [bayesian, percentile, decile]) {
      expect(replicates.every((x) => Math.abs(x - 3) < 1e-12)).toBe(true);
    }
  });

  it('rejects nulls naming the branch and row', () => {
    const result = run('bootstrap_mean', sliceOf({ a: [1, 2, Number.NaN], b: [1, 2] }));
    expect(result.failures[0]).toMatchObject({
      errorClass: 'NullValuesError',
      referenceBranch: null,
    });
    expect(result.failures[0]!.message).toMatch(/'data' contains null values.*branch 'a', row 3/);
  });
});
