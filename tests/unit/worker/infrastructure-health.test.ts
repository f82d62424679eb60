import { describe, expect, it } from 'vitest';

import { isRedisInfrastructureError } from '../../../src/queue/is-redis-infrastructure-error.js';
import { createInfrastructureHealth } from '../../../src/worker/infrastructure-health.js';

/** A ReplyError-like error, as ioredis raises for a Redis error reply. */
function reply(message: string): Error {
  return Object.assign(new Error(message), { name: 'ReplyError' });
}

const OOM = "OOM command not allowed when used memory > 'maxmemory'.";

describe('isRedisInfrastructureError (issue 13, case 7)', () => {
  it('counts Redis failing, not jobs failing', () => {
    for (const message of [
      'NOSCRIPT No matching script. Please use EVAL.',
      OOM,
      "READONLY You can't write against a read only replica.",
      'LOADING Redis is loading the dataset in memory',
      'MISCONF Redis is configured to save RDB snapshots, but it is currently not able to persist',
      'NOPERM User default has no permissions to run the evalsha command',
      'Connection is closed.',
    ]) {
      expect(isRedisInfrastructureError(reply(message)), message).toBe(true);
    }
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), {
      code: 'ECONNREFUSED',
    });
    expect(isRedisInfrastructureError(refused)).toBe(true);
    for (const message of [
      'Missing lock for job 1. moveToFinished',
      'WRONGTYPE Operation against a key holding the wrong kind of value',
      'metric active_hours: no such column',
      'job stalled more than allowable limit',
    ]) {
      expect(isRedisInfrastructureError(new Error(message)), message).toBe(false);
    }
  });
});

describe('createInfrastructureHealth (issue 13, case 7)', () => {
  function health(quietMs = 30_000) {
    let now = 1_000;
    const changes: (string | null)[] = [];
    const state = createInfrastructureHealth({
      now: () => now,
      quietMs,
      settleMs: 2_000,
      onChange: (problem) => changes.push(problem),
    });
    return { state, changes, advance: (ms: number) => (now += ms) };
  }

  it('is healthy until a job fails because of Redis, and again once a job completes', () => {
    const { state, changes, advance } = health();
    expect(state.problem()).toBeNull();
    state.failed(new Error('metric active_hours: division by zero'));
    expect(state.problem()).toBeNull();
    state.failed(reply('NOSCRIPT No matching script. Please use EVAL.'));
    expect(state.problem()).toBe(
      'jobs fail because of Redis: NOSCRIPT No matching script. Please use EVAL.',
    );
    // Further failures keep the first reason and are not announced again.
    state.failed(reply(OOM));
    expect(state.problem()).toContain('NOSCRIPT');
    // A completion right after a failure may have raced it on another connection: no proof.
    advance(1_999);
    state.succeeded();
    expect(state.problem()).toContain('NOSCRIPT');
    advance(1);
    state.succeeded();
    expect(state.problem()).toBeNull();
    expect(changes).toEqual([
      'jobs fail because of Redis: NOSCRIPT No matching script. Please use EVAL.',
      null,
    ]);
  });

  it('is ready again after the quiet time without another Redis failure, not before', () => {
    const { state, changes, advance } = health(10_000);
    state.failed(reply(OOM));
    advance(6_000);
    state.failed(reply(OOM));
    advance(9_999);
    expect(state.problem()).toContain('OOM');
    advance(1);
    expect(state.problem()).toBeNull();
    expect(changes).toEqual([`jobs fail because of Redis: ${OOM}`, null]);
  });

  it('a completed job while healthy changes nothing', () => {
    const { state, changes } = health();
    state.succeeded();
    expect(state.problem()).toBeNull();
    expect(changes).toEqual([]);
  });
});
