import type { Logger } from 'pino';

import type { AnalysisPeriod } from '../analysis/analysis-period.js';
import type {
  AnalysisPlan,
  PlanExperiment,
  PlanGroup,
  PlanUnit,
} from '../analysis/analysis-plan.js';
import { coerceError } from '../analysis/coerce-error.js';
import { statisticsTableName } from '../analysis/table-names.js';
import type { ContrailQueues } from '../queue/contrail-queues.js';
import { carriedWindows } from '../queue/carried-windows.js';
import { parseMetricJobs, type EnrollmentsJob } from '../queue/job-payloads.js';
import { DEFAULT_JOB_POLICY, jobOptions, type JobPolicy } from '../queue/job-options.js';
import {
  jobStates,
  PENDING_STATES,
  removeFinishedJob,
  type JobRef,
  type JobState,
} from '../queue/job-states.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { taskId } from '../analysis/task-id.js';
import { windowDataSources } from '../analysis/window-data-sources.js';
import { buildEnrollmentsJob, buildFinalizeJob } from './build-run-jobs.js';
import { createDataReadiness, type DataReadiness } from './data-readiness.js';
import { windowConfigHash } from './window-config-hash.js';
import { windowTableState } from './window-table-state.js';

/**
 * What {@link enqueueRun} did for one window: `enqueued`; `done` (nothing to do); `in-progress`
 * (its finalize job is pending, or the pending enrollments job of its date carries it);
 * `blocked` (it needs work, but the experiment's flow of that date is still pending without it,
 * so no second flow can be added until that one finishes: not enqueued); `not-ready` (a data
 * source it reads has no rows for its last day: not enqueued, never computed as zeros).
 */
export type WindowOutcome = 'enqueued' | 'done' | 'in-progress' | 'blocked' | 'not-ready';

/** One planned window and what {@link enqueueRun} did with it. */
export interface EnqueuedWindow {
  /** The window's finalize job id. */
  readonly id: string;
  readonly experiment: string;
  readonly period: AnalysisPeriod;
  readonly windowIndex: number;
  readonly outcome: WindowOutcome;
  /** Why a window was not enqueued (`blocked`, `not-ready`), for the run report and logs. */
  readonly reason?: string;
}

/** Per-window outcome of an enqueue, plus every job to watch for progress. */
export interface EnqueueResult {
  readonly windows: readonly EnqueuedWindow[];
  /** Jobs of this run that are queued or running (to follow with `--wait`). */
  readonly watch: readonly WatchedUnit[];
  /** Experiments whose jobs could not be built or added (the others were still enqueued). */
  readonly failed: readonly { experiment: string; message: string }[];
}

/** The jobs of one experiment's run, for progress tracking. */
export interface WatchedUnit {
  readonly experiment: string;
  readonly enrollments: JobRef;
  readonly export: JobRef;
  readonly finalize: readonly JobRef[];
  readonly metrics: readonly JobRef[];
}

/** Options of {@link enqueueRun}. */
export interface EnqueueOptions {
  /** Recompute and replace windows that are already done. */
  readonly force: boolean;
  /** Drop and rebuild the enrollments tables. */
  readonly recreateEnrollments: boolean;
  /** Identifies this run (job labels), e.g. the enqueue time. */
  readonly runId: string;
  /** Recompute statistics from the existing metrics tables, without reading telemetry. */
  readonly statisticsOnly?: boolean;
  /** Absolute folder the metrics stage writes its SQL into (`--sql-output-dir`). */
  readonly sqlOutputDir?: string;
  readonly policy?: JobPolicy;
}

/** What enqueueing needs. */
export interface EnqueueDeps {
  readonly queues: ContrailQueues;
  readonly warehouse: Warehouse;
  readonly logger: Logger;
  /**
   * Data-readiness checks, shared by every date of a command so each (data source, day) is
   * probed once. @defaultValue new checks over `warehouse` for this call
   */
  readonly readiness?: DataReadiness;
}

/**
 * Enqueues a planned run (DESIGN.md data flow, steps 2–5): per experiment, one enrollments job
 * of the run's date carrying the experiment's flow for the windows that still need work. A
 * window is done when the warehouse says so (its statistics table complete, computed with the
 * current config); it is in progress while its finalize job is pending or the pending
 * enrollments job of its date carries it. Running the same command twice therefore adds
 * nothing; `force` removes finished jobs and recomputes (an in-progress window is left to the
 * run computing it). Runs of other dates never count: a range of dates enqueues each date.
 */
