/**
 * `npm run bench:stats-input`: the input side of `contrail stats` (issue 13, case 15).
 * - Parse rate of CSV and NDJSON files of 2 × 200,000 lognormal values printed at full
 *   precision (the 11 MB CSV of the issue), in MB/s of file bytes, best of BENCH_RUNS.
 * - End to end: the compiled CLI (`node bin/contrail.js stats`) on that CSV with bootstrap_mean
 *   × 1,000 replicates, with --threads 1 and 2 (wall time of the whole process, best of runs).
 * Needs `npm run build` (the npm script runs it).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

import { parseStatisticInput } from '../src/runtime/statistic-input-file.js';
import { sampleNormal } from '../src/stats/random/normal.js';
import { Sfc32 } from '../src/stats/random/sfc32.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ROWS = 400_000;
const CLI = join(import.meta.dirname, '..', 'bin', 'contrail.js');

/** Writes the CSV and NDJSON inputs: 2 branches × 200,000 values, shortest round-trip text. */
function writeInputs(dir: string): { csv: string; ndjson: string } {
  const rng = new Sfc32(5);
  const csv: string[] = ['branch,value\n'];
  const ndjson: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    const branch = i % 2 ? 'treatment' : 'control';
    const value = String(Math.exp(sampleNormal(rng)));
    csv.push(`${branch},${value}\n`);
    ndjson.push(`{"branch":"${branch}","value":${value}}\n`);
  }
  const paths = { csv: join(dir, 'clients.csv'), ndjson: join(dir, 'clients.ndjson') };
  writeFileSync(paths.csv, csv.join(''));
  writeFileSync(paths.ndjson, ndjson.join(''));
  return paths;
}

/** Best parse time (ms) and rate (MB/s) of a file already in memory. */
function parseRate(path: string): { mb: number; ms: number; cpuMs: number } {
  const bytes = readFileSync(path);
  let ms = Number.POSITIVE_INFINITY;
  let cpuMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < RUNS + 1; i++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const table = parseStatisticInput(bytes, path, {
      required: ['value'],
      optional: ['covariate'],
    });
    const wall = performance.now() - started;
    const used = process.cpuUsage(cpu);
    if (table.rows !== ROWS) throw new Error(`${path}: ${table.rows} rows, expected ${ROWS}`);
    if (i === 0) continue; // warm-up
    ms = Math.min(ms, wall);
    cpuMs = Math.min(cpuMs, (used.user + used.system) / 1000);
  }
  return { mb: bytes.length / 1e6, ms, cpuMs };
}

/** Best wall time (ms) of the whole `contrail stats` process. */
function endToEnd(csv: string, threads: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const run = spawnSync(
      process.execPath,
      [
        CLI,
        '--log-level',
        'silent',
        'stats',
        '--input',
        csv,
        '--statistic',
        'bootstrap_mean',
        '--param',
        'num_samples=1000',
        '--seed',
        '1',
        '--threads',
        String(threads),
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const ms = performance.now() - started;
    if (run.status !== 0) {
      throw new Error(`contrail stats --threads ${threads}: exit ${run.status}`);
    }
    best = Math.min(best, ms);
  }
  return best;
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

const dir = mkdtempSync(join(tmpdir(), 'contrail-bench-input-'));
try {
  console.log(`load average before: ${load()} (a busy machine inflates wall times)`);
  const inputs = writeInputs(dir);
  for (const [format, path] of Object.entries(inputs)) {
    const r = parseRate(path);
    console.log(
      `parse ${format}: ${r.mb.toFixed(1)} MB, ${ROWS.toLocaleString('en-US')} rows: ` +
        `${r.ms.toFixed(0)} ms wall = ${(r.mb / (r.ms / 1000)).toFixed(0)} MB/s ` +
        `(CPU ${r.cpuMs.toFixed(0)} ms = ${(r.mb / (r.cpuMs / 1000)).toFixed(0)} MB/s; target ≥ 100 MB/s)`,
    );
  }
  const one = endToEnd(inputs.csv, 1);
  const two = endToEnd(inputs.csv, 2);
  console.log(
    `contrail stats end to end (CSV, bootstrap_mean × 1,000, best of ${RUNS}): ` +
      `--threads 1: ${one.toFixed(0)} ms, --threads 2: ${two.toFixed(0)} ms (${(one / two).toFixed(2)}×)`,
  );
  console.log(`load average after: ${load()}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
