import type { AnalysisPeriod } from '../analysis/analysis-period.js';
import type { PlanGroup } from '../analysis/analysis-plan.js';
import type { IsoDate } from '../analysis/iso-date.js';
import type { JobRef, JobState } from '../queue/job-states.js';
import type { PlannedRun } from './plan-run.js';
import type { WindowTableState } from './window-table-state.js';

/** What `contrail status` says about a job or a window. */
export const STATUS_STATES = ['queued', 'running', 'done', 'failed', 'not-enqueued'] as const;

/** One status. */
export type StatusState = (typeof STATUS_STATES)[number];

/** Counts per status. */
export type StatusCounts = Record<StatusState, number>;

/**
 * The status of a BullMQ job state: waiting, prioritized, delayed and waiting-children are
 * `queued`; `unknown` (never added, or removed by retention) is `not-enqueued`.
 */
export function statusOfJobState(state: JobState): StatusState {
  switch (state) {
    case 'completed':
      return 'done';
    case 'failed':
      return 'failed';
    case 'active':
      return 'running';
    case 'unknown':
      return 'not-enqueued';
    default:
      return 'queued';
  }
}

/** A job's status and, when it failed, BullMQ's failed reason. */
export interface JobStatus {
  readonly id: string;
  readonly state: StatusState;
  readonly reason: string | null;
}

/** One window (experiment, period, window index) of the run. */
export interface WindowStatus {
  readonly id: string;
  readonly period: AnalysisPeriod;
  readonly windowIndex: number;
  /** The window's status: its finalize job's, or `done` when retention removed a finished job. */
  readonly state: StatusState;
  readonly metrics: StatusCounts;
  /** Metric jobs that failed, with the reason. */
  readonly failedMetrics: readonly { metric: string; reason: string }[];
  /** Statistics that failed inside completed metric jobs (from the finalize job's result). */
  readonly failedStatistics: number;
}

/** One experiment of the run. */
export interface ExperimentStatus {
  readonly experiment: string;
  readonly enrollments: JobStatus;
  readonly export: JobStatus;
  readonly windows: readonly WindowStatus[];
}

/** Something the plan left out, with the reason. */
export interface SkippedItem {
  readonly experiment: string;
  readonly period: AnalysisPeriod | null;
  readonly metric: string | null;
  readonly reason: string;
}

/** The status of one run date. */
export interface RunStatus {
  readonly date: IsoDate;
  /** Windows per status, over every experiment. */
  readonly windows: StatusCounts;
  readonly experiments: readonly ExperimentStatus[];
  readonly skipped: readonly SkippedItem[];
  /** Experiments dropped by an error (config, source). */
  readonly problems: readonly { experiment: string | null; message: string }[];
}

/** What the queues and the warehouse say, looked up by job id. */
export interface StatusLookup {
  state(ref: JobRef): JobState;
  /** BullMQ's failed reason of a failed job. */
  failedReason(ref: JobRef): string | null;
  /** What the warehouse says of the window (its statistics table): the authority on done. */
  tableState(finalizeId: string): WindowTableState;
  /** Failed statistics in a completed finalize job's result. */
  failedStatistics(finalizeId: string): number;
  /**
   * True when a queued or running enrollments job carries the job (a window's finalize job or
   * the export job: it adds them when it runs), which is then queued though it does not exist.
   */
  carriedByEnrollments?(jobId: string): boolean;
}

/** Zero counts. */
export function emptyCounts(): StatusCounts {
  return { queued: 0, running: 0, done: 0, failed: 0, 'not-enqueued': 0 };
}

/**
 * The status of a planned run from job states (pure: every lookup is done beforehand). A window
 * whose finalize job is gone but whose table is complete counts as `done` (retention removed
 * the job); one with neither was never enqueued.
 */
