/**
 * `npm run bench:stats`: times the statistics engine on the workloads of issue #3 and prints, per
 * workload, the best of a few runs, the target and the ratio to the reference (mozanalysis on the
 * 2-core dev box). Input generation and loading are not timed; CSV loading for `contrail stats`
 * is timed separately. Peak memory is the process's max RSS.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { readStatisticInputFile } from '../src/runtime/statistic-input-file.js';
import { StatsThreadPool } from '../src/runtime/stats-thread-pool.js';
import {
  computeStatistics,
  computeStatisticsWith,
  type MetricSlice,
  type ReplicateRunner,
  type StatisticsInput,
} from '../src/stats/index.js';
import { sampleNormal } from '../src/stats/random/normal.js';
import { Sfc32 } from '../src/stats/random/sfc32.js';
import { kernelSumDirect } from '../src/stats/statistics/kernel-density.js';
import { compressSample } from '../src/stats/sample/compressed-sample.js';
import { kdeBandwidth } from '../src/stats/statistics/kernel-density-estimate.js';
import { makeGrid } from '../src/stats/statistics/grid.js';
import type { StatisticSpec } from '../src/stats/statistic-spec.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function lognormal(n: number, seed: number, sigma = 1): Float64Array {
  const rng = new Sfc32(seed);
  return Float64Array.from({ length: n }, () => Math.exp(sigma * sampleNormal(rng)));
}

function poisson(n: number, seed: number, mean: number): Float64Array {
  const rng = new Sfc32(seed);
  const p0 = Math.exp(-mean);
  return Float64Array.from({ length: n }, () => {
    let k = 0;
    let p = p0;
    let u = rng.nextDouble();
    while (u > p) {
      u -= p;
      k++;
      p *= mean / k;
    }
    return k;
  });
}

function slice(branches: Record<string, Record<string, Float64Array>>): MetricSlice {
  return Object.entries(branches).map(([branch, columns]) => ({ branch, columns }));
}

function input(
  s: MetricSlice,
  spec: StatisticSpec,
  reference: string | null = null,
): StatisticsInput {
  return {
    metric: 'bench',
    period: 'overall',
    slice: s,
    statistics: [spec],
    seed: 1,
    referenceBranch: reference,
  };
}

/** Best wall time of RUNS runs (ms), checking that each run produced rows and no failures. */
async function best(run: () => Promise<{ rows: unknown[]; failures: unknown[] }>): Promise<number> {
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const result = await run();
    fastest = Math.min(fastest, performance.now() - started);
    if (result.rows.length === 0 || result.failures.length > 0) {
      throw new Error(`bench workload failed: ${JSON.stringify(result.failures)}`);
    }
  }
  return fastest;
}

interface Line {
  readonly workload: string;
  readonly ms: number;
  readonly targetMs: number | undefined;
  readonly referenceMs: number | undefined;
}
const lines: Line[] = [];

function record(workload: string, ms: number, targetMs?: number, referenceMs?: number): void {
  lines.push({ workload, ms, targetMs, referenceMs });
  const target =
    targetMs === undefined
      ? ''
      : ` (target ≤ ${targetMs} ms${ms <= targetMs ? ', met' : ', MISSED'})`;
  const ratio =
    referenceMs === undefined
      ? ''
      : `, ${(referenceMs / ms).toFixed(1)}× faster than the reference`;
  console.log(`${workload}: ${ms.toFixed(0)} ms${target}${ratio}`);
}

async function timed(
  name: string,
  make: () => StatisticsInput,
  runners: readonly [string, ReplicateRunner | undefined, number | undefined][],
  referenceMs?: number,
): Promise<void> {
  const data = make();
  for (const [label, runner, target] of runners) {
    const ms = await best(() =>
      runner ? computeStatisticsWith(data, runner) : Promise.resolve(computeStatistics(data)),
    );
    record(`${name}, ${label}`, ms, target, referenceMs);
  }
}

/** Worst relative error of the KDE rows against direct sums, at every 8th grid point. */
function kdeExactness(values: Float64Array): number {
  const sample = compressSample(values);
  const h = kdeBandwidth('scott', values.length);
  const grid = makeGrid(sample.values, 256, false).points;
  const spec: StatisticSpec = { name: 'kernel_density_estimate', params: {}, preTreatments: [] };
  const rows = computeStatistics(input(slice({ a: { value: values } }), spec)).rows;
  let worst = 0;
  for (let g = 0; g < grid.length; g += 8) {
    const direct = kernelSumDirect(sample, h, 'gaussian', grid[g]!) / (values.length * h);
    worst = Math.max(worst, Math.abs(rows[g]!.point! - direct) / direct);
  }
  return worst;
}

function csvLoad(): number {
  const dir = mkdtempSync(join(tmpdir(), 'contrail-bench-'));
  const path = join(dir, 'clients.csv');
  const values = lognormal(1_000_000, 77);
  const text = ['branch,value'];
  for (let i = 0; i < values.length; i++) {
    text.push(`${i % 2 ? 'treatment' : 'control'},${values[i]!.toFixed(6)}`);
  }
  writeFileSync(path, text.join('\n'));
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const table = readStatisticInputFile(path, { required: ['value'], optional: ['covariate'] });
    fastest = Math.min(fastest, performance.now() - started);
    if (table.rows !== 1_000_000) throw new Error('CSV load lost rows');
  }
  rmSync(dir, { recursive: true });
  return fastest;
}

