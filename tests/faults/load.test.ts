import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { QUEUE_NAMES } from '../../src/queue/queue-names.js';
import { Sfc32 } from '../../src/stats/random/sfc32.js';
import type { StatisticRow } from '../../src/stats/statistic-row.js';
import type { FaultCluster, WorkerOptions } from '../helpers/faults/fault-cluster.js';
import { loadMetricJobs } from '../helpers/faults/faults-scale.js';
import { workerName } from '../helpers/faults/active-job.js';
import { startRandomKiller } from '../helpers/faults/random-killer.js';
import { completedJobs, runSummary } from '../helpers/faults/run-checks.js';
import { DRAINED, scenarioOutcome } from '../helpers/faults/scenario-outcome.js';
import { suiteContext } from '../helpers/faults/suite-context.js';
import { NO_DIFFERENCE } from '../helpers/faults/table-diff.js';
import { waitFor } from '../helpers/faults/wait-for.js';

/**
 * Issue #7, load: the load workload's metric jobs (`loadMetricJobs`: 2,000 at full size) through
 * 2 worker processes, one of them SIGKILLed every few seconds and replaced. Every job completes,
 * the tables equal an undisturbed run's bit for bit, and once retention has removed the run's
 * jobs Redis holds no key of any of them and its memory is back to its baseline.
 *
 * The undisturbed run goes first, on the same private Redis: its tables are the reference, and
 * once retention has removed its jobs, Redis's memory is the baseline. Measured before any run,
 * it would miss what the first run creates once and no later run repeats (the queues' meta and
 * id keys). Redis's overhead (clients' buffers, the Lua script cache, ...) and the capped events
 * streams are left out of the comparison; the streams are checked on their own.
 */

const suite = suiteContext();
const scale = suite.scale;
const METRIC_JOBS = loadMetricJobs(scale);
/** Seed of the kill schedule (which worker, when): change it to replay another schedule. */
const KILL_SEED = 20_260_301;
/**
 * After retention, the data Redis holds may differ from the baseline by at most this much: a
 * script BullMQ first uses in the second run adds about 1.5 times its size to the dataset. The
 * run's jobs take about 5 KB each (400 KB in CI, 11 MB at full size).
 */
const MEMORY_TOLERANCE_BYTES = 128 * 1024;
/**
 * Stalls a job survives. A worker dies every few seconds here and a job lasts one to a few, so a
 * job is now and then interrupted three times or more, and contrail's default (2, BullMQ's guard
 * against a job that crashes its own worker) would fail it. Every kill here is external, so the
 * guard is set out of reach; the test reports the most stalls a job went through.
 */
const MAX_STALLED_COUNT = 20;
/** Each run may take this long (2,000 jobs take a quarter of an hour on two busy cores). */
const RUN_TIMEOUT_MS = scale.size === 'full' ? 3_600_000 : 600_000;
const WORKER: WorkerOptions = {
  concurrency: scale.loadConcurrency,
  maxStalledCount: MAX_STALLED_COUNT,
};

let cluster: FaultCluster;
let undisturbed: Map<string, StatisticRow[]>;
/** Redis memory after the undisturbed run's jobs were removed by retention. */
let baselineMemory: MemoryFigures & { overCap: string[] };

/**
 * What retention does once the completed jobs are older than `keepCompletedSeconds` (7 days,
 * so no test can wait for it): BullMQ's clean of completed jobs, with no grace.
 * @returns the ids of the removed jobs.
 */
async function expireCompletedJobs(c: FaultCluster): Promise<string[]> {
  const removed: string[] = [];
  for (const name of QUEUE_NAMES) {
    removed.push(...(await c.queue(name).clean(0, Number.MAX_SAFE_INTEGER, 'completed')));
  }
  return removed;
}

/** Keys of the cluster's Redis that belong to one of `jobIds`. */
async function keysOfJobs(c: FaultCluster, jobIds: readonly string[]): Promise<string[]> {
  const ids = new Set(jobIds);
  return (await c.keys()).filter((key) => {
    const [, , ...rest] = key.split(':');
    return ids.has(rest[0] ?? '');
  });
}

