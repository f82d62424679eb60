import { describe, expect, it } from 'vitest';

import { EnvError, parseEnv, redisUrlProblem } from '../../../src/runtime/env.js';

describe('REDIS_URL validation (issue 13, case 9)', () => {
  it('accepts redis:// and rediss:// URLs with a host and an optional port and db', () => {
    for (const url of [
      'redis://127.0.0.1:6379',
      'redis://localhost',
      'rediss://user:secret@cache.example:6380/2',
      'redis://:secret@127.0.0.1',
      'redis://[::1]:6379',
    ]) {
      expect(redisUrlProblem(url), url).toBeNull();
    }
    expect(parseEnv({}).REDIS_URL).toBe('redis://127.0.0.1:6379');
  });

  it('names the variable and the problem, never the value (it may hold a password)', () => {
    const cases = [
      ['localhost:6379', 'no redis:// or rediss:// scheme'],
      ['http://127.0.0.1:6379', 'scheme http:// is not redis:// or rediss://'],
      ['redis://127.0.0.1:99999', 'port 99999 is outside 1-65535'],
      ['redis://127.0.0.1:0', 'port 0 is outside 1-65535'],
      ['redis://:s3cret@127.0.0.1:63x9', 'the port is not a number'],
      ['redis://', 'no host'],
    ] as const;
    for (const [value, reason] of cases) {
      expect(() => parseEnv({ REDIS_URL: value }), value).toThrow(EnvError);
      expect(() => parseEnv({ REDIS_URL: value }), value).toThrow(`REDIS_URL: ${reason}`);
    }
    expect(() => parseEnv({ REDIS_URL: 'redis://:s3cret@127.0.0.1:63x9' })).not.toThrow(/s3cret/);
  });
});
