import { describe, expect, it } from 'vitest';

import {
  planAnalysis,
  planGroupsOf,
  type PlanExperiment,
} from '../../../src/analysis/analysis-plan.js';
import type { PlannedRun } from '../../../src/producer/plan-run.js';
import {
  buildRunStatus,
  statusOfJobState,
  type StatusLookup,
} from '../../../src/producer/run-status.js';
import type { JobRef, JobState } from '../../../src/queue/job-states.js';
import type { WindowTableState } from '../../../src/producer/window-table-state.js';
import { makeConfig, makeEffective } from '../experiments/experiment-factory.js';

function item(slug: string): PlanExperiment {
  const experiment = makeEffective({ slug, endDate: '2021-02-01', status: 'Complete' });
  const periods = { day: ['active_hours', 'uri_count'], week: ['active_hours'] } as const;
  return { experiment, config: makeConfig(slug, periods) };
}

/** A real plan for 2020-12-14 (day 7 and week 1 due) of two experiments. */
function planned(): PlannedRun {
  const items = [item('alpha'), item('beta')];
  const plan = planAnalysis({ date: '2020-12-14', experiments: items });
  return {
    plan,
    items: new Map(items.map((i) => [i.experiment.slug, i])),
    excluded: [{ slug: 'gamma', reason: 'rollout' }],
    problems: [{ experiment: 'delta', message: 'bad config', exceptionType: 'ConfigError' }],
  };
}

function lookup(
  states: Record<string, JobState>,
  complete: string[] = [],
  tables: Record<string, WindowTableState> = {},
): StatusLookup {
  return {
    state: (ref: JobRef) => states[ref.id] ?? 'unknown',
    failedReason: (ref: JobRef) => `reason of ${ref.id}`,
    tableState: (id) =>
      tables[id] ?? (complete.includes(id) ? { state: 'done' } : { state: 'missing' }),
    failedStatistics: (id) => (id.endsWith('week.1') ? 2 : 0),
  };
}

describe('statusOfJobState', () => {
  it('maps every BullMQ state to a status', () => {
    const states: JobState[] = [
      'completed',
      'failed',
      'active',
      'waiting',
      'waiting-children',
      'delayed',
      'prioritized',
      'unknown',
    ];
    expect(states.map(statusOfJobState)).toEqual([
      'done',
      'failed',
      'running',
      'queued',
      'queued',
      'queued',
      'queued',
      'not-enqueued',
    ]);
  });
});