/** Redis memory in bytes: all of it, and the part that must come back after retention. */
interface MemoryFigures {
  /** `used_memory`. */
  readonly used: number;
  /**
   * `used_memory_dataset` (used_memory less Redis's overhead: clients' buffers, which vary with
   * what each connection last did, the AOF buffer, the keyspace's tables) with the events
   * streams and the slow log emptied: the data Redis holds.
   */
  readonly data: number;
  /** Lua scripts in Redis's cache (BullMQ's, cached as first used). */
  readonly scripts: number;
}

/**
 * Checks that no events stream is over its cap, empties them all and Redis's slow log, and reads
 * Redis memory. The streams are capped (`opts.maxLenEvents` entries each) rather than emptied,
 * and until a stream reaches its cap every run leaves it a little longer, so they are bounded on
 * their own and kept out of the comparison. The slow log (up to 128 commands with their
 * arguments, as many as a busy machine makes slow) counts as data and is not contrail's. (The
 * Lua script cache cannot be emptied: BullMQ 6 workers then fail jobs with NOSCRIPT.)
 * @returns the figures and the streams over their cap.
 */
async function memoryFigures(c: FaultCluster): Promise<MemoryFigures & { overCap: string[] }> {
  const used = (await c.memory()).usedMemory;
  const overCap = await streamsOverCap(c);
  for (const name of QUEUE_NAMES) await c.redis.xtrim(`faults:${name}:events`, 'MAXLEN', 0);
  await c.redis.call('SLOWLOG', 'RESET');
  const m = await c.memory();
  return { used, data: m.datasetMemory, scripts: m.cachedScripts, overCap };
}

/** Queues whose events stream is longer than its cap (trimming is approximate: +100). */
async function streamsOverCap(c: FaultCluster): Promise<string[]> {
  const over: string[] = [];
  for (const name of QUEUE_NAMES) {
    const length = await c.redis.xlen(`faults:${name}:events`);
    const cap = Number((await c.redis.hget(`faults:${name}:meta`, 'opts.maxLenEvents')) ?? 10_000);
    if (length > cap + 100) over.push(`${name}: ${length} events, cap ${cap}`);
  }
  return over;
}

/**
 * SIGKILLs a worker that holds an active metric job and starts a replacement, again until a
 * killed worker is seen to have left a job active (a quick job may finish just before the kill).
 * @returns the kills and the metric jobs left active by the last killed worker.
 */
async function interruptAMetricJob(c: FaultCluster): Promise<{ kills: number; jobs: string[] }> {
  for (let kills = 1; ; kills++) {
    const holder = await waitFor('a live worker holding a metric job', async () => {
      const holders = new Set(
        (await c.queue('metric').getJobs(['active'])).map((j) => j.processedBy),
      );
      return c.liveWorkers().find((w) => holders.has(workerName(w)));
    });
    await holder.kill('SIGKILL');
    c.startWorker(WORKER);
    const left = (await c.queue('metric').getJobs(['active']))
      .filter((j) => j.processedBy === workerName(holder))
      .map((j) => j.id!);
    if (left.length > 0) return { kills, jobs: left };
  }
}

beforeAll(async () => {
  cluster = await suite.cluster('load', 'load', { logLevel: 'warn' });
  const c = cluster;
  c.startWorker(WORKER);
  c.startWorker(WORKER);
  const run = c.startRun(['--timeout', '3600']);
  const exit = await run.exited;
  if (exit.code !== 0) throw new Error(`undisturbed load run failed:\n${c.allOutput()}`);
  undisturbed = await c.tables();
  const removed = await expireCompletedJobs(c);
  if (removed.length === 0) throw new Error('the undisturbed load run left no completed job');
  baselineMemory = await memoryFigures(c);
}, RUN_TIMEOUT_MS);

afterAll(async () => {
  await cluster?.close();
});

