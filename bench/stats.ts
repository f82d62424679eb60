/**
 * `npm run bench:stats`: times the statistics engine on the workloads of issue #3. Each
 * workload runs in its own child process (clean JIT state, its own peak RSS) and reports the best
 * wall time of a few runs after an untimed warm-up run, the CPU time of that run (whole process, so both threads for the
 * 2-thread rows, which also give the speed-up over one thread), the target and the ratio to the
 * reference (mozanalysis on the 2-core dev box). Input generation and loading are not timed;
 * loading a 1,000,000-row CSV for `contrail stats` is timed separately.
 * BENCH_RUNS (default 3) sets the runs per measurement.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
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
import { exponentialWeightedSums } from '../src/stats/replicates/bayesian-bootstrap-kernel.js';
import {
  poissonResampleRatio,
  poissonTableFor,
} from '../src/stats/replicates/resample-ratio-kernel.js';
import { compressSample } from '../src/stats/sample/compressed-sample.js';
import type { StatisticSpec } from '../src/stats/statistic-spec.js';
import { makeGrid } from '../src/stats/statistics/grid.js';
import { kernelSumDirect } from '../src/stats/statistics/kernel-density.js';
import { kdeBandwidth } from '../src/stats/statistics/kernel-density-estimate.js';

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

function coin(n: number, seed: number, p: number): Float64Array {
  const rng = new Sfc32(seed);
  return Float64Array.from({ length: n }, () => (rng.nextDouble() < p ? 1 : 0));
}

function slice(branches: Record<string, Record<string, Float64Array>>): MetricSlice {
  return Object.entries(branches).map(([branch, columns]) => ({ branch, columns }));
}

function input(s: MetricSlice, ...specs: StatisticSpec[]): StatisticsInput {
  return { metric: 'bench', period: 'overall', slice: s, statistics: specs, seed: 1 };
}

const spec = (
  name: StatisticSpec['name'],
  params: Record<string, unknown> = {},
): StatisticSpec => ({
  name,
  params,
  preTreatments: [],
});

/** One line of the report. */
interface Result {
  readonly workload: string;
  readonly variant: string;
  readonly ms: number;
  readonly cpuMs: number | undefined;
  readonly targetMs: number | undefined;
  readonly referenceMs: number | undefined;
  readonly note?: string;
}

interface Workload {
  readonly name: string;
  readonly referenceMs?: number;
  readonly targets: { readonly threads1?: number; readonly threads2?: number };
  readonly threads2?: boolean;
  make(): StatisticsInput;
  note?(data: StatisticsInput): string;
}

const ratioPairs = (seed: number, continuous: boolean) => {
  const num = continuous ? lognormal(200_000, seed) : poisson(200_000, seed, 2);
  const den = continuous
    ? lognormal(200_000, seed + 1)
    : poisson(200_000, seed + 1, 5).map((x) => x + 1);
  return { value: num, num, den };
};
const ratioSpec = spec('population_ratio', {
  numerator: 'num',
  denominator: 'den',
  num_samples: 1000,
});

