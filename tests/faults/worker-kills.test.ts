import { setTimeout as sleep } from 'node:timers/promises';

import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { activeMetricJob, holderOf, workerName } from '../helpers/faults/active-job.js';
import type { Baseline } from '../helpers/faults/baseline.js';
import type { FaultCluster } from '../helpers/faults/fault-cluster.js';
import { SLOW_METRIC } from '../helpers/faults/fault-workload.js';
import { DRAINED, scenarioOutcome } from '../helpers/faults/scenario-outcome.js';
import { suiteContext } from '../helpers/faults/suite-context.js';
import { NO_DIFFERENCE } from '../helpers/faults/table-diff.js';
import { waitFor } from '../helpers/faults/wait-for.js';

/**
 * Issue #7, faults 1 and 2: worker processes SIGKILLed mid-run. Crashed jobs stall, are taken
 * over after their lock expires, and the tables equal the undisturbed run's bit for bit.
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

const rowsOf = (tables: Map<string, { metric: string }[]>, metric: string) =>
  [...tables.values()].flat().filter((r) => r.metric === metric).length;

describe('worker processes killed mid-run', () => {
  it('SIGKILL during a long metric job: another worker completes it once the lock expires; one set of rows', async () => {
    const startedAt = Date.now();
    cluster = await suite.cluster('kill-one', 'core');
    cluster.startWorker();
    cluster.startWorker();
    const run = cluster.startRun(['--timeout', '240']);
    const slow = await activeMetricJob(cluster, SLOW_METRIC);
    const holder = holderOf(cluster, slow);
    await sleep(300);
    expect(await slow.getState()).toBe('active');
    expect((await holder.kill('SIGKILL')).signal).toBe('SIGKILL');

    const exit = await run.exited;
    expect(exit.code, run.output()).toBe(0);
    const finished = (await cluster.job('metric', slow.id!))!;
    expect(await finished.getState()).toBe('completed');
    expect(finished.stalledCounter).toBe(1); // it stalled once ...
    expect(finished.attemptsStarted).toBe(2); // ... and started twice ...
    expect(finished.attemptsMade).toBe(1); // ... but the crash cost no attempt
    expect(finished.processedBy).not.toBe(workerName(holder));
    const outcome = await scenarioOutcome(cluster, baseline.tables, {
      scenario: 'SIGKILL one worker mid metric job',
      startedAt,
      killsSurvived: 1,
    });
    expect(outcome.diff).toEqual(NO_DIFFERENCE);
    expect(rowsOf(outcome.tables, SLOW_METRIC)).toBe(rowsOf(baseline.tables, SLOW_METRIC));
    expect(rowsOf(outcome.tables, SLOW_METRIC)).toBeGreaterThan(0);
    expect(outcome.unfinished).toEqual(DRAINED);
    expect(outcome.leaks).toEqual([]);
  });

  it('every worker SIGKILLed mid-run, then new ones started: the run completes', async () => {
    const startedAt = Date.now();
    cluster = await suite.cluster('kill-all', 'core');
    const first = [cluster.startWorker(), cluster.startWorker()];
    const run = cluster.startRun(['--timeout', '240']);
    const c = cluster;
    // Mid-run: the slow metric job (seconds long) running, and other metric jobs done.
    const slow = await activeMetricJob(cluster, SLOW_METRIC);
    await waitFor(
      'other metric jobs done',
      async () => (await c.queue('metric').getCompletedCount()) >= 2,
    );
    for (const worker of first) expect((await worker.kill('SIGKILL')).signal).toBe('SIGKILL');
    // With every worker dead, the jobs still active are exactly the ones the crash interrupted.
    const activeBefore = (await c.queue('metric').getJobs(['active'])).map((j) => j.id!);
    expect(activeBefore).toContain(slow.id);
    expect(cluster.liveWorkers()).toHaveLength(0);
    await sleep(1_000);
    expect(run.running()).toBe(true); // the producer keeps waiting with no worker alive
    cluster.startWorker();
    cluster.startWorker();

    const exit = await run.exited;
    expect(exit.code, run.output()).toBe(0);
    for (const id of activeBefore) {
      const job = (await cluster.job('metric', id))!;
      expect(await job.getState(), id).toBe('completed');
      expect(job.stalledCounter, id).toBeGreaterThanOrEqual(1);
    }
    const outcome = await scenarioOutcome(cluster, baseline.tables, {
      scenario: 'SIGKILL every worker mid-run, start new ones',
      startedAt,
      killsSurvived: first.length,
    });
    expect(outcome.diff).toEqual(NO_DIFFERENCE);
    expect(outcome.unfinished).toEqual(DRAINED);
    expect(outcome.leaks).toEqual([]);
  });
});
