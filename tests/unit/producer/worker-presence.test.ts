import { describe, expect, it } from 'vitest';

import { createWorkerPresence } from '../../../src/producer/worker-presence.js';
import type { QueueName } from '../../../src/queue/queue-names.js';

const where = 'REDIS_URL=redis://127.0.0.1:6379, CONTRAIL_QUEUE_PREFIX=contrail';
const counts = (entries: Partial<Record<QueueName, number>>) =>
  new Map(Object.entries(entries) as [QueueName, number][]);
const waiting = (...queues: QueueName[]) => new Set<QueueName>(queues);

describe('createWorkerPresence (issue 13, case 10)', () => {
  it('hints once when a queue with waiting jobs has had no worker for the hint delay', () => {
    const presence = createWorkerPresence({ hintAfterMs: 10_000, where });
    const none = counts({ enrollments: 0, metric: 0, finalize: 0, export: 0 });
    expect(presence.observe(none, waiting('enrollments'), 0)).toEqual([]);
    expect(presence.observe(none, waiting('enrollments'), 9_999)).toEqual([]);
    expect(presence.observe(none, waiting('enrollments'), 10_000)).toEqual([
      'no worker is consuming the enrollments queue (none seen for 10 s): jobs stay queued ' +
        'until a worker starts. Start one with `contrail worker` (REDIS_URL=redis://127.0.0.1:6379, ' +
        'CONTRAIL_QUEUE_PREFIX=contrail); Ctrl-C stops waiting and leaves the jobs queued',
    ]);
    expect(presence.observe(none, waiting('enrollments'), 60_000)).toEqual([]);
    // A worker turns up: said once; it leaving again starts a new delay.
    const one = counts({ enrollments: 1, metric: 1, finalize: 1, export: 1 });
    expect(presence.observe(one, waiting('enrollments'), 61_000)).toEqual([
      'a worker is consuming the enrollments queue now',
    ]);
    expect(presence.observe(one, waiting('enrollments'), 62_000)).toEqual([]);
    expect(presence.observe(none, waiting('metric'), 63_000)).toEqual([]);
    expect(presence.observe(none, waiting('metric'), 73_000)).toEqual([
      expect.stringMatching(/^no worker is consuming the metric queue /),
    ]);
  });

  it('names every queue without a worker in one line, and ignores queues with nothing waiting', () => {
    const presence = createWorkerPresence({ hintAfterMs: 0, where });
    const lines = presence.observe(
      counts({ enrollments: 2, metric: 0, finalize: 0, export: 0 }),
      waiting('enrollments', 'metric', 'finalize'),
      0,
    );
    expect(lines).toEqual([
      expect.stringMatching(
        /^no worker is consuming the metric, finalize queues \(none seen for 0 s\)/,
      ),
    ]);
  });
});
