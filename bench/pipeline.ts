/**
 * `npm run bench:pipeline`: the distributed run's benchmark (issue #5 §6). Seeds a synthetic
 * daily workload (8 experiments × 3 due periods × 16 metrics, ≥ 50,000 clients per branch), then
 * runs the compiled CLI against the machine's Redis twice — phase 1 with one worker process,
 * phase 2 with two, each with one metric thread — and prints wall time, the 1 → 2 speed-up, job
 * compute and utilisation, per-job spans and queue overheads, the split by queue, CPU time, and
 * the issue's targets. With `--json`, the figures go to stdout as JSON and the text to stderr.
 *
 * Options (environment): BENCH_CLIENTS (desktop clients, default 1,000,000), BENCH_WAREHOUSE_DIR
 * (reuse a warehouse an earlier run kept; default: a fresh temporary one), BENCH_KEEP=1 (keep the
 * temporary folder), BENCH_PIN=0 (do not pin worker i to CPU i), BENCH_TIMEOUT_MINUTES (per run,
 * default 60), BENCH_BASELINE (a commit to run first with one worker process on the same
 * workload, box and Redis, for comparison; default the commit before the metrics stage, `none`
 * to skip), REDIS_URL. Redis keys live under a unique prefix and are deleted at the end.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';

import { deleteKeys, TEST_REDIS_URL } from '../tests/helpers/pipeline.js';
import {
  baselineCheckout,
  DEFAULT_BASELINE,
  removeBaselineCheckout,
} from './pipeline/baseline-checkout.js';
import { phaseFigures, type PhaseFigures } from './pipeline/phase-figures.js';
import { comparisonLines, DEFINITIONS, splitLines } from './pipeline/report.js';
import { runPhase, type PhaseResult } from './pipeline/run-phase.js';
import { readStageReads } from './pipeline/stage-reads.js';
import { meets, targetRows, targetTable, type TargetRow } from './pipeline/targets.js';
import {
  MIN_CLIENTS_PER_BRANCH,
  reuseWorkload,
  seedWorkload,
  WORKLOAD_DATE,
  WORKLOAD_DAYS,
  WORKLOAD_METRICS,
  WORKLOAD_PERIODS,
  type SeededWorkload,
} from './pipeline/workload.js';

const CLIENTS = Number(process.env['BENCH_CLIENTS'] ?? 1_000_000);
const REUSE_DIR = process.env['BENCH_WAREHOUSE_DIR'];
const KEEP = process.env['BENCH_KEEP'] === '1';
const PIN = process.env['BENCH_PIN'] !== '0';
const TIMEOUT_MS = Number(process.env['BENCH_TIMEOUT_MINUTES'] ?? 60) * 60_000;
const JSON_OUTPUT = process.argv.includes('--json');
const BASELINE = process.env['BENCH_BASELINE'] ?? DEFAULT_BASELINE;

function load(): string {
  return loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
}

function log(line = ''): void {
  (JSON_OUTPUT ? process.stderr : process.stdout).write(`${line}\n`);
}

async function prepareWarehouse(dir: string): Promise<SeededWorkload> {
  if (REUSE_DIR !== undefined && existsSync(path.join(REUSE_DIR, 'manifest.json'))) {
    return reuseWorkload(REUSE_DIR);
  }
  log(`seeding ${CLIENTS.toLocaleString('en-US')} desktop clients × ${WORKLOAD_DAYS} days ...`);
  return seedWorkload(dir, CLIENTS);
}

function workloadLines(w: SeededWorkload, phase: PhaseResult): string[] {
  const metricJobs = phase.jobs.filter((j) => j.queue === 'metric').length;
  const windows = phase.jobs.filter((j) => j.queue === 'finalize').length;
  const population = Object.entries(w.manifest.population)
    .map(([platform, n]) => `${n.toLocaleString('en-US')} ${platform}`)
    .join(' + ');
  return [
    `Workload (run date ${WORKLOAD_DATE}): ${w.manifest.experiments.length} experiments × ` +
      `${WORKLOAD_PERIODS.length} periods (${WORKLOAD_PERIODS.join(', ')}) × ` +
      `${WORKLOAD_METRICS.length} metrics = ${windows} windows, ${metricJobs} metric jobs ` +
      `(${phase.jobs.length} jobs with enrollments, finalize and export)`,
    `  clients: ${population}; ${w.minClientsPerBranch.toLocaleString('en-US')}..` +
      `${w.maxClientsPerBranch.toLocaleString('en-US')} enrolled per branch (2 branches each)`,
    `  telemetry: ${w.telemetryRows.toLocaleString('en-US')} rows in ${w.manifest.tables.length} ` +
      `tables, ${w.manifest.dataStart} .. ${w.manifest.dataEnd}`,
    `  seeding: ${w.seconds === null ? 'reused an existing warehouse' : `${w.seconds.toFixed(1)} s`} (not part of any figure)`,
  ];
}

/** The baseline commit's run with one worker process, or null when skipped. */
async function runBaseline(
  env: Record<string, string>,
  prefix: string,
  dir: string,
): Promise<PhaseResult | null> {
  if (BASELINE === 'none') return null;
  log(`baseline: building ${BASELINE} ...`);
  const root = baselineCheckout(BASELINE, dir);
  try {
    log(`baseline: ${BASELINE} with 1 worker process${PIN ? ', pinned to one CPU' : ''} ...`);
    const result = await runPhase({
      workers: 1,
      date: WORKLOAD_DATE,
      redisUrl: env['REDIS_URL'] ?? TEST_REDIS_URL,
      prefix: `${prefix}-baseline`,
      env: { ...env, CONTRAIL_QUEUE_PREFIX: `${prefix}-baseline` },
      timeoutMs: TIMEOUT_MS,
      pin: PIN,
      root,
    });
    log(`  ${result.summary} in ${(result.wallMs / 1000).toFixed(1)} s (load average ${load()})`);
    return result;
  } finally {
    removeBaselineCheckout(root);
    await deleteKeys(`${prefix}-baseline`, env['REDIS_URL']);
  }
}