export async function enqueueRun(
  deps: EnqueueDeps,
  plan: AnalysisPlan,
  items: ReadonlyMap<string, PlanExperiment>,
  options: EnqueueOptions,
): Promise<EnqueueResult> {
  const windows: EnqueuedWindow[] = [];
  const watch: WatchedUnit[] = [];
  const failed: { experiment: string; message: string }[] = [];
  const readiness = deps.readiness ?? createDataReadiness(deps.warehouse, deps.logger);
  for (const unit of plan.units) {
    const item = items.get(unit.experiment);
    if (item === undefined) continue;
    const result = await enqueuePlanUnit({ ...deps, readiness }, unit, item, options);
    windows.push(...result.windows);
    if (result.watch !== undefined) watch.push(result.watch);
    if (result.failed !== undefined) failed.push(result.failed);
  }
  return { windows, watch, failed };
}

/** What {@link enqueuePlanUnit} did for one experiment. */
interface UnitResult {
  readonly windows: readonly EnqueuedWindow[];
  readonly watch?: WatchedUnit;
  readonly failed?: { experiment: string; message: string };
}

/** Decides each window's outcome, enqueues those that need work, and what to watch. */
async function enqueuePlanUnit(
  deps: EnqueueDeps & { readonly readiness: DataReadiness },
  unit: PlanUnit,
  item: PlanExperiment,
  options: EnqueueOptions,
): Promise<UnitResult> {
  let decided: WindowOutcomes;
  try {
    decided = await windowOutcomes(deps, unit, item, options.force);
  } catch (e) {
    // A table of this experiment that cannot be read stops only this experiment.
    const error = coerceError(e);
    deps.logger.error({ experiment: unit.experiment, err: error.message }, 'could not plan');
    return { windows: [], failed: { experiment: unit.experiment, message: error.message } };
  }
  const { outcomes, retry } = decided;
  const reasons = new Map<string, string>();
  if (options.statisticsOnly !== true) {
    await checkReadiness(deps.readiness, unit, item, outcomes, reasons);
  }
  const having = (outcome: WindowOutcome) =>
    unit.groups.filter((g) => outcomes.get(g.id) === outcome);
  const toRun = having('enqueued').map((g) => retryOnly(g, retry.get(g.id)));
  try {
    if (toRun.length > 0) await enqueueAndSettle(deps, unit, item, toRun, options, outcomes);
  } catch (e) {
    const error = coerceError(e);
    deps.logger.error({ experiment: unit.experiment, err: error.message }, 'could not enqueue');
    return {
      windows: windowsOf(unit, outcomes, reasons),
      failed: { experiment: unit.experiment, message: error.message },
    };
  }
  const added = toRun.filter((g) => outcomes.get(g.id) === 'enqueued');
  const watched = [...added, ...having('in-progress')];
  return {
    windows: windowsOf(unit, outcomes, reasons),
    ...(watched.length === 0
      ? {}
      : { watch: watchedUnit(unit, watched, item, options.statisticsOnly === true) }),
  };
}

/**
 * Turns the windows about to be enqueued whose data has not landed into `not-ready`: a data
 * source they read has no row on the window's last day (`dataTo`), so computing them now would
 * analyse missing telemetry as zeros.
 */
async function checkReadiness(
  readiness: DataReadiness,
  unit: PlanUnit,
  item: PlanExperiment,
  outcomes: Map<string, WindowOutcome>,
  reasons: Map<string, string>,
): Promise<void> {
  for (const group of unit.groups) {
    if (outcomes.get(group.id) !== 'enqueued') continue;
    const missing = await readiness.missingOn(windowDataSources(group, item.config), group.dataTo);
    if (missing.length === 0) continue;
    outcomes.set(group.id, 'not-ready');
    reasons.set(
      group.id,
      `no rows in ${missing.join(', ')} for ${group.dataTo} (the window's last day); ` +
        `not analysed, run --date ${group.date} again once the data has landed`,
    );
  }
}

function windowsOf(
  unit: PlanUnit,
  outcomes: ReadonlyMap<string, WindowOutcome>,
  reasons: ReadonlyMap<string, string>,
): EnqueuedWindow[] {
  return unit.groups.map((group) => {
    const outcome = outcomes.get(group.id) ?? 'done';
    const reason =
      outcome === 'blocked'
        ? `the run of ${group.date} is still in progress without this window (${unit.enrollmentsId}, ${unit.exportId}); not enqueued, run this command again once it has finished`
        : reasons.get(group.id);
    return {
      id: group.id,
      experiment: unit.experiment,
      period: group.period,
      windowIndex: group.windowIndex,
      outcome,
      ...(reason === undefined ? {} : { reason }),
    };
  });
}

