import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startPrivateRedis, type PrivateRedis } from '../../../src/runtime/private-redis.js';
import { runContrail } from '../../helpers/pipeline.js';

/** Issue 13, case 16: the demo keeps to a queue prefix of its own. */
let redis: PrivateRedis;
const dir = mkdtempSync(path.join(tmpdir(), 'contrail-demo-prefix-'));
beforeAll(async () => {
  redis = await startPrivateRedis();
});
afterAll(async () => {
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The distinct first segments (`prefix:`) of every key in `url`. */
async function keyPrefixes(url: string): Promise<string[]> {
  const client = new Redis(url);
  try {
    const keys = await client.keys('*');
    return [...new Set(keys.map((k) => k.split(':')[0] ?? ''))].sort();
  } finally {
    client.disconnect();
  }
}

describe('contrail demo (issue 13, case 16)', () => {
  it("enqueues under its own prefix, not CONTRAIL_QUEUE_PREFIX's, and says which Redis and prefix", async () => {
    const result = await runContrail(['demo', '--clients', '300', '--concurrency', '1'], {
      REDIS_URL: redis.url,
      CONTRAIL_QUEUE_PREFIX: 'contrail',
      CONTRAIL_WAREHOUSE_DIR: path.join(dir, 'warehouse'),
      CONTRAIL_EXPORTS_DIR: path.join(dir, 'exports'),
      CONTRAIL_LOG_LEVEL: 'warn',
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(
      `Redis: ${redis.url} (REDIS_URL), queue prefix: contrail-demo (--queue-prefix)`,
    );
    expect(result.stdout).toContain('CONTRAIL_QUEUE_PREFIX=contrail-demo');
    expect(await keyPrefixes(redis.url)).toEqual(['contrail-demo']);
  }, 300_000);

  it('documents the default and refuses a bad --queue-prefix (exit 2)', async () => {
    const help = await runContrail(['demo', '--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--queue-prefix <prefix>[\s\S]*default: "contrail-demo"/);
    const bad = await runContrail(['demo', '--queue-prefix', 'a b'], { REDIS_URL: redis.url });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--queue-prefix.*letters, digits/);
  });
});