const WORKLOADS: Workload[] = [
  {
    name: 'bootstrap_mean, 2 × 200,000 lognormal, 1,000 replicates',
    referenceMs: 6450,
    targets: { threads1: 1300, threads2: 650 },
    threads2: true,
    make: () =>
      input(
        slice({
          control: { value: lognormal(200_000, 1) },
          treatment: { value: lognormal(200_000, 2) },
        }),
        spec('bootstrap_mean', { num_samples: 1000 }),
      ),
  },
  {
    name: 'bootstrap_mean, 2 × 1,000,000 Poisson(3), 10,000 replicates',
    referenceMs: 380,
    targets: { threads1: 100 },
    make: () =>
      input(
        slice({
          control: { value: poisson(1_000_000, 3, 3) },
          treatment: { value: poisson(1_000_000, 4, 3) },
        }),
        spec('bootstrap_mean'),
      ),
  },
  {
    name: 'deciles, 2 × 1,000,000 lognormal, 10,000 replicates',
    targets: { threads1: 500 },
    make: () =>
      input(
        slice({
          control: { value: lognormal(1_000_000, 5) },
          treatment: { value: lognormal(1_000_000, 6) },
        }),
        spec('deciles'),
      ),
  },
  {
    name: 'linear_model_mean with covariate, 3 × 1,000,000 (continuous covariate)',
    targets: { threads1: 500 },
    make: () => {
      const branch = (seed: number) => {
        const covariate = lognormal(1_000_000, seed);
        const noise = lognormal(1_000_000, seed + 100, 0.5);
        return { value: covariate.map((x, i) => 0.8 * x + noise[i]!), covariate };
      };
      return input(
        slice({ control: branch(7), a: branch(8), b: branch(9) }),
        spec('linear_model_mean', { covariate_adjustment: { period: 'preenrollment_week' } }),
      );
    },
  },
  {
    name: 'linear_model_mean with covariate, 3 × 1,000,000 (count covariate)',
    targets: { threads1: 500 },
    make: () => {
      const branch = (seed: number) => {
        const covariate = poisson(1_000_000, seed, 4);
        const noise = lognormal(1_000_000, seed + 100, 0.5);
        return { value: covariate.map((x, i) => 0.8 * x + noise[i]!), covariate };
      };
      return input(
        slice({ control: branch(7), a: branch(8), b: branch(9) }),
        spec('linear_model_mean', { covariate_adjustment: { period: 'preenrollment_week' } }),
      );
    },
  },
  {
    name: 'kernel_density_estimate + empirical_cdf, 256 points, 1,000,000 lognormal',
    targets: { threads1: 1000 },
    make: () =>
      input(
        slice({ a: { value: lognormal(1_000_000, 10) } }),
        spec('kernel_density_estimate'),
        spec('empirical_cdf'),
      ),
    note: (data) =>
      `worst relative KDE error vs direct sums: ${kdeExactness(data.slice[0]!.columns.value!).toExponential(1)}`,
  },
  {
    name: 'binomial, 2 × 1,000,000',
    targets: { threads1: 100 },
    make: () =>
      input(
        slice({
          control: { value: coin(1_000_000, 11, 0.1) },
          treatment: { value: coin(1_000_000, 12, 0.11) },
        }),
        spec('binomial'),
      ),
  },
  {
    name: 'population_ratio, 2 × 200,000 continuous pairs, 1,000 replicates',
    targets: { threads1: 1000, threads2: 500 },
    threads2: true,
    make: () =>
      input(slice({ control: ratioPairs(13, true), treatment: ratioPairs(15, true) }), ratioSpec),
  },
  {
    name: 'population_ratio, 2 × 200,000 count pairs, 1,000 replicates',
    targets: { threads1: 1000, threads2: 500 },
    threads2: true,
    make: () =>
      input(slice({ control: ratioPairs(17, false), treatment: ratioPairs(19, false) }), ratioSpec),
  },
];

/** Worst relative error of the KDE rows against direct sums, at every 8th grid point. */
function kdeExactness(values: Float64Array): number {
  const sample = compressSample(values);
  const h = kdeBandwidth('scott', values.length);
  const grid = makeGrid(sample.values, 256, false).points;
  const rows = computeStatistics(
    input(slice({ a: { value: values } }), spec('kernel_density_estimate')),
  ).rows;
  let worst = 0;
  for (let g = 0; g < grid.length; g += 8) {
    const direct = kernelSumDirect(sample, h, 'gaussian', grid[g]!) / (values.length * h);
    if (direct > 0) worst = Math.max(worst, Math.abs(rows[g]!.point! - direct) / direct);
  }
  return worst;
}

/**
 * Best wall time (ms) and the CPU time of that run, after one untimed warm-up run: a worker is a
 * long-lived process whose kernels are compiled after its first job, which is what is timed.
 */
async function best(
  run: () => Promise<{ rows: unknown[]; failures: unknown[] }>,
): Promise<{ ms: number; cpuMs: number }> {
  let fastest = { ms: Number.POSITIVE_INFINITY, cpuMs: 0 };
  await run();
  for (let i = 0; i < RUNS; i++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await run();
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    if (result.rows.length === 0 || result.failures.length > 0) {
      throw new Error(`bench workload failed: ${JSON.stringify(result.failures)}`);
    }
    if (ms < fastest.ms) fastest = { ms, cpuMs: (used.user + used.system) / 1000 };
  }
  return fastest;
}

async function runWorkload(workload: Workload): Promise<Result[]> {
  const data = workload.make();
  const results: Result[] = [];
  const one = await best(() => Promise.resolve(computeStatistics(data)));
  const common = { workload: workload.name, referenceMs: workload.referenceMs };
  results.push({
    ...common,
    variant: '1 thread',
    ...one,
    targetMs: workload.targets.threads1,
    ...(workload.note ? { note: workload.note(data) } : {}),
  });
  if (workload.threads2) {
    const pool = await StatsThreadPool.create({ threads: 2 });
    try {
      const runner: ReplicateRunner = pool.runner;
      const two = await best(() => computeStatisticsWith(data, runner));
      results.push({
        ...common,
        variant: '2 threads',
        ms: two.ms,
        cpuMs: two.cpuMs,
        targetMs: workload.targets.threads2,
        note: `2-thread scaling: ${(one.ms / two.ms).toFixed(2)}× the 1-thread wall time`,
      });
    } finally {
      await pool.close();
    }
  }
  return results;
}

