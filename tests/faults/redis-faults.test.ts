import { setTimeout as sleep } from 'node:timers/promises';

import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { Baseline } from '../helpers/faults/baseline.js';
import type { FaultCluster } from '../helpers/faults/fault-cluster.js';
import { DRAINED, scenarioOutcome } from '../helpers/faults/scenario-outcome.js';
import { suiteContext } from '../helpers/faults/suite-context.js';
import { NO_DIFFERENCE } from '../helpers/faults/table-diff.js';
import { waitFor } from '../helpers/faults/wait-for.js';

/**
 * Issue #7, fault 3: Redis drops every client connection (CLIENT KILL), and Redis itself
 * restarts (AOF on) mid-run. Workers and the waiting producer reconnect; no job is lost.
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

/** Waits until the run is well under way: some metric jobs done, some running. */
async function midRun(c: FaultCluster): Promise<void> {
  await waitFor(
    'metric jobs done and running',
    async () => {
      const counts = await c.queue('metric').getJobCounts('completed', 'active');
      return (counts['completed'] ?? 0) >= 3 && (counts['active'] ?? 0) >= 1;
    },
    { timeoutMs: 180_000 },
  );
}

describe('Redis faults mid-run', () => {
  it('every client connection killed, three times: workers and the producer reconnect', async () => {
    const startedAt = Date.now();
    cluster = await suite.cluster('client-kill', 'core');
    cluster.startWorker();
    cluster.startWorker();
    const run = cluster.startRun(['--timeout', '240']);
    await midRun(cluster);
    const killed: number[] = [];
    for (let i = 0; i < 3; i++) {
      killed.push(await cluster.killClients());
      await sleep(700);
    }
    // 2 workers × (shared + one per queue + BullMQ's blocking duplicates) + the producer
    for (const n of killed) expect(n).toBeGreaterThanOrEqual(5);

    const exit = await run.exited;
    expect(exit.code, run.output()).toBe(0);
    expect(cluster.liveWorkers()).toHaveLength(2);
    const outcome = await scenarioOutcome(cluster, baseline.tables, {
      scenario: 'CLIENT KILL of every connection, 3 times',
      startedAt,
      faultsInjected: killed.length,
    });
    expect(outcome.diff).toEqual(NO_DIFFERENCE);
    expect(outcome.unfinished).toEqual(DRAINED);
    expect(outcome.leaks).toEqual([]);
  });

  it('Redis restarted mid-run (AOF): workers and the producer reconnect; no job lost', async () => {
    const startedAt = Date.now();
    cluster = await suite.cluster('redis-restart', 'core');
    cluster.startWorker();
    cluster.startWorker();
    const run = cluster.startRun(['--timeout', '240']);
    await midRun(cluster);
    const before = await cluster.queue('metric').getJobCounts('completed');
    await cluster.restartRedis();
    // Completed jobs survived the restart (AOF).
    const after = await cluster.queue('metric').getJobCounts('completed');
    expect(after['completed']).toBeGreaterThanOrEqual(before['completed'] ?? 0);

    const exit = await run.exited;
    expect(exit.code, run.output()).toBe(0);
    // The producer saw the outage and kept waiting.
    expect(run.output()).toMatch(/cannot read progress .*; retrying/);
    expect(run.output()).toMatch(/Redis is back; still waiting/);
    expect(cluster.liveWorkers()).toHaveLength(2);
    const outcome = await scenarioOutcome(cluster, baseline.tables, {
      scenario: 'Redis restart (AOF) mid-run',
      startedAt,
      faultsInjected: 1,
    });
    expect(outcome.diff).toEqual(NO_DIFFERENCE);
    expect(outcome.unfinished).toEqual(DRAINED);
    expect(outcome.leaks).toEqual([]);
  });
});
