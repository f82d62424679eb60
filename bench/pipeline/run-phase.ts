import { Redis } from 'ioredis';

import { spawn } from 'node:child_process';
import path from 'node:path';

import { coerceError } from '../../src/analysis/coerce-error.js';
import { CLI, ROOT, runContrail, type CliResult } from '../../tests/helpers/pipeline.js';
import { processCpuSeconds, waitedChildrenCpuSeconds } from './child-cpu.js';
import type { JobTiming } from './job-timings.js';
import { readJobTimings } from './read-job-timings.js';

/** One phase of the benchmark: the same run with a given number of worker processes. */
export interface PhaseSettings {
  readonly workers: number;
  readonly date: string;
  readonly redisUrl: string;
  readonly prefix: string;
  /** Environment of every CLI process (queue prefix, warehouse, exports). */
  readonly env: Record<string, string>;
  /** Gives up on the run after this long. */
  readonly timeoutMs: number;
  /** Pin worker process i to CPU i (`taskset`), as a worker pod with a one-CPU limit. */
  readonly pin: boolean;
  /** Project root whose compiled CLI runs (another commit's checkout for the baseline). @defaultValue this one */
  readonly root?: string;
}

/** What one phase measured. */
export interface PhaseResult {
  readonly workers: number;
  /** From spawning `contrail run --wait` to its exit, in ms. */
  readonly wallMs: number;
  /** Epoch ms at which `contrail run` was spawned (to place job timestamps on the timeline). */
  readonly startedAt: number;
  readonly jobs: readonly JobTiming[];
  /** The run's last stdout line (`N/N jobs completed, F failed`). */
  readonly summary: string;
  /** CPU seconds of the `contrail run --wait` process and of all worker processes during it. */
  readonly runCpuSeconds: number;
  readonly workerCpuSeconds: number;
  /** CPU seconds the Redis server used during the run (it serves other clients too). */
  readonly redisCpuSeconds: number;
  /** Per worker process: ms from spawn to its ready line, and the CPU seconds that took. */
  readonly workerStartupMs: readonly number[];
  readonly workerStartupCpuSeconds: readonly number[];
}

/** The run failed or did not finish; the message carries its output. */
export class PhaseFailedError extends Error {
  override readonly name = 'PhaseFailedError';
}

const READY_MARKER = '"msg":"worker ready"';

/** A worker process started by the benchmark. */
interface WorkerProcess {
  readonly pid: number;
  output(): string;
  exited(): boolean;
  stop(signal: NodeJS.Signals): Promise<void>;
}

/** Spawns `contrail worker --concurrency 1`, pinned to `cpu` when it is not null. */
function spawnWorker(
  env: Record<string, string>,
  cpu: number | null,
  root: string = ROOT,
): WorkerProcess {
  const cli = root === ROOT ? CLI : path.join(root, 'bin/contrail.js');
  const args = [cli, 'worker', '--concurrency', '1', '--grace-period', '5'];
  const child =
    cpu === null
      ? spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env } })
      : spawn('taskset', ['-c', String(cpu), process.execPath, ...args], {
          cwd: root,
          env: { ...process.env, ...env },
        });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  child.stderr.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  const exit = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  return {
    pid: child.pid ?? -1,
    output: () => output,
    exited,
    async stop(signal) {
      if (!exited()) child.kill(signal);
      await exit;
    },
  };
}

/** A ready worker process, the ms from spawn to its ready line and the CPU seconds it took. */
interface ReadyWorker {
  readonly process: WorkerProcess;
  readonly startupMs: number;
  readonly startupCpuSeconds: number;
}