/** Σ of n values drawn with replacement, sfc32 inlined. */
function indexResampleSum(values: Float64Array, seed: number): number {
  const state = new Sfc32(seed).state;
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const t = (a + b + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (((c << 21) | (c >>> 11)) + t) | 0;
    sum += values[Math.floor((t >>> 0) * 2.3283064365386963e-10 * n)]!;
  }
  return sum;
}

/**
 * Calibration: the spec's plain index-resample mean (N = 1M, 32-bit generator), 4.7 ms per
 * replicate on the 2-core dev box. The ratio says how much slower this machine is right now.
 */
function calibration(): Result {
  const n = 1_000_000;
  const values = lognormal(n, 3);
  let fastest = Number.POSITIVE_INFINITY;
  for (let run = 0; run < RUNS + 2; run++) {
    const started = performance.now();
    const sum = indexResampleSum(values, run);
    fastest = Math.min(fastest, performance.now() - started);
    if (!(sum > 0)) throw new Error('calibration failed');
  }
  let sortMs = Number.POSITIVE_INFINITY;
  for (let run = 0; run < RUNS; run++) {
    const copy = values.slice();
    const started = performance.now();
    copy.sort();
    sortMs = Math.min(sortMs, performance.now() - started);
  }
  const factor = `${(fastest / 4.7).toFixed(1)}; Float64Array.sort of 1M: ${sortMs.toFixed(0)} ms, dev box 100 ms, ×${(sortMs / 100).toFixed(1)}`;
  return {
    workload: `calibration: index-resample mean of 1M values (dev box 4.7 ms; this machine ×${factor})`,
    variant: '1 thread',
    ms: fastest,
    cpuMs: undefined,
    targetMs: undefined,
    referenceMs: undefined,
  };
}

/** The floor of a weighted sum: one inlined sfc32 step and a multiply-add per value, no sampler. */
function floorWeightedSum(values: Float64Array, state: Int32Array): number {
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let weightSum = 0;
  let dot = 0;
  const n = values.length;
  for (let j = 0; j < n; j++) {
    const t = (a + b + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (((c << 21) | (c >>> 11)) + t) | 0;
    const g = (t >>> 10) * 2.384185791015625e-7;
    weightSum += g;
    dot += g * values[j]!;
  }
  state.set([a, b, c, d]);
  return dot / weightSum;
}

/** Best CPU ns per value of `pass` (one pass over `n` values), after a warm-up on a small input. */
function nsPerValue(n: number, warmUp: () => number, pass: () => number): number {
  let check = 0;
  for (let i = 0; i < 2000; i++) check += warmUp();
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < RUNS + 2; round++) {
    const cpu = process.cpuUsage();
    for (let i = 0; i < 50; i++) check += pass();
    const used = process.cpuUsage(cpu);
    best = Math.min(best, ((used.user + used.system) * 1000) / (50 * n));
  }
  if (!Number.isFinite(check)) throw new Error('kernel rates: non-finite result');
  return best;
}

/**
 * The hot loops alone, in CPU ns per value over 200,000 lognormal values: the floor (generator
 * and multiply-add only), the Bayesian-bootstrap weights (Exp(1) by the ziggurat) and the
 * population_ratio resampling (Poisson counts, plus the top-up), also scaled to the workloads'
 * 400 million values. The 1-thread targets allow about 3.2 ns per weight and 2.5 ns per row for
 * the whole statistic.
 */