async function runPhases(env: Record<string, string>, prefix: string): Promise<PhaseResult[]> {
  const results: PhaseResult[] = [];
  for (const workers of [1, 2]) {
    log(
      `phase ${workers}: ${workers} worker process(es)${PIN ? ', pinned to one CPU each' : ''} ...`,
    );
    const result = await runPhase({
      workers,
      date: WORKLOAD_DATE,
      redisUrl: env['REDIS_URL'] ?? TEST_REDIS_URL,
      prefix,
      env,
      timeoutMs: TIMEOUT_MS,
      pin: PIN,
    });
    const startup = result.workerStartupMs.map((ms, i) => {
      const cpu = result.workerStartupCpuSeconds[i] ?? 0;
      return `${(ms / 1000).toFixed(1)} s wall / ${cpu.toFixed(1)} s CPU`;
    });
    log(`  worker start-up (spawn → ready, before the run): ${startup.join('; ')}`);
    log(`  ${result.summary} in ${(result.wallMs / 1000).toFixed(1)} s (load average ${load()})`);
    results.push(result);
  }
  return results;
}

/** What the benchmark found, as printed with `--json`. */
interface BenchResult {
  readonly workload: SeededWorkload;
  readonly phases: readonly (PhaseFigures & Omit<PhaseResult, 'jobs' | 'workers' | 'wallMs'>)[];
  readonly targets: readonly TargetRow[];
}