/** Starts a worker process and resolves once it logged that it is ready. */
async function startWorker(
  env: Record<string, string>,
  cpu: number | null,
  root?: string,
): Promise<ReadyWorker> {
  const started = performance.now();
  const worker = spawnWorker({ ...env, CONTRAIL_LOG_LEVEL: 'info' }, cpu, root);
  const deadline = Date.now() + 60_000;
  while (!worker.output().includes(READY_MARKER)) {
    if (worker.exited() || Date.now() > deadline) {
      await worker.stop('SIGKILL');
      throw new PhaseFailedError(`worker did not become ready:\n${worker.output().slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    process: worker,
    startupMs: performance.now() - started,
    startupCpuSeconds: processCpuSeconds(worker.pid),
  };
}

/** Starts the phase's worker processes; stops those that started when one fails. */
async function startWorkers(settings: PhaseSettings): Promise<ReadyWorker[]> {
  const settled = await Promise.allSettled(
    Array.from({ length: settings.workers }, (_, i) =>
      startWorker(settings.env, settings.pin ? i : null, settings.root),
    ),
  );
  const ready = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed === undefined) return ready;
  await Promise.all(ready.map((w) => w.process.stop('SIGKILL')));
  throw coerceError(failed.reason);
}

/** CPU seconds the Redis server has used so far (`INFO cpu`). */
async function redisCpuSeconds(redisUrl: string): Promise<number> {
  const redis = new Redis(redisUrl);
  try {
    const fields = new Map(
      (await redis.info('cpu')).split(/\r?\n/).map((line) => line.split(':') as [string, string]),
    );
    return Number(fields.get('used_cpu_user')) + Number(fields.get('used_cpu_sys'));
  } finally {
    redis.disconnect();
  }
}

function checkRun(result: CliResult): string {
  const lines = result.stdout.trim().split('\n');
  const summary = lines[lines.length - 1] ?? '';
  if (result.code !== 0 || !/ 0 failed$/.test(summary)) {
    throw new PhaseFailedError(
      `contrail run exited ${result.code ?? result.signal ?? '?'}:\n${result.stdout}\n${result.stderr.slice(-3000)}`,
    );
  }
  return summary;
}

/**
 * Runs one phase: starts `workers` worker processes, times `contrail run --date D --wait --force
 * --recreate-enrollments` from spawn to exit, reads every finished job's timestamps, stops the
 * workers. The queue keeps the jobs (retention), so the next phase's `--force` replaces them.
 */
export async function runPhase(settings: PhaseSettings): Promise<PhaseResult> {
  const workers = await startWorkers(settings);
  try {
    const workerCpu = () => workers.reduce((s, w) => s + processCpuSeconds(w.process.pid), 0);
    const workerCpuBefore = workerCpu();
    const redisBefore = await redisCpuSeconds(settings.redisUrl);
    const cpuBefore = waitedChildrenCpuSeconds();
    const startedAt = Date.now();
    const started = performance.now();
    const result = await runContrail(
      ['run', '--date', settings.date, '--wait', '--force', '--recreate-enrollments'],
      settings.env,
      {
        timeoutMs: settings.timeoutMs,
        ...(settings.root === undefined ? {} : { root: settings.root }),
      },
    );
    const wallMs = performance.now() - started;
    const runCpuSeconds = waitedChildrenCpuSeconds() - cpuBefore;
    const workerCpuSeconds = workerCpu() - workerCpuBefore;
    const redisCpu = (await redisCpuSeconds(settings.redisUrl)) - redisBefore;
    const summary = checkRun(result);
    const jobs = await readJobTimings(settings.redisUrl, settings.prefix, startedAt);
    await Promise.all(workers.map((w) => w.process.stop('SIGTERM')));
    return {
      workers: settings.workers,
      wallMs,
      startedAt,
      jobs,
      summary,
      runCpuSeconds,
      workerCpuSeconds,
      redisCpuSeconds: redisCpu,
      workerStartupMs: workers.map((w) => w.startupMs),
      workerStartupCpuSeconds: workers.map((w) => w.startupCpuSeconds),
    };
  } finally {
    await Promise.all(workers.map((w) => w.process.stop('SIGKILL')));
  }
}
