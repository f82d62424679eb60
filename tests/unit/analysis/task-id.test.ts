import { describe, expect, it } from 'vitest';

import { stableHash } from '../../../src/analysis/stable-hash.js';
import { MAX_TASK_ID_LENGTH, taskId } from '../../../src/analysis/task-id.js';

/** Reference 64-bit FNV-1a with BigInt, to check the two-halves implementation. */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

describe('stableHash', () => {
  it('equals 64-bit FNV-1a', () => {
    for (const text of ['', 'a', 'foobar', 'metric.x.2024-01-01', 'ü€𝄞'.repeat(40)]) {
      expect(stableHash(text)).toBe(fnv1a64(text));
    }
  });
});

describe('taskId', () => {
  const key = { experiment: 'my-exp', date: '2024-01-31', period: 'week', windowIndex: 3 } as const;

  it('is readable and deterministic for every kind', () => {
    expect(taskId({ kind: 'enrollments', experiment: 'my-exp', date: '2024-01-31' })).toBe(
      'enrollments.my-exp.2024-01-31',
    );
    expect(taskId({ kind: 'export', experiment: 'my-exp', date: '2024-01-31' })).toBe(
      'export.my-exp.2024-01-31',
    );
    expect(taskId({ kind: 'finalize', ...key })).toBe('finalize.my-exp.2024-01-31.week.3');
    expect(taskId({ kind: 'metric', ...key, metric: 'active_hours' })).toBe(
      'metric.my-exp.2024-01-31.week.3.active_hours',
    );
  });

  it('never contains ":" and is never all digits', () => {
    const id = taskId({ kind: 'metric', ...key, metric: '123' });
    expect(id).not.toContain(':');
    expect(id).not.toMatch(/^\d+$/);
  });

  it('differs whenever any part differs', () => {
    const ids = new Set([
      taskId({ kind: 'metric', ...key, metric: 'm' }),
      taskId({ kind: 'metric', ...key, metric: 'm2' }),
      taskId({ kind: 'metric', ...key, windowIndex: 4, metric: 'm' }),
      taskId({ kind: 'metric', ...key, period: 'day', metric: 'm' }),
      taskId({ kind: 'metric', ...key, date: '2024-02-01', metric: 'm' }),
      taskId({ kind: 'metric', ...key, experiment: 'my-exp2', metric: 'm' }),
      taskId({ kind: 'finalize', ...key }),
    ]);
    expect(ids.size).toBe(7);
  });

  it('shortens over-long ids with a hash of the full id', () => {
    const longA = taskId({ kind: 'metric', ...key, metric: `${'m'.repeat(250)}_a` });
    const longB = taskId({ kind: 'metric', ...key, metric: `${'m'.repeat(250)}_b` });
    expect(longA).toHaveLength(MAX_TASK_ID_LENGTH);
    expect(longA.startsWith('metric.my-exp.2024-01-31.week.3.mmm')).toBe(true);
    expect(longA).toMatch(/~[0-9a-f]{16}$/);
    expect(longA).not.toBe(longB);
  });

  it('rejects unsafe parts', () => {
    expect(() => taskId({ kind: 'enrollments', experiment: 'a:b', date: '2024-01-31' })).toThrow(
      /unsafe/,
    );
    expect(() => taskId({ kind: 'metric', ...key, metric: 'a.b' })).toThrow(/unsafe metric name/);
    expect(() => taskId({ kind: 'export', experiment: 'a', date: '2024-13-01' })).toThrow(/date/);
    expect(() => taskId({ kind: 'finalize', ...key, windowIndex: 0 })).toThrow(/window/);
  });
});
