import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { QUEUE_NAMES } from '../../src/queue/queue-names.js';
import { Sfc32 } from '../../src/stats/random/sfc32.js';
import type { StatisticRow } from '../../src/stats/statistic-row.js';
import type { FaultCluster, RedisMemory, WorkerOptions } from '../helpers/faults/fault-cluster.js';
import { loadMetricJobs } from '../helpers/faults/faults-scale.js';
import { startRandomKiller } from '../helpers/faults/random-killer.js';
import { completedJobs, runSummary } from '../helpers/faults/run-checks.js';
import { DRAINED, scenarioOutcome } from '../helpers/faults/scenario-outcome.js';
import { suiteContext } from '../helpers/faults/suite-context.js';
import { NO_DIFFERENCE } from '../helpers/faults/table-diff.js';

/**
 * Issue #7, load: the load workload's metric jobs (`loadMetricJobs`: 2,000 at full size) through
 * 2 worker processes, one of them SIGKILLed every few seconds and replaced. Every job completes,
 * the tables equal an undisturbed run's bit for bit, and once retention has removed the run's
 * jobs Redis holds no key of any of them and its memory is back to its baseline.
 *
 * The undisturbed run goes first, on the same private Redis: its tables are the reference, and
 * once retention has removed its jobs, Redis's memory is the baseline. Measured before any run,
 * the baseline would miss one-time costs that no later run repeats: the Lua script cache BullMQ
 * fills as it first uses each script, clients' buffers grown by the first large commands, and
 * the events streams, which BullMQ caps (`opts.maxLenEvents`) instead of emptying.
 */

const suite = suiteContext();
const scale = suite.scale;
const METRIC_JOBS = loadMetricJobs(scale);
/** Seed of the kill schedule (which worker, when): change it to replay another schedule. */
const KILL_SEED = 20_260_301;
/** Redis memory after the disturbed run may differ from the baseline by at most this much. */
const MEMORY_TOLERANCE_BYTES = 256 * 1024;
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
let baselineMemory: RedisMemory;

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

/** Memory Redis allocated (`used_memory`), in bytes. */
const used = (m: RedisMemory) => m.usedMemory;

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
  baselineMemory = await c.memory();
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
      const rng = new Sfc32(KILL_SEED);
      const killer = startRandomKiller({
        cluster: c,
        everyMs: scale.killEveryMs,
        random: () => rng.nextDouble(),
        worker: WORKER,
      });
      const exit = await run.exited;
      const kills = await killer.stop();

      expect(exit.code, run.output()).toBe(0);
      expect(runSummary(run.stdout()).failed).toBe(0);
      expect(kills).toBeGreaterThanOrEqual(2);
      expect(c.liveWorkers()).toHaveLength(2);
      // Retention removed the first run's jobs: every completed job is this run's, so each metric
      // ran and each window's table was rewritten by this run (not left from the first).
      expect(await c.queue('metric').getCompletedCount()).toBe(METRIC_JOBS);
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
      expect(Math.max(...stalls)).toBeGreaterThanOrEqual(1);

      // Retention: the finished jobs are kept, then removed; nothing of them stays in Redis.
      const jobsRun = await completedJobs(c);
      const afterRun = await c.memory();
      const removed = await expireCompletedJobs(c);
      expect(removed).toHaveLength(jobsRun);
      expect(await keysOfJobs(c, removed)).toEqual([]);
      const after = await c.memory();
      const figures = {
        baseline: used(baselineMemory),
        afterRun: used(afterRun),
        afterRetention: used(after),
        scriptCacheGrowth: after.scriptsMemory - baselineMemory.scriptsMemory,
        keysLeft: (await c.keys()).length,
      };
      console.log(`load: Redis used_memory in bytes: ${JSON.stringify(figures)}`);
      // The run's jobs took memory (so the measure can see them) ...
      expect(figures.afterRun - figures.afterRetention).toBeGreaterThan(jobsRun * 1024);
      // ... and retention gave all of it back.
      expect(Math.abs(figures.afterRetention - figures.baseline)).toBeLessThanOrEqual(
        MEMORY_TOLERANCE_BYTES,
      );
    },
    RUN_TIMEOUT_MS,
  );
});
