import { describe, expect, it } from 'vitest';

import type { ProgressSnapshot } from '../../../src/producer/run-progress.js';
import { formatStillQueued } from '../../../src/producer/still-queued.js';

function snapshot(part: Partial<ProgressSnapshot>): ProgressSnapshot {
  return {
    total: 0,
    completed: 0,
    failed: 0,
    running: 0,
    finished: false,
    failedJobs: [],
    unfinished: {},
    states: new Map(),
    ...part,
  };
}

describe('formatStillQueued (issue 13, case 10)', () => {
  it('says what stays queued after Ctrl-C, in which states, and how to follow it', () => {
    const text = formatStillQueued(
      '2026-03-01',
      snapshot({ total: 45, unfinished: { waiting: 1, unknown: 44 } }),
    );
    expect(text).toBe(
      'interrupted: 45 of 45 jobs of 2026-03-01 stay queued (1 waiting for a worker, 44 to be ' +
        'added by the jobs before them); workers will still process them (start one with ' +
        '`contrail worker` if none runs); follow them with `contrail status --date 2026-03-01`',
    );
  });

  it('lists running, retrying and dependent jobs, and says when nothing is left', () => {
    const text = formatStillQueued(
      '2026-03-01',
      snapshot({
        total: 20,
        completed: 10,
        failed: 1,
        unfinished: { active: 2, prioritized: 1, waiting: 1, delayed: 1, 'waiting-children': 4 },
      }),
    );
    expect(text).toContain(
      '9 of 20 jobs of 2026-03-01 stay queued (2 running, 2 waiting for a worker, 1 waiting to ' +
        'be retried, 4 waiting for the jobs they depend on)',
    );
    expect(formatStillQueued('2026-03-01', snapshot({ total: 3, completed: 3 }))).toBe(
      'interrupted: every job of 2026-03-01 had finished',
    );
  });
});