/**
 * Adds the enrollments job of `toRun` and settles their outcomes against a concurrent run of the
 * same date: when its jobs were in the way, each window is in progress if its finalize job is
 * pending or that run's pending enrollments job carries it, else blocked; when the add found a
 * job of the same id already there (BullMQ keeps the first), the windows that job does not
 * carry are blocked.
 */
async function enqueueAndSettle(
  deps: EnqueueDeps,
  unit: PlanUnit,
  item: PlanExperiment,
  toRun: readonly PlanGroup[],
  options: EnqueueOptions,
  outcomes: Map<string, WindowOutcome>,
): Promise<void> {
  const added = await enqueueUnit(deps, unit, item, toRun, options);
  if (added) {
    const job = await carriedWindows(deps.queues.queues.enrollments, unit.enrollmentsId);
    for (const group of toRun) {
      if (job !== null && !job.windows.has(group.id)) outcomes.set(group.id, 'blocked');
    }
    return;
  }
  const { states, carried } = await flowStates(deps.queues, unit);
  for (const group of toRun) {
    const pending = PENDING_STATES.has(states.get(group.id) ?? 'unknown');
    outcomes.set(group.id, pending || carried.has(group.id) ? 'in-progress' : 'blocked');
  }
}

/**
 * The states of a unit's finalize, enrollments and export jobs, and the windows the pending
 * enrollments job of its date carries. When that job finishes between the two reads (it has
 * added its flow by then), the states are read again.
 */
async function flowStates(
  queues: ContrailQueues,
  unit: PlanUnit,
): Promise<{ states: Map<string, JobState>; carried: ReadonlySet<string> }> {
  const refs: JobRef[] = [
    ...unit.groups.map((g): JobRef => ({ queue: 'finalize', id: g.id })),
    { queue: 'enrollments', id: unit.enrollmentsId },
    { queue: 'export', id: unit.exportId },
  ];
  for (let attempt = 1; ; attempt += 1) {
    const states = await jobStates(queues, refs);
    if (!PENDING_STATES.has(states.get(unit.enrollmentsId) ?? 'unknown')) {
      return { states, carried: new Set() };
    }
    const job = await carriedWindows(queues.queues.enrollments, unit.enrollmentsId);
    if (job?.pending === true) return { states, carried: job.windows };
    if (attempt === 3) return { states, carried: new Set() };
  }
}

/** The group with only the metrics to retry (all of them when there is no such list). */
function retryOnly(group: PlanGroup, metrics: readonly string[] | undefined): PlanGroup {
  if (metrics === undefined) return group;
  return { ...group, tasks: group.tasks.filter((task) => metrics.includes(task.metric)) };
}

/** Each window's outcome, and for incomplete windows the failed metrics a plain run retries. */
interface WindowOutcomes {
  readonly outcomes: Map<string, WindowOutcome>;
  readonly retry: Map<string, readonly string[]>;
}

/**
 * The outcome of every window of a unit. In progress: its finalize job is pending, or the
 * pending enrollments job of the unit's date carries it (it adds the window's flow when it runs).
 * Ids carry the date, so a pending job of another date never hides this date's windows. A
 * window that needs work while the date's flow is pending without it is blocked.
 */
async function windowOutcomes(
  deps: EnqueueDeps,
  unit: PlanUnit,
  item: PlanExperiment,
  force: boolean,
): Promise<WindowOutcomes> {
  const { states, carried } = await flowStates(deps.queues, unit);
  const flowPending = [unit.enrollmentsId, unit.exportId].some((id) =>
    PENDING_STATES.has(states.get(id) ?? 'unknown'),
  );
  const outcomes = new Map<string, WindowOutcome>();
  const retry = new Map<string, readonly string[]>();
  for (const group of unit.groups) {
    const state = states.get(group.id) ?? 'unknown';
    if ((carried.has(group.id) && state === 'unknown') || PENDING_STATES.has(state)) {
      outcomes.set(group.id, 'in-progress');
      continue;
    }
    const outcome = force
      ? { outcome: 'enqueued' as const }
      : await warehouseOutcome(deps, group, item);
    outcomes.set(
      group.id,
      outcome.outcome === 'enqueued' && flowPending ? 'blocked' : outcome.outcome,
    );
    if (outcome.retry !== undefined) retry.set(group.id, outcome.retry);
  }
  return { outcomes, retry };
}