describe('buildRunStatus', () => {
  it('reports every planned window with its metric counts, failures and skips', () => {
    const run = planned();
    const groups = planGroupsOf(run.plan);
    expect(groups.map((g) => g.id)).toContain('finalize.alpha.2020-12-14.day.7');
    const states: Record<string, JobState> = {
      'enrollments.alpha.2020-12-14': 'completed',
      'export.alpha.2020-12-14': 'waiting-children',
      'finalize.alpha.2020-12-14.day.7': 'waiting-children',
      'metric.alpha.2020-12-14.day.7.active_hours': 'active',
      'metric.alpha.2020-12-14.day.7.uri_count': 'failed',
      'finalize.alpha.2020-12-14.week.1': 'completed',
      'metric.alpha.2020-12-14.week.1.active_hours': 'completed',
      'enrollments.beta.2020-12-14': 'failed',
    };
    const status = buildRunStatus(
      run,
      lookup(states, ['finalize.beta.2020-12-14.week.1', 'finalize.alpha.2020-12-14.week.1']),
    );
    expect(status.date).toBe('2020-12-14');
    const [alpha, beta] = status.experiments;
    expect(alpha?.enrollments).toEqual({
      id: 'enrollments.alpha.2020-12-14',
      state: 'done',
      reason: null,
    });
    expect(alpha?.export.state).toBe('queued');
    expect(alpha?.windows.map((w) => [w.period, w.windowIndex, w.state])).toEqual([
      ['day', 7, 'queued'],
      ['week', 1, 'done'],
    ]);
    expect(alpha?.windows[0]?.metrics).toEqual({
      queued: 0,
      running: 1,
      done: 0,
      failed: 1,
      'not-enqueued': 0,
    });
    expect(alpha?.windows[0]?.failedMetrics).toEqual([
      { metric: 'uri_count', reason: 'reason of metric.alpha.2020-12-14.day.7.uri_count' },
    ]);
    expect(alpha?.windows[1]?.failedStatistics).toBe(2);
    expect(beta?.enrollments).toEqual({
      id: 'enrollments.beta.2020-12-14',
      state: 'failed',
      reason: 'reason of enrollments.beta.2020-12-14',
    });
    // No finalize job: done when its table is complete (retention), else never enqueued.
    expect(beta?.windows.map((w) => w.state)).toEqual(['not-enqueued', 'done']);
    expect(beta?.windows.map((w) => [w.metrics.done, w.metrics['not-enqueued']])).toEqual([
      [0, 2],
      [1, 0],
    ]);
    expect(status.windows).toEqual({
      queued: 1,
      running: 0,
      done: 2,
      failed: 0,
      'not-enqueued': 1,
    });
    expect(status.skipped).toEqual([
      { experiment: 'gamma', period: null, metric: null, reason: 'rollout' },
    ]);
    expect(status.problems).toEqual([{ experiment: 'delta', message: 'bad config' }]);
  });

  it('trusts the warehouse over a completed finalize job: no table, a stale config or failed metrics', () => {
    const run = planned();
    const states: Record<string, JobState> = {
      'finalize.alpha.2020-12-14.day.7': 'completed',
      'finalize.alpha.2020-12-14.week.1': 'completed',
      'finalize.beta.2020-12-14.day.7': 'completed',
    };
    const status = buildRunStatus(
      run,
      lookup(states, [], {
        'finalize.alpha.2020-12-14.day.7': { state: 'failed', failedMetrics: ['uri_count'] },
        'finalize.alpha.2020-12-14.week.1': { state: 'outdated' },
      }),
    );
    const [alpha, beta] = status.experiments;
    expect(alpha?.windows.map((w) => w.state)).toEqual(['failed', 'not-enqueued']);
    expect(alpha?.windows[0]?.failedMetrics).toEqual([
      { metric: 'uri_count', reason: 'rows missing or stale in the statistics table' },
    ]);
    // A completed finalize job whose table is gone is not done.
    expect(beta?.windows[0]?.state).toBe('not-enqueued');
  });

  it('lists the planner skips with their period and reason', () => {
    const experiment = makeEffective({ slug: 'early', endDate: '2021-02-01', status: 'Live' });
    const plan = planAnalysis({
      date: '2020-12-09',
      experiments: [{ experiment, config: makeConfig('early', { week: ['active_hours'] }) }],
    });
    const status = buildRunStatus(
      { plan, items: new Map(), excluded: [], problems: [] },
      lookup({}),
    );
    expect(status.experiments).toEqual([]);
    expect(status.skipped.length).toBe(plan.skipped.length);
    expect(status.skipped[0]).toMatchObject({ experiment: 'early' });
    expect(status.skipped[0]?.reason).toBe(plan.skipped[0]?.reason);
  });

  it('a queued enrollments job makes the windows and export it will add queued (issue 13, case 10)', () => {
    const run = planned();
    // Nothing but alpha's enrollments job exists (no worker yet); it carries alpha's day 7
    // window and export. beta's week 1 has a complete table from an earlier run, but beta's own
    // enrollments job, queued for a --force rerun, carries it again.
    const carried = new Set([
      'finalize.alpha.2020-12-14.day.7',
      'export.alpha.2020-12-14',
      'finalize.beta.2020-12-14.week.1',
    ]);
    const status = buildRunStatus(run, {
      ...lookup(
        { 'enrollments.alpha.2020-12-14': 'waiting', 'enrollments.beta.2020-12-14': 'waiting' },
        ['finalize.beta.2020-12-14.week.1'],
      ),
      carriedByEnrollments: (id) => carried.has(id),
    });
    const [alpha, beta] = status.experiments;
    expect(alpha?.enrollments.state).toBe('queued');
    expect(alpha?.export.state).toBe('queued');
    expect(beta?.export.state).toBe('not-enqueued');
    expect(alpha?.windows.map((w) => [w.period, w.state, w.metrics.queued])).toEqual([
      ['day', 'queued', 2],
      ['week', 'not-enqueued', 0],
    ]);
    expect(beta?.windows.map((w) => [w.period, w.state, w.metrics.queued])).toEqual([
      ['day', 'not-enqueued', 0],
      ['week', 'queued', 1],
    ]);
    expect(status.windows).toMatchObject({ queued: 2, 'not-enqueued': 2, done: 0 });
  });
});