function kernelRates(): Result[] {
  const n = 200_000;
  const values = lognormal(n, 21);
  const small = values.subarray(0, 64);
  const pairs = new Float64Array(2 * n);
  values.forEach((v, i) => {
    pairs[2 * i] = v;
    pairs[2 * i + 1] = 1 + (i % 7);
  });
  const rng = new Sfc32(5);
  // Scaled to the 2 × 200,000 × 1,000 values of the bootstrap_mean and population_ratio rows.
  const workloadValues = 2 * n * 1000;
  const rate = (name: string, ns: number): Result => ({
    workload: `kernel, scaled to 2 × 200,000 × 1,000 values: ${name}`,
    variant: '1 thread',
    ms: (ns * workloadValues) / 1e6,
    cpuMs: (ns * workloadValues) / 1e6,
    targetMs: undefined,
    referenceMs: undefined,
    note: `${ns.toFixed(2)} ns per value (CPU)`,
  });
  const floor = nsPerValue(
    n,
    () => floorWeightedSum(small, rng.state),
    () => floorWeightedSum(values, rng.state),
  );
  const exponential = nsPerValue(
    n,
    () => exponentialWeightedSums(rng, small).dot,
    () => exponentialWeightedSums(rng, values).dot,
  );
  const smallPairs = pairs.subarray(0, 128);
  const smallTable = poissonTableFor(64);
  const table = poissonTableFor(n);
  const poisson = nsPerValue(
    n,
    () => poissonResampleRatio(rng, smallTable, smallPairs),
    () => poissonResampleRatio(rng, table, pairs),
  );
  return [
    rate('floor, one sfc32 step + multiply-add per value', floor),
    rate('Bayesian-bootstrap weights (Exp(1), ziggurat) per value', exponential),
    rate('population_ratio resample (Poisson counts + top-up) per row', poisson),
  ];
}

function csvLoad(): Result {
  const dir = mkdtempSync(join(tmpdir(), 'contrail-bench-'));
  const path = join(dir, 'clients.csv');
  const rng = new Sfc32(77);
  const chunk: string[] = ['branch,value\n'];
  for (let i = 0; i < 1_000_000; i++) {
    chunk.push(`${i % 2 ? 'treatment' : 'control'},${Math.exp(sampleNormal(rng)).toFixed(6)}\n`);
    if (chunk.length === 10_000) {
      appendFileSync(path, chunk.join(''));
      chunk.length = 0;
    }
  }
  appendFileSync(path, chunk.join(''));
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const table = readStatisticInputFile(path, { required: ['value'], optional: ['covariate'] });
    fastest = Math.min(fastest, performance.now() - started);
    if (table.rows !== 1_000_000) throw new Error('CSV load lost rows');
  }
  rmSync(dir, { recursive: true });
  return {
    workload: 'contrail stats input: load a 1,000,000-row CSV',
    variant: '1 thread',
    ms: fastest,
    cpuMs: undefined,
    targetMs: 1000,
    referenceMs: undefined,
  };
}

/** Child: run one workload and print its results with the peak RSS as one JSON line. */
async function child(index: number): Promise<void> {
  const results =
    index === -2
      ? kernelRates()
      : index < 0
        ? [calibration()]
        : index < WORKLOADS.length
          ? await runWorkload(WORKLOADS[index]!)
          : [csvLoad()];
  console.log(JSON.stringify({ results, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

function format(r: Result, rssMb: number): string {
  const met = r.targetMs === undefined ? '' : r.ms <= r.targetMs ? 'met' : 'MISSED';
  const target = r.targetMs === undefined ? '–' : `≤ ${r.targetMs}`;
  const ratio = r.referenceMs === undefined ? '–' : `${(r.referenceMs / r.ms).toFixed(1)}×`;
  const cpu = r.cpuMs === undefined ? '–' : r.cpuMs.toFixed(0);
  return `| ${r.workload} | ${r.variant} | ${r.ms.toFixed(0)} | ${cpu} | ${target} ${met} | ${ratio} | ${rssMb.toFixed(0)} |${r.note ? ` ${r.note}` : ''}`;
}

function parent(): void {
  console.log(
    `load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (timings are wall clock; a busy machine inflates them)`,
  );
  console.log(
    '| workload | variant | ms (best of ' +
      RUNS +
      ') | CPU ms | target ms | vs reference | peak RSS MB |',
  );
  console.log('|---|---|---|---|---|---|---|');
  let worstRss = 0;
  for (let i = -2; i <= WORKLOADS.length; i++) {
    const run = spawnSync(
      process.execPath,
      [...process.execArgv, process.argv[1]!, '--workload', String(i)],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    if (run.status !== 0) throw new Error(`workload ${i} failed with exit code ${run.status}`);
    const { results, maxRssMb } = JSON.parse(run.stdout.trim().split('\n').pop()!) as {
      results: Result[];
      maxRssMb: number;
    };
    worstRss = Math.max(worstRss, maxRssMb);
    for (const r of results) console.log(format(r, maxRssMb));
  }
  console.log(`peak RSS of the largest workload: ${worstRss.toFixed(0)} MB (target ≤ 300 MB)`);
  console.log(
    `load average after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

const at = process.argv.indexOf('--workload');
if (at >= 0) await child(Number(process.argv[at + 1]));
else parent();