describe('load with random worker kills', () => {
  it(
    `${METRIC_JOBS} metric jobs, 2 workers, one SIGKILLed every ${scale.killEveryMs.join('-')} ms: all complete, tables identical, Redis memory back to its baseline`,
    async () => {
      const startedAt = Date.now();
      const c = cluster;
      const run = c.startRun(['--force', '--timeout', '3600']);
      // The first kill hits a worker while it holds a metric job, so at least one job is
      // interrupted however fast the run is; then a seeded random schedule takes over.
      const interrupted = await interruptAMetricJob(c);
      const rng = new Sfc32(KILL_SEED);
      const killer = startRandomKiller({
        cluster: c,
        everyMs: scale.killEveryMs,
        random: () => rng.nextDouble(),
        worker: WORKER,
      });
      const exit = await run.exited;
      const kills = interrupted.kills + (await killer.stop());

      expect(exit.code, run.output()).toBe(0);
      expect(runSummary(run.stdout()).failed).toBe(0);
      expect(c.liveWorkers()).toHaveLength(2);
      // Retention removed the first run's jobs: every completed job is this run's, so each metric
      // ran and each window's table was rewritten by this run (not left from the first).
      const completedIds = (await c.queue('metric').getJobs(['completed'])).map((j) => j.id ?? '');
      expect(completedIds.filter((id) => id.startsWith('metric.'))).toHaveLength(METRIC_JOBS);
      // The metric queue also ran the windows' metrics-table jobs, one per window and basis.
      expect(
        completedIds.filter((id) => id.startsWith('metrics-table.')).length,
      ).toBeGreaterThanOrEqual(undisturbed.size);
      expect(await c.queue('finalize').getCompletedCount()).toBe(undisturbed.size);
      const outcome = await scenarioOutcome(c, undisturbed, {
        scenario: `load: ${METRIC_JOBS} metric jobs, a worker SIGKILLed every ${scale.killEveryMs.join('-')} ms`,
        startedAt,
        killsSurvived: kills,
      });
      expect(outcome.diff).toEqual(NO_DIFFERENCE);
      expect(outcome.unfinished).toEqual(DRAINED);
      for (const name of QUEUE_NAMES) expect(await c.queue(name).getFailedCount(), name).toBe(0);
      expect(outcome.leaks).toEqual([]);

      const stalls = (await c.queue('metric').getJobs(['completed'])).map((j) => j.stalledCounter);
      console.log(
        `load: ${kills} kills; metric jobs interrupted: ${stalls.filter((n) => n > 0).length}, ` +
          `${stalls.filter((n) => n > 2).length} of them more than twice (most: ${Math.max(...stalls)})`,
      );
      for (const id of interrupted.jobs) {
        expect((await c.job('metric', id))?.stalledCounter, id).toBeGreaterThanOrEqual(1);
      }

      // Retention: the finished jobs are kept, then removed; nothing of them stays in Redis.
      const jobsRun = await completedJobs(c);
      const afterRun = await memoryFigures(c);
      const removed = await expireCompletedJobs(c);
      expect(removed).toHaveLength(jobsRun);
      expect(await keysOfJobs(c, removed)).toEqual([]);
      const after = await memoryFigures(c);
      console.log(
        `load: Redis memory in bytes (used_memory / used_memory_dataset without the events streams): ` +
          `baseline ${baselineMemory.used} / ${baselineMemory.data}, ` +
          `after the run ${afterRun.used} / ${afterRun.data}, ` +
          `after retention ${after.used} / ${after.data}; ` +
          `cached scripts ${baselineMemory.scripts} → ${after.scripts}`,
      );
      const figures = {
        baseline: baselineMemory.data,
        afterRun: afterRun.data,
        afterRetention: after.data,
      };
      // The run's jobs took memory (so the measure can see them) ...
      expect(figures.afterRun - figures.afterRetention).toBeGreaterThan(jobsRun * 1024);
      // ... and retention gave all of it back; the events streams were within their caps.
      expect(Math.abs(figures.afterRetention - figures.baseline)).toBeLessThanOrEqual(
        MEMORY_TOLERANCE_BYTES,
      );
      expect([...baselineMemory.overCap, ...afterRun.overCap]).toEqual([]);
    },
    RUN_TIMEOUT_MS,
  );
});
