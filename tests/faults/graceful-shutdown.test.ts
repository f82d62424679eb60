import { setTimeout as sleep } from 'node:timers/promises';

import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { activeMetricJob, holderOf, workerName } from '../helpers/faults/active-job.js';
import type { Baseline } from '../helpers/faults/baseline.js';
import type { FaultCluster } from '../helpers/faults/fault-cluster.js';
import { SLOW_METRIC } from '../helpers/faults/fault-workload.js';
import { DRAINED, scenarioOutcome } from '../helpers/faults/scenario-outcome.js';
import { suiteContext } from '../helpers/faults/suite-context.js';
import { NO_DIFFERENCE } from '../helpers/faults/table-diff.js';

/**
 * Issue #7, fault 6: SIGTERM during a job. Within the grace period the worker finishes its job
 * and exits 0; when the grace period is shorter than the job, the job goes back to the queue
 * (no attempt used, no stall) and another worker completes it. No job is left active.
 */

const suite = suiteContext();
let baseline: Baseline;
let cluster: FaultCluster | undefined;

beforeAll(async () => {
  baseline = await suite.baseline('core');
});

afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

/** Milliseconds `promise` took. */
async function timed<T>(promise: Promise<T>): Promise<[T, number]> {
  const started = Date.now();
  const value = await promise;
  return [value, Date.now() - started];
}

describe('SIGTERM during a metric job', () => {
  it('a long grace period: the worker finishes the job, then exits 0', async () => {
    const startedAt = Date.now();
    cluster = await suite.cluster('sigterm-finish', 'core');
    cluster.startWorker({ graceSeconds: 60 });
    cluster.startWorker({ graceSeconds: 60 });
    const run = cluster.startRun(['--timeout', '240']);
    const slow = await activeMetricJob(cluster, SLOW_METRIC);
    const holder = holderOf(cluster, slow);
    await sleep(300);
    const [exit, ms] = await timed(holder.kill('SIGTERM'));
    expect(exit, holder.output()).toEqual({ code: 0, signal: null });
    expect(ms).toBeLessThan(60_000);
    const job = (await cluster.job('metric', slow.id!))!;
    expect(await job.getState()).toBe('completed'); // finished before the worker exited
    expect(job.processedBy).toBe(workerName(holder));
    expect(job.attemptsStarted).toBe(1);
    expect(job.stalledCounter).toBe(0);
    expect(holder.output()).not.toMatch(/grace period over/);

    expect((await run.exited).code, run.output()).toBe(0);
    const outcome = await scenarioOutcome(cluster, baseline.tables, {
      scenario: 'SIGTERM, job finishes within the grace period',
      startedAt,
      killsSurvived: 1,
    });
    expect(outcome.diff).toEqual(NO_DIFFERENCE);
    expect(outcome.unfinished).toEqual(DRAINED);
    expect(outcome.leaks).toEqual([]);
  });

  it('a grace period shorter than the job: the job is handed back and another worker completes it', async () => {
    const startedAt = Date.now();
    cluster = await suite.cluster('sigterm-hand-back', 'core');
    cluster.startWorker({ graceSeconds: 1 });
    cluster.startWorker({ graceSeconds: 1 });
    const run = cluster.startRun(['--timeout', '240']);
    const slow = await activeMetricJob(cluster, SLOW_METRIC);
    const holder = holderOf(cluster, slow);
    await sleep(300);
    const [exit, ms] = await timed(holder.kill('SIGTERM'));
    expect(exit, holder.output()).toEqual({ code: 0, signal: null });
    expect(ms).toBeLessThan(1_000 + 5_000); // the grace period, plus closing connections
    expect(holder.output()).toMatch(/grace period over/);
    const handedBack = (await cluster.job('metric', slow.id!))!;
    expect(await handedBack.getState()).not.toBe('active'); // not left active to stall
    // Nothing the stopped worker held is still active under its name.
    const active = await cluster.queue('metric').getJobs(['active']);
    expect(active.filter((j) => j.processedBy === workerName(holder))).toEqual([]);

    expect((await run.exited).code, run.output()).toBe(0);
    const job = (await cluster.job('metric', slow.id!))!;
    expect(await job.getState()).toBe('completed');
    expect(job.processedBy).not.toBe(workerName(holder));
    expect(job.stalledCounter).toBe(0); // handed back, never stalled
    expect(job.attemptsMade).toBe(1); // the interrupted start cost no attempt
    const outcome = await scenarioOutcome(cluster, baseline.tables, {
      scenario: 'SIGTERM, job handed back after the grace period',
      startedAt,
      killsSurvived: 1,
    });
    expect(outcome.diff).toEqual(NO_DIFFERENCE);
    expect(outcome.unfinished).toEqual(DRAINED);
    expect(outcome.leaks).toEqual([]);
  });
});