/**
 * Whether a window that is not in progress needs work, from the warehouse (a completed finalize
 * job in Redis is not enough: its table may be gone, incomplete or from another configuration).
 * An incomplete window whose failed metrics are known and planned retries just those.
 */
async function warehouseOutcome(
  deps: EnqueueDeps,
  group: PlanGroup,
  item: PlanExperiment,
): Promise<{ outcome: WindowOutcome; retry?: readonly string[] }> {
  const info = await deps.warehouse.tableInfo(
    statisticsTableName(group.experiment, group.period, group.windowIndex),
  );
  const table = windowTableState(info, windowConfigHash(group, item));
  if (table.state === 'done') return { outcome: 'done' };
  if (table.state !== 'failed' || table.failedMetrics === null) return { outcome: 'enqueued' };
  const planned = new Set(group.tasks.map((task) => task.metric));
  const retry = table.failedMetrics.filter((metric) => planned.has(metric));
  // Failed metrics no longer planned (removed from the config) cannot be retried: recompute all.
  return retry.length > 0 && retry.length === table.failedMetrics.length
    ? { outcome: 'enqueued', retry }
    : { outcome: 'enqueued' };
}

/**
 * Removes the finished jobs of the windows to run and adds the enrollments job carrying their
 * flow. Returns false, adding nothing, when one of those jobs is still pending (another run of
 * the same date got there first).
 */
async function enqueueUnit(
  deps: EnqueueDeps,
  unit: PlanUnit,
  item: PlanExperiment,
  toRun: readonly PlanGroup[],
  options: EnqueueOptions,
): Promise<boolean> {
  const { queues } = deps;
  const job: EnrollmentsJob = buildEnrollmentsJob({ ...unit, groups: toRun }, item, {
    recreate: options.recreateEnrollments,
    runId: options.runId,
    statisticsOnly: options.statisticsOnly ?? false,
    ...(options.sqlOutputDir === undefined ? {} : { sqlOutputDir: options.sqlOutputDir }),
  });
  const blocked: string[] = [];
  const remove = async (queue: keyof ContrailQueues['queues'], id: string, children: boolean) => {
    if (!(await removeFinishedJob(queues.queues[queue], id, { children }))) blocked.push(id);
  };
  await remove('enrollments', unit.enrollmentsId, false);
  await remove('export', unit.exportId, false);
  // A window that is not done is recomputed whole: its metrics tables and every metric job (a
  // finished metric job left in place would be reused with rows of an earlier run).
  for (const group of job.groups) {
    await remove('finalize', group.finalize.id, options.force);
    for (const table of group.metricsTables) await remove('metric', table.id, false);
    for (const metric of [...group.metrics, ...parseMetricJobs(group.finalize.metricJobs).valid]) {
      await remove('metric', metric.id, false);
    }
  }
  if (blocked.length > 0) {
    deps.logger.warn(
      { experiment: unit.experiment, jobs: blocked },
      'jobs still running; not re-enqueued',
    );
    return false;
  }
  const policy = options.policy ?? DEFAULT_JOB_POLICY;
  await queues.queues.enrollments.add('enrollments', job, {
    ...jobOptions('enrollments', policy),
    jobId: job.id,
  });
  deps.logger.info(
    {
      experiment: unit.experiment,
      windows: toRun.length,
      metrics: toRun.reduce((n, g) => n + g.tasks.length, 0),
    },
    'enqueued',
  );
  return true;
}

function watchedUnit(
  unit: PlanUnit,
  groups: readonly PlanGroup[],
  item: PlanExperiment,
  statisticsOnly: boolean,
): WatchedUnit {
  const tables = (group: PlanGroup): JobRef[] =>
    statisticsOnly
      ? []
      : buildFinalizeJob(group, item).bases.map((basis) => ({
          queue: 'metric',
          id: taskId({ kind: 'metrics-table', ...group, basis }),
        }));
  return {
    experiment: unit.experiment,
    enrollments: { queue: 'enrollments', id: unit.enrollmentsId },
    export: { queue: 'export', id: unit.exportId },
    finalize: groups.map((g) => ({ queue: 'finalize', id: g.id })),
    metrics: groups.flatMap((g) => [
      ...tables(g),
      ...g.tasks.map((t): JobRef => ({ queue: 'metric', id: t.id })),
    ]),
  };
}
