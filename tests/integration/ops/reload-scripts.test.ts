import { FlowProducer } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createRedisConnection } from '../../../src/queue/redis-connection.js';
import { isNoScriptError, reloadScripts } from '../../../src/queue/reload-scripts.js';
import { startPrivateRedis, type PrivateRedis } from '../../../src/runtime/private-redis.js';

/**
 * Issue 13, case 7, against a real Redis: why a worker never recovered from `SCRIPT FLUSH`, and
 * that loading the scripts again is the way back. A private redis-server: SCRIPT FLUSH on the
 * shared one would break everybody's workers.
 */
let redis: PrivateRedis;
let admin: Redis;

beforeAll(async () => {
  redis = await startPrivateRedis();
  admin = new Redis(redis.url);
});

afterAll(async () => {
  admin.disconnect();
  await redis.stop();
});

/** Adds a two-job flow (parent and child) under `id`; BullMQ sends it as one MULTI. */
async function addFlow(flows: FlowProducer, id: string): Promise<void> {
  await flows.add({
    name: 'finalize',
    queueName: 'finalize',
    opts: { jobId: `parent-${id}` },
    children: [{ name: 'metric', queueName: 'metric', opts: { jobId: `child-${id}` } }],
  });
}

describe('reloadScripts (issue 13, case 7)', () => {
  it('a flow fails with NOSCRIPT after SCRIPT FLUSH until the scripts are loaded again', async () => {
    const connection = createRedisConnection({ url: redis.url, role: 'worker' });
    const flows = new FlowProducer({ connection, prefix: 'scripts' });
    try {
      await addFlow(flows, '1');
      expect(await admin.script('FLUSH')).toBe('OK');
      // ioredis believes this socket still has the scripts: inside MULTI it never sends EVAL.
      for (const id of ['2', '3']) {
        const error = await addFlow(flows, id).then(
          () => null,
          (e: unknown) => e,
        );
        expect(isNoScriptError(error), String(error)).toBe(true);
      }
      const loaded = await reloadScripts([connection]);
      expect(loaded).toBeGreaterThan(10);
      await addFlow(flows, '4');
      expect(await admin.exists('scripts:finalize:parent-4', 'scripts:metric:child-4')).toBe(2);
      expect(await admin.exists('scripts:finalize:parent-2')).toBe(0);
    } finally {
      await flows.close();
      connection.disconnect();
    }
  });

  it('loads nothing from no connection', async () => {
    expect(await reloadScripts([])).toBe(0);
  });
});
