import { setTimeout as sleep } from 'node:timers/promises';

import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { freePort } from '../../src/runtime/private-redis.js';
import type { Baseline } from '../helpers/faults/baseline.js';
import type { FaultCluster } from '../helpers/faults/fault-cluster.js';
import { RUN_DATE } from '../helpers/faults/fault-workload.js';
import { DRAINED, scenarioOutcome } from '../helpers/faults/scenario-outcome.js';
import { suiteContext } from '../helpers/faults/suite-context.js';
import { NO_DIFFERENCE } from '../helpers/faults/table-diff.js';
import { waitFor } from '../helpers/faults/wait-for.js';

/**
 * Issue #7, fault 3: Redis drops every client connection (CLIENT KILL), and Redis itself
 * restarts (AOF on) mid-run. Workers and the waiting producer reconnect; no job is lost.
 * Issue 13, case 7: Redis forgets its Lua scripts (SCRIPT FLUSH) under workers that already ran
 * jobs, and refuses writes for a while (maxmemory); workers recover, and readiness says when
 * jobs fail because of Redis. Case 8: Redis loses every key (FLUSHALL) under `run --wait`, which
 * says what was lost and the command that enqueues it again; that command completes the run.
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

/** `GET /readyz` of a worker's health server: status and body. */
async function readyz(port: number): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}/readyz`);
  return { status: response.status, body: await response.text() };
}

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

  it('SCRIPT FLUSH under workers that ran jobs: the scripts are loaded again, no job fails', async () => {
    const startedAt = Date.now();
    cluster = await suite.cluster('script-flush', 'core');
    const port = await freePort();
    const worker = cluster.startWorker({ extraArgs: ['--health-port', String(port)] });
    const first = await cluster.command(['run', '--date', RUN_DATE, '--wait']);
    expect(first.code, first.output).toBe(0);
    // Every connection of the worker has now sent each script it uses once; Redis forgets them.
    expect(await cluster.redis.script('FLUSH')).toBe('OK');
    expect((await cluster.memory()).cachedScripts).toBe(0);

    const second = await cluster.command(['run', '--date', RUN_DATE, '--force', '--wait']);
    expect(second.code, second.output).toBe(0);
    expect(second.stdout).toMatch(/^(\d+)\/\1 jobs completed, 0 failed$/m);
    expect(worker.output()).toContain(
      'Redis lost its Lua scripts (NOSCRIPT: SCRIPT FLUSH or a new server); loaded them again',
    );
    expect(worker.output()).not.toContain('job failed');
    expect(await readyz(port)).toEqual({ status: 200, body: 'ok\n' });
    const outcome = await scenarioOutcome(cluster, baseline.tables, {
      scenario: 'SCRIPT FLUSH under workers that ran jobs, then --force',
      startedAt,
      faultsInjected: 1,
    });
    expect(outcome.diff).toEqual(NO_DIFFERENCE);
    expect(outcome.unfinished).toEqual(DRAINED);
    expect(outcome.leaks).toEqual([]);
  });

  it('Redis refusing writes (maxmemory) mid-run: /readyz 503 while jobs fail, 200 after; no job lost', async () => {
    const startedAt = Date.now();
    cluster = await suite.cluster('redis-oom', 'core');
    const port = await freePort();
    const worker = cluster.startWorker({ extraArgs: ['--health-port', String(port)] });
    cluster.startWorker();
    const run = cluster.startRun(['--timeout', '240']);
    await midRun(cluster);
    expect(await readyz(port)).toEqual({ status: 200, body: 'ok\n' });
    await cluster.redis.config('SET', 'maxmemory', '1');
    const notReady = await waitFor(
      'the worker to report not ready',
      async () => {
        const answer = await readyz(port);
        return answer.status === 503 ? answer.body : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(notReady).toMatch(/^not ok: jobs fail because of Redis: OOM command not allowed/);
    await sleep(1_000);
    expect((await readyz(port)).status).toBe(503);
    await cluster.redis.config('SET', 'maxmemory', '0');

    const exit = await run.exited;
    expect(exit.code, run.output()).toBe(0);
    await waitFor('the worker to be ready again', async () => (await readyz(port)).status === 200, {
      timeoutMs: 30_000,
    });
    expect(worker.output()).toContain('not ready: jobs fail because of Redis');
    expect(worker.output()).toContain('ready again: jobs no longer fail because of Redis');
    const outcome = await scenarioOutcome(cluster, baseline.tables, {
      scenario: 'Redis refusing writes (maxmemory) mid-run',
      startedAt,
      faultsInjected: 1,
    });
    expect(outcome.diff).toEqual(NO_DIFFERENCE);
    expect(outcome.unfinished).toEqual(DRAINED);
    expect(outcome.leaks).toEqual([]);
  });

  it('FLUSHALL under run --wait: exit 1 naming what was lost and how to recover; recovering completes the run', async () => {
    const startedAt = Date.now();
    cluster = await suite.cluster('flushall', 'core');
    cluster.startWorker();
    cluster.startWorker();
    const run = cluster.startRun(['--timeout', '240']);
    await midRun(cluster);
    expect(await cluster.redis.flushall()).toBe('OK');

    const exit = await run.exited;
    expect(exit.code, run.output()).toBe(1);
    const stdout = run.stdout();
    expect(stdout).toMatch(/^\d+\/\d+ jobs completed, 0 failed, [1-9]\d* lost$/m);
    expect(stdout).toMatch(
      /^ {2}lost tab-groups-srm: \d+ unfinished jobs are gone from Redis \((\d+ \w+(, )?)+\)$/m,
    );
    expect(stdout).toContain(
      'Redis no longer has them (flushed, restarted without persistence, or keys evicted): ' +
        'neither they nor the jobs they would have added will run. Enqueue them again with:',
    );
    // The run named no experiment and its only experiment lost jobs: the same command.
    const command = /Enqueue them again with:\n {4}(contrail run .*)\n/.exec(stdout)?.[1];
    expect(command).toBe(`contrail run --date ${RUN_DATE} --wait --timeout 240`);

    const recovered = await cluster.command((command ?? '').split(' ').slice(1));
    expect(recovered.code, recovered.output).toBe(0);
    expect(recovered.stdout).toMatch(/^(\d+)\/\1 jobs completed, 0 failed$/m);
    const outcome = await scenarioOutcome(cluster, baseline.tables, {
      scenario: 'FLUSHALL under run --wait, then the printed recovery command',
      startedAt,
      faultsInjected: 1,
    });
    expect(outcome.diff).toEqual(NO_DIFFERENCE);
    expect(outcome.unfinished).toEqual(DRAINED);
    expect(outcome.leaks).toEqual([]);
  });
});