async function main(): Promise<void> {
  const startedPool = performance.now();
  const pool = await StatsThreadPool.create({ threads: 2 });
  console.log(
    `thread pool (2 threads) started in ${(performance.now() - startedPool).toFixed(0)} ms (not counted)`,
  );
  const inline: [string, ReplicateRunner | undefined, number | undefined] = [
    '1 thread',
    undefined,
    undefined,
  ];
  const threads = (target: number): [string, ReplicateRunner, number] => [
    '2 threads',
    pool.runner,
    target,
  ];
  try {
    await timed(
      'bootstrap_mean, 2 × 200,000 lognormal, 1,000 replicates',
      () =>
        input(
          slice({
            control: { value: lognormal(200_000, 1) },
            treatment: { value: lognormal(200_000, 2) },
          }),
          { name: 'bootstrap_mean', params: { num_samples: 1000 }, preTreatments: [] },
        ),
      [[inline[0], undefined, 1300], threads(650)],
      6450,
    );
    await timed(
      'bootstrap_mean, 2 × 1,000,000 Poisson(3), 10,000 replicates',
      () =>
        input(
          slice({
            control: { value: poisson(1_000_000, 3, 3) },
            treatment: { value: poisson(1_000_000, 4, 3) },
          }),
          { name: 'bootstrap_mean', params: {}, preTreatments: [] },
        ),
      [[inline[0], undefined, 100]],
      380,
    );
    await timed(
      'deciles, 2 × 1,000,000 lognormal, 10,000 replicates',
      () =>
        input(
          slice({
            control: { value: lognormal(1_000_000, 5) },
            treatment: { value: lognormal(1_000_000, 6) },
          }),
          { name: 'deciles', params: {}, preTreatments: [] },
        ),
      [[inline[0], undefined, 500]],
    );
    await timed(
      'linear_model_mean with covariate, 3 × 1,000,000',
      () => {
        const branch = (seed: number) => {
          const covariate = lognormal(1_000_000, seed);
          const noise = lognormal(1_000_000, seed + 100, 0.5);
          return { value: covariate.map((x, i) => 0.8 * x + noise[i]!), covariate };
        };
        return input(slice({ control: branch(7), a: branch(8), b: branch(9) }), {
          name: 'linear_model_mean',
          params: { covariate_adjustment: { period: 'preenrollment_week' } },
          preTreatments: [],
        });
      },
      [[inline[0], undefined, 500]],
    );
    const kdeValues = lognormal(1_000_000, 10);
    await timed(
      'kernel_density_estimate + empirical_cdf, 256 points, 1,000,000 lognormal',
      () => ({
        ...input(slice({ a: { value: kdeValues } }), {
          name: 'kernel_density_estimate',
          params: {},
          preTreatments: [],
        }),
        statistics: [
          { name: 'kernel_density_estimate', params: {}, preTreatments: [] },
          { name: 'empirical_cdf', params: {}, preTreatments: [] },
        ],
      }),
      [[inline[0], undefined, 1000]],
    );
    console.log(
      `  KDE worst relative error against direct sums (every 8th grid point): ${kdeExactness(kdeValues).toExponential(2)}`,
    );
    const coin = (n: number, seed: number, p: number) => {
      const rng = new Sfc32(seed);
      return Float64Array.from({ length: n }, () => (rng.nextDouble() < p ? 1 : 0));
    };
    await timed(
      'binomial, 2 × 1,000,000',
      () =>
        input(
          slice({
            control: { value: coin(1_000_000, 11, 0.1) },
            treatment: { value: coin(1_000_000, 12, 0.11) },
          }),
          { name: 'binomial', params: {}, preTreatments: [] },
        ),
      [[inline[0], undefined, 100]],
    );
    const ratioSpec: StatisticSpec = {
      name: 'population_ratio',
      params: { numerator: 'num', denominator: 'den', num_samples: 1000 },
      preTreatments: [],
    };
    const pairs = (seed: number, continuous: boolean) => {
      const num = continuous ? lognormal(200_000, seed) : poisson(200_000, seed, 2);
      const den = continuous
        ? lognormal(200_000, seed + 1)
        : poisson(200_000, seed + 1, 5).map((x) => x + 1);
      return { value: num, num, den };
    };
    await timed(
      'population_ratio, 2 × 200,000 continuous pairs, 1,000 replicates',
      () => input(slice({ control: pairs(13, true), treatment: pairs(15, true) }), ratioSpec),
      [[inline[0], undefined, 1000], threads(500)],
    );
    await timed(
      'population_ratio, 2 × 200,000 count pairs, 1,000 replicates',
      () => input(slice({ control: pairs(17, false), treatment: pairs(19, false) }), ratioSpec),
      [[inline[0], undefined, 1000], threads(500)],
    );
  } finally {
    await pool.close();
  }
  record('contrail stats input: 1,000,000-row CSV load', csvLoad());
  const peakMb = process.resourceUsage().maxRSS / 1024;
  console.log(`peak RSS: ${peakMb.toFixed(0)} MB (target ≤ 300 MB)`);
  const missed = lines.filter((l) => l.targetMs !== undefined && l.ms > l.targetMs);
  console.log(
    missed.length === 0 ? 'all targets met' : `${missed.length} target(s) missed on this machine`,
  );
}

await main();
