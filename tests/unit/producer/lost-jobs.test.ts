import { describe, expect, it } from 'vitest';

import type { WatchedUnit } from '../../../src/producer/enqueue-run.js';
import { createLostJobsWatch, describeLostJobs } from '../../../src/producer/lost-jobs.js';
import type { JobRef, JobState } from '../../../src/queue/job-states.js';

const unit: WatchedUnit = {
  experiment: 'alpha',
  enrollments: { queue: 'enrollments', id: 'e' },
  metrics: [
    { queue: 'metric', id: 'm1' },
    { queue: 'metric', id: 'm2' },
  ],
  finalize: [{ queue: 'finalize', id: 'f' }],
  export: { queue: 'export', id: 'x' },
};
const refs: JobRef[] = [unit.enrollments, ...unit.metrics, ...unit.finalize, unit.export];

const states = (entries: Record<string, JobState>) => new Map(Object.entries(entries));

describe('createLostJobsWatch (issue 13, case 8)', () => {
  it('reports jobs seen unfinished that Redis no longer has, once the grace time passed', () => {
    const watch = createLostJobsWatch(refs, 5_000);
    // The flow exists; m2 is not added yet (its finalize job adds it later): never lost.
    const running: Record<string, JobState> = {
      e: 'completed',
      m1: 'active',
      f: 'waiting-children',
      x: 'waiting-children',
    };
    expect(watch.observe(states(running), 0)).toEqual([]);
    // FLUSHALL: only the completed enrollments job is remembered (settled) by the poller.
    const flushed = states({ e: 'completed' });
    expect(watch.observe(flushed, 1_000)).toEqual([]);
    expect(watch.observe(flushed, 5_999)).toEqual([]);
    expect(watch.observe(flushed, 6_000)).toEqual([
      { queue: 'metric', id: 'm1' },
      { queue: 'finalize', id: 'f' },
      { queue: 'export', id: 'x' },
    ]);
  });

  it('forgives a job removed and added again within the grace time', () => {
    const watch = createLostJobsWatch(refs, 5_000);
    expect(watch.observe(states({ e: 'waiting' }), 0)).toEqual([]);
    expect(watch.observe(states({}), 1_000)).toEqual([]);
    expect(watch.observe(states({ e: 'waiting' }), 2_000)).toEqual([]);
    // The clock starts again at the next disappearance.
    expect(watch.observe(states({}), 3_000)).toEqual([]);
    expect(watch.observe(states({}), 7_999)).toEqual([]);
    expect(watch.observe(states({}), 8_000)).toEqual([unit.enrollments]);
  });

  it('does not count finished jobs that retention removed', () => {
    const watch = createLostJobsWatch(refs, 0);
    expect(watch.observe(states({ e: 'completed', m1: 'failed', x: 'waiting' }), 0)).toEqual([]);
    expect(watch.observe(states({ x: 'waiting' }), 1)).toEqual([]);
  });

  it('counts every job lost when Redis has none of the run (flushed before the first poll)', () => {
    const watch = createLostJobsWatch(refs, 5_000);
    expect(watch.observe(states({}), 0)).toEqual([]);
    expect(watch.observe(states({}), 5_000)).toEqual(refs);
  });
});

describe('describeLostJobs', () => {
  it('says per experiment how many jobs of which queues are gone', () => {
    const beta: WatchedUnit = {
      experiment: 'beta',
      enrollments: { queue: 'enrollments', id: 'e-beta' },
      metrics: [{ queue: 'metric', id: 'm-beta' }],
      finalize: [{ queue: 'finalize', id: 'f-beta' }],
      export: { queue: 'export', id: 'x-beta' },
    };
    const lines = describeLostJobs(
      [unit, beta],
      [unit.export, ...unit.metrics, ...unit.finalize, beta.export],
    );
    expect(lines).toEqual([
      'alpha: 4 unfinished jobs are gone from Redis (1 export, 1 finalize, 2 metric)',
      'beta: 1 unfinished job is gone from Redis (1 export)',
    ]);
  });
});
