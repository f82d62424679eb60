import { randomUUID } from 'node:crypto';

import { Worker } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';

import type { WatchedUnit } from '../../../src/producer/enqueue-run.js';
import { readProgress, waitForRun } from '../../../src/producer/run-progress.js';
import { openQueues, type ContrailQueues } from '../../../src/queue/contrail-queues.js';
import { createRedisConnection } from '../../../src/queue/redis-connection.js';
import { Capture } from '../../helpers/capture.js';
import { deleteKeys, TEST_REDIS_URL } from '../../helpers/pipeline.js';

/**
 * `contrail run --wait` progress on the real Redis: completed jobs are remembered between polls
 * (not asked again), the export job is asked every time.
 */
describe('readProgress', () => {
  const prefix = `test-progress-${randomUUID().slice(0, 8)}`;
  const connection = createRedisConnection({ url: TEST_REDIS_URL, role: 'worker' });
  const queues = openQueues({ connection, prefix });
  const unit: WatchedUnit = {
    experiment: 'exp',
    enrollments: { queue: 'enrollments', id: 'e1' },
    metrics: [
      { queue: 'metric', id: 'm1' },
      { queue: 'metric', id: 'm2' },
    ],
    finalize: [{ queue: 'finalize', id: 'f1' }],
    export: { queue: 'export', id: 'x1' },
  };

  afterAll(async () => {
    await queues.close();
    await deleteKeys(prefix);
    connection.disconnect();
  });

  /** Adds the unit's jobs and lets real workers complete the ones named. */
  async function complete(ids: readonly string[]): Promise<void> {
    const refs = [unit.enrollments, ...unit.metrics, ...unit.finalize, unit.export];
    const workers = [...new Set(refs.map((r) => r.queue))].map(
      (queue) => new Worker(queue, () => Promise.resolve('ok'), { connection, prefix }),
    );
    try {
      for (const ref of refs.filter((r) => ids.includes(r.id))) {
        const job = await queues.queues[ref.queue].add(ref.queue, {}, { jobId: ref.id });
        await expect.poll(() => job.getState(), { timeout: 10_000 }).toBe('completed');
      }
    } finally {
      await Promise.all(workers.map((w) => w.close()));
    }
  }

  it('remembers completed jobs between polls and always asks the export job', async () => {
    await complete(['e1', 'm1', 'f1', 'x1']);
    const settled = new Set<string>();
    const first = await readProgress(queues, [unit], settled);
    // The export is done, so the metric job that never appeared was never added (its window's
    // metrics table lacked its columns): it is no job of the run.
    expect(first).toMatchObject({ total: 4, completed: 4, failed: 0, finished: true });
    expect([...settled].sort()).toEqual(['e1', 'f1', 'm1']);

    // Gone from Redis after the first poll: a settled job still counts as completed; the export
    // job is asked again, so the run is no longer seen as finished.
    await queues.queues.metric.remove('m1');
    await queues.queues.export.remove('x1');
    const second = await readProgress(queues, [unit], settled);
    expect(second).toMatchObject({ total: 5, completed: 3, finished: false });

    // Without the memory, the removed metric job is unknown again.
    const fresh = await readProgress(queues, [unit]);
    expect(fresh.completed).toBe(2);
  });
});

/**
 * `run --wait` when things go wrong (issue 13, cases 8 and 10), on the real Redis under a
 * private prefix: jobs that vanish end the wait, a queue without a worker gets a hint, and an
 * abort (Ctrl-C) ends the wait with what stays queued.
 */
describe('waitForRun', () => {
  const prefix = `test-wait-${randomUUID().slice(0, 8)}`;
  const connection = createRedisConnection({ url: TEST_REDIS_URL, role: 'worker' });
  const queues: ContrailQueues = openQueues({ connection, prefix });
  const unit: WatchedUnit = {
    experiment: 'exp',
    enrollments: { queue: 'enrollments', id: 'e1' },
    metrics: [{ queue: 'metric', id: 'm1' }],
    finalize: [{ queue: 'finalize', id: 'f1' }],
    export: { queue: 'export', id: 'x1' },
  };
  const fast = { tty: false, now: () => Date.now(), intervalMs: 20, lineEveryMs: 60_000 };

  afterAll(async () => {
    await queues.close();
    await deleteKeys(prefix);
    connection.disconnect();
  });

  it('ends with the lost jobs when Redis loses a queued run', async () => {
    await queues.queues.enrollments.add('enrollments', {}, { jobId: 'e1' });
    const out = new Capture();
    const waiting = waitForRun(queues, [unit], { ...fast, out, lostAfterMs: 300 });
    await expect.poll(() => out.text(), { timeout: 5_000 }).toContain('0/4 jobs');
    await deleteKeys(prefix);
    const result = await waiting;
    expect(result.lost).toEqual([unit.enrollments]);
    expect(result).toMatchObject({ finished: false, timedOut: false, interrupted: false });
  });

  it('says when no worker consumes a queue with waiting jobs, and when one turns up', async () => {
    await queues.queues.enrollments.add('enrollments', {}, { jobId: 'e1' });
    const out = new Capture();
    const interrupt = new AbortController();
    const waiting = waitForRun(queues, [unit], {
      ...fast,
      out,
      noWorkerHintAfterMs: 200,
      workerCheckEveryMs: 50,
      workersWhere: 'here',
      signal: interrupt.signal,
    });
    await expect
      .poll(() => out.text(), { timeout: 5_000 })
      .toContain(
        'no worker is consuming the enrollments queue (none seen for 0 s): jobs stay queued until ' +
          'a worker starts. Start one with `contrail worker` (here)',
      );
    // A worker that never takes the job (paused) but is connected to the queue.
    const worker = new Worker('enrollments', null, { connection, prefix, autorun: false });
    try {
      await worker.waitUntilReady();
      await expect
        .poll(() => out.text(), { timeout: 5_000 })
        .toContain('a worker is consuming the enrollments queue now');
    } finally {
      await worker.close();
    }
    interrupt.abort();
    const result = await waiting;
    expect(result).toMatchObject({ interrupted: true, lost: [], total: 4, completed: 0 });
    expect(result.unfinished).toEqual({ waiting: 1, unknown: 3 });
    await deleteKeys(prefix);
  });
});
