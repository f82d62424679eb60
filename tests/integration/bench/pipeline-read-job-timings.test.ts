import { randomUUID } from 'node:crypto';

import { FlowProducer, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { JobTiming } from '../../../bench/pipeline/job-timings.js';
import { readJobTimings } from '../../../bench/pipeline/read-job-timings.js';
import { createRedisConnection } from '../../../src/queue/redis-connection.js';
import { deleteKeys, TEST_REDIS_URL } from '../../helpers/pipeline.js';

/**
 * The benchmark's reader against real BullMQ on the real Redis: a finalize parent with three
 * metric children, processed by real workers; timestamps, completions and parents read back.
 */
describe('readJobTimings', () => {
  const prefix = `test-bench-timings-${randomUUID().slice(0, 8)}`;
  const connection = createRedisConnection({ url: TEST_REDIS_URL, role: 'worker' });
  let sinceMs = 0;
  let timings: JobTiming[] = [];
  const workers: Worker[] = [];

  beforeAll(async () => {
    sinceMs = Date.now();
    const done = new Promise<void>((resolve) => {
      const finalize = new Worker('finalize', () => Promise.resolve('ok'), { connection, prefix });
      finalize.on('completed', () => resolve());
      workers.push(finalize);
    });
    const metric = new Worker(
      'metric',
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { readMs: 5, computeMs: 10 };
      },
      { connection, prefix },
    );
    workers.push(metric);
    const flows = new FlowProducer({ connection, prefix });
    await flows.add({
      name: 'finalize',
      queueName: 'finalize',
      opts: { jobId: 'w1' },
      children: ['a', 'b', 'c'].map((id) => ({
        name: 'metric',
        queueName: 'metric',
        opts: { jobId: id },
      })),
    });
    await done;
    await flows.close();
    timings = await readJobTimings(TEST_REDIS_URL, prefix, sinceMs);
  }, 30_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await deleteKeys(prefix);
    await connection.quit();
  });

  it('reads every finished job with ordered timestamps and its completion in Redis', () => {
    expect(timings.map((t) => `${t.queue}:${t.id}`).sort()).toEqual([
      'finalize:w1',
      'metric:a',
      'metric:b',
      'metric:c',
    ]);
    for (const t of timings) {
      expect(t.timestamp).toBeGreaterThanOrEqual(sinceMs);
      expect(t.processedOn).toBeGreaterThanOrEqual(t.timestamp);
      expect(t.finishedOn).toBeGreaterThanOrEqual(t.processedOn);
      expect(t.completedAt).not.toBeNull();
      expect(t.completedAt!).toBeGreaterThanOrEqual(t.finishedOn);
      expect(t.completedAt! - t.finishedOn).toBeLessThan(1000);
    }
  });

  it('keeps parents and the metric timings of the return value', () => {
    const metrics = timings.filter((t) => t.queue === 'metric');
    expect(metrics.map((t) => t.parent)).toEqual(['finalize:w1', 'finalize:w1', 'finalize:w1']);
    expect(metrics.every((t) => t.readMs === 5 && t.computeMs === 10)).toBe(true);
    expect(metrics.every((t) => t.finishedOn - t.processedOn >= 19)).toBe(true);
    const parent = timings.find((t) => t.queue === 'finalize');
    expect(parent?.parent).toBeNull();
    expect(parent?.readMs).toBeNull();
  });

  it('ignores completions recorded before the given start', async () => {
    const later = await readJobTimings(TEST_REDIS_URL, prefix, Date.now() + 1000);
    expect(later).toHaveLength(4);
    expect(later.every((t) => t.completedAt === null)).toBe(true);
  });
});