export function buildRunStatus(planned: PlannedRun, lookup: StatusLookup): RunStatus {
  const totals = emptyCounts();
  const experiments = planned.plan.units.map((unit): ExperimentStatus => {
    const windows = unit.groups.map((group) => windowStatus(group, lookup));
    for (const window of windows) totals[window.state] += 1;
    return {
      experiment: unit.experiment,
      enrollments: jobStatus({ queue: 'enrollments', id: unit.enrollmentsId }, lookup),
      export: carriedJobStatus({ queue: 'export', id: unit.exportId }, lookup),
      windows,
    };
  });
  return {
    date: planned.plan.date,
    windows: totals,
    experiments,
    skipped: skippedItems(planned),
    problems: planned.problems.map((p) => ({ experiment: p.experiment, message: p.message })),
  };
}

function jobStatus(ref: JobRef, lookup: StatusLookup): JobStatus {
  const state = statusOfJobState(lookup.state(ref));
  return { id: ref.id, state, reason: state === 'failed' ? lookup.failedReason(ref) : null };
}

/**
 * A window whose finalize job finished, or is gone, is what its table says: done only when the
 * table is complete for the current configuration; failed (with its failed metrics) when rows are
 * missing or stale; never enqueued when there is no table or it is from another configuration.
 * Adds the table's failed metrics to `failedMetrics`.
 */
function settledState(
  own: JobStatus['state'],
  table: WindowTableState,
  group: PlanGroup,
  failedMetrics: { metric: string; reason: string }[],
): JobStatus['state'] {
  if (own !== 'done' && own !== 'not-enqueued') return own;
  if (table.state === 'done') return 'done';
  if (table.state === 'failed') {
    const listed = new Set(failedMetrics.map((f) => f.metric));
    for (const metric of table.failedMetrics ?? group.tasks.map((t) => t.metric)) {
      if (!listed.has(metric)) {
        failedMetrics.push({ metric, reason: 'rows missing or stale in the statistics table' });
      }
    }
    return 'failed';
  }
  return 'not-enqueued';
}

/** {@link jobStatus}, but `queued` for a job a pending enrollments job will add. */
function carriedJobStatus(ref: JobRef, lookup: StatusLookup): JobStatus {
  const status = jobStatus(ref, lookup);
  return status.state === 'not-enqueued' && lookup.carriedByEnrollments?.(ref.id) === true
    ? { ...status, state: 'queued' }
    : status;
}

function windowStatus(group: PlanGroup, lookup: StatusLookup): WindowStatus {
  const metrics = emptyCounts();
  const failedMetrics: { metric: string; reason: string }[] = [];
  for (const task of group.tasks) {
    const status = jobStatus({ queue: 'metric', id: task.id }, lookup);
    metrics[status.state] += 1;
    if (status.state === 'failed') {
      failedMetrics.push({ metric: task.metric, reason: status.reason ?? 'failed' });
    }
  }
  const own = statusOfJobState(lookup.state({ queue: 'finalize', id: group.id }));
  // Like a pending finalize job, a pending enrollments job that will add the window's jobs
  // makes the window queued, whatever an earlier run left in the warehouse.
  const carried = own === 'not-enqueued' && lookup.carriedByEnrollments?.(group.id) === true;
  const state = carried
    ? 'queued'
    : settledState(own, lookup.tableState(group.id), group, failedMetrics);
  if (own === 'not-enqueued' && (state === 'done' || carried)) {
    // Retention removed the jobs (a complete table holds every planned metric), or the
    // enrollments job has yet to add them.
    metrics[carried ? 'queued' : 'done'] += metrics['not-enqueued'];
    metrics['not-enqueued'] = 0;
  }
  return {
    id: group.id,
    period: group.period,
    windowIndex: group.windowIndex,
    state,
    metrics,
    failedMetrics,
    failedStatistics: lookup.failedStatistics(group.id),
  };
}

function skippedItems(planned: PlannedRun): SkippedItem[] {
  return [
    ...planned.excluded.map((e) => ({
      experiment: e.slug,
      period: null,
      metric: null,
      reason: e.reason,
    })),
    ...planned.plan.skipped.map((s) => ({
      experiment: s.experiment,
      period: s.period,
      metric: s.metric,
      reason: s.reason,
    })),
  ];
}
