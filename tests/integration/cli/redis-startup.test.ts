import { afterAll, describe, expect, it } from 'vitest';

import { freePort, startPrivateRedis } from '../../../src/runtime/private-redis.js';
import {
  createSandbox,
  runContrail,
  startContrail,
  type BackgroundProcess,
} from '../../helpers/pipeline.js';

/** Issue 13, case 9: Redis at start-up and during outages, against real processes. */
const sandbox = createSandbox('redis-startup', { CONTRAIL_LOG_LEVEL: 'info' });
afterAll(() => sandbox.cleanup());

/** Resolves when `text` shows up in the process output; rejects after `timeoutMs`. */
async function waitForOutput(
  process: BackgroundProcess,
  text: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!process.output().includes(text)) {
    if (Date.now() > deadline) {
      throw new Error(`no '${text}' within ${timeoutMs} ms; output:\n${process.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Occurrences of `text` in `output`. */
const count = (output: string, text: string): number => output.split(text).length - 1;

describe('Redis at start-up (issue 13, case 9)', () => {
  it('worker and status fail fast with the same message and exit 1 when Redis is unreachable', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const env = { ...sandbox.env, REDIS_URL: url };
    const started = Date.now();
    const worker = await runContrail(['worker', '--concurrency', '1'], env, { timeoutMs: 30_000 });
    const workerMs = Date.now() - started;
    const status = await runContrail(['status', '--date', '2026-03-01'], env, {
      timeoutMs: 30_000,
    });
    const message = `contrail: RedisUnavailableError: Redis is not reachable at ${url} after 3 s (connect ECONNREFUSED`;
    for (const result of [worker, status]) {
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain(`waiting up to 3 s for Redis at ${url} (REDIS_URL)`);
      // One line saying it, no stack traces of reconnect attempts.
      expect(count(result.stderr, 'ECONNREFUSED')).toBe(1);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    // 3 s of waiting plus start-up; it used to never exit.
    expect(workerMs).toBeLessThan(15_000);
  });

  it('rejects a REDIS_URL without a redis:// scheme or with a bad port, naming the variable', async () => {
    for (const [value, reason] of [
      ['localhost:6379', 'no redis:// or rediss:// scheme'],
      ['redis://127.0.0.1:99999', 'port 99999 is outside 1-65535'],
      ['http://127.0.0.1:6379', 'scheme http:// is not redis:// or rediss://'],
    ] as const) {
      for (const args of [['worker'], ['status', '--date', '2026-03-01']]) {
        const result = await runContrail(args, { ...sandbox.env, REDIS_URL: value });
        expect(result.code, `${args[0]} ${value}`).toBe(1);
        expect(result.stderr).toContain('contrail: invalid environment:');
        expect(result.stderr).toContain(`REDIS_URL: ${reason}`);
      }
    }
  });

  it('a running worker logs an outage once when lost and once when restored', async () => {
    const port = await freePort();
    let redis = await startPrivateRedis({ port });
    const worker = startContrail(['worker', '--concurrency', '1', '--grace-period', '5'], {
      ...sandbox.env,
      REDIS_URL: redis.url,
    });
    try {
      await waitForOutput(worker, 'worker ready');
      await redis.stop();
      await waitForOutput(worker, 'Redis connection lost');
      // Several seconds of reconnect attempts on every connection (50 ms doubling, 2 s cap).
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      redis = await startPrivateRedis({ port });
      await waitForOutput(worker, 'Redis connection restored');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const output = worker.output();
      expect(count(output, 'Redis connection lost')).toBe(1);
      expect(count(output, 'Redis connection restored')).toBe(1);
      expect(output).not.toContain('worker error');
      expect(output).not.toMatch(/"stack"/);
      expect(output).toMatch(/"connectionErrors":\d+/);
    } finally {
      const exit = await worker.stop('SIGTERM');
      await redis.stop();
      expect(exit.code).toBe(0);
    }
  });
});