function report(workload: SeededWorkload, phases: readonly PhaseResult[]): BenchResult {
  const figures = phases.map((p) => phaseFigures(p.workers, p.wallMs, p.startedAt, p.jobs));
  const cpu = phases.map((p) => ({
    run: p.runCpuSeconds,
    workers: p.workerCpuSeconds,
    redis: p.redisCpuSeconds,
  }));
  log();
  if (phases[0] !== undefined) for (const line of workloadLines(workload, phases[0])) log(line);
  log();
  log('Definitions (med / p95 = median / 95th percentile over jobs):');
  for (const line of DEFINITIONS) log(`  ${line}`);
  log();
  for (const line of comparisonLines(figures, cpu)) log(line);
  for (const f of figures) {
    log();
    for (const line of splitLines(f)) log(line);
  }
  const [one, two] = figures;
  const targets = one === undefined || two === undefined ? [] : targetRows(one, two);
  log();
  for (const line of targetTable(targets)) log(line);
  return {
    workload,
    phases: phases.map(({ jobs: _jobs, ...p }, i) => ({ ...p, ...figures[i]! })),
    targets,
  };
}

async function main(): Promise<void> {
  log(
    `pipeline bench: ${availableParallelism()} CPUs, load average ${load()} at start, ` +
      `node ${process.version}`,
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'contrail-bench-pipeline-'));
  const warehouseDir = REUSE_DIR ?? path.join(dir, 'warehouse');
  const prefix = `bench-pipeline-${randomUUID().slice(0, 8)}`;
  const env: Record<string, string> = {
    REDIS_URL: process.env['REDIS_URL'] ?? TEST_REDIS_URL,
    CONTRAIL_QUEUE_PREFIX: prefix,
    CONTRAIL_WAREHOUSE_DIR: warehouseDir,
    CONTRAIL_EXPORTS_DIR: path.join(dir, 'exports'),
    CONTRAIL_LOG_LEVEL: 'warn',
  };
  try {
    const workload = await prepareWarehouse(warehouseDir);
    if (workload.minClientsPerBranch < MIN_CLIENTS_PER_BRANCH) {
      throw new Error(
        `BENCH_CLIENTS=${CLIENTS} gives ${workload.minClientsPerBranch} clients in the smallest ` +
          `branch; the issue asks for ≥ ${MIN_CLIENTS_PER_BRANCH}`,
      );
    }
    const baseline = await runBaseline(env, prefix, dir);
    const phases = await runPhases(env, prefix);
    const result = report(workload, phases);
    const reads = await readStageReads(env['REDIS_URL'] ?? TEST_REDIS_URL, prefix);
    log();
    log(
      `Metrics stage (last phase): ${reads.tables} metrics tables for ${reads.windows} windows, ` +
        `${reads.scans} telemetry scans (${(reads.scans / Math.max(1, reads.windows)).toFixed(1)} per window), ` +
        `${(reads.bytes / 2 ** 20).toFixed(1)} MiB read (${(reads.bytes / 2 ** 20 / Math.max(1, reads.windows)).toFixed(1)} MiB per window; DuckDB: Parquet bytes the part queries read)`,
    );
    if (baseline !== null && phases[0] !== undefined) {
      const ratio = baseline.wallMs / phases[0].wallMs;
      log();
      log(
        `Baseline ${BASELINE} (one query per metric job), 1 worker process: ` +
          `${(baseline.wallMs / 1000).toFixed(1)} s; this commit: ${(phases[0].wallMs / 1000).toFixed(1)} s ` +
          `→ ${ratio.toFixed(2)}× faster (target ≥ 5×: ${ratio >= 5 ? 'met' : 'missed'})`,
      );
    }
    const pass = result.targets.every(meets);
    log();
    log(`load average ${load()} at end; ${pass ? 'every target met' : 'some targets missed'}`);
    if (JSON_OUTPUT) {
      process.stdout.write(`${JSON.stringify({ ...result, load: load() }, null, 2)}\n`);
    }
  } finally {
    await deleteKeys(prefix, env['REDIS_URL']);
    if (KEEP) log(`kept ${dir} (reuse with BENCH_WAREHOUSE_DIR=${warehouseDir})`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
