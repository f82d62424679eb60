import type { Logger } from 'pino';

import type {
  AnalysisPlan,
  PlanExperiment,
  PlanGroup,
  PlanUnit,
} from '../analysis/analysis-plan.js';
import { coerceError } from '../analysis/coerce-error.js';
import { statisticsTableName } from '../analysis/table-names.js';
import type { ContrailQueues } from '../queue/contrail-queues.js';
import { parseMetricJobs, type EnrollmentsJob } from '../queue/job-payloads.js';
import { DEFAULT_JOB_POLICY, jobOptions, type JobPolicy } from '../queue/job-options.js';
import { jobStates, PENDING_STATES, removeFinishedJob, type JobRef } from '../queue/job-states.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { taskId } from '../analysis/task-id.js';
import { buildEnrollmentsJob, buildFinalizeJob } from './build-run-jobs.js';
import { windowConfigHash } from './window-config-hash.js';
import { windowTableState } from './window-table-state.js';

/** What {@link enqueueRun} did for one window. */
export type WindowOutcome = 'enqueued' | 'done' | 'in-progress';

/** Per-window outcome of an enqueue, plus every job to watch for progress. */
export interface EnqueueResult {
  readonly windows: readonly { id: string; experiment: string; outcome: WindowOutcome }[];
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
}

/**
 * Enqueues a planned run (DESIGN.md data flow, steps 2–5): per experiment, one enrollments job
 * carrying the experiment's flow for the windows that still need work. A window is done when
 * its finalize job completed or, once retention removed that job, when its statistics table is
 * marked complete; it is in progress while its finalize job is pending. Running the same
 * command twice therefore adds nothing; `force` removes finished jobs and recomputes.
 */
export async function enqueueRun(
  deps: EnqueueDeps,
  plan: AnalysisPlan,
  items: ReadonlyMap<string, PlanExperiment>,
  options: EnqueueOptions,
): Promise<EnqueueResult> {
  const windows: { id: string; experiment: string; outcome: WindowOutcome }[] = [];
  const watch: WatchedUnit[] = [];
  const failed: { experiment: string; message: string }[] = [];
  for (const unit of plan.units) {
    const item = items.get(unit.experiment);
    if (item === undefined) continue;
    let decided: WindowOutcomes;
    try {
      decided = await windowOutcomes(deps, unit, item, options.force);
    } catch (e) {
      // A table of this experiment that cannot be read stops only this experiment.
      const error = coerceError(e);
      deps.logger.error({ experiment: unit.experiment, err: error.message }, 'could not plan');
      failed.push({ experiment: unit.experiment, message: error.message });
      continue;
    }
    const { outcomes, retry } = decided;
    const toRun = unit.groups
      .filter((g) => outcomes.get(g.id) === 'enqueued')
      .map((g) => retryOnly(g, retry.get(g.id)));
    const pending = unit.groups.filter((g) => outcomes.get(g.id) === 'in-progress');
    for (const group of unit.groups) {
      windows.push({
        id: group.id,
        experiment: unit.experiment,
        outcome: outcomes.get(group.id) ?? 'done',
      });
    }
    if (toRun.length > 0) {
      try {
        await enqueueUnit(deps, unit, item, toRun, options);
      } catch (e) {
        const error = coerceError(e);
        deps.logger.error({ experiment: unit.experiment, err: error.message }, 'could not enqueue');
        failed.push({ experiment: unit.experiment, message: error.message });
        continue;
      }
    }
    if (toRun.length + pending.length > 0) {
      watch.push(watchedUnit(unit, [...toRun, ...pending], item, options.statisticsOnly === true));
    }
  }
  return { windows, watch, failed };
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

async function windowOutcomes(
  deps: EnqueueDeps,
  unit: PlanUnit,
  item: PlanExperiment,
  force: boolean,
): Promise<WindowOutcomes> {
  const refs = unit.groups.map((g): JobRef => ({ queue: 'finalize', id: g.id }));
  const states = await jobStates(deps.queues, [
    ...refs,
    { queue: 'enrollments', id: unit.enrollmentsId },
  ]);
  // A pending enrollments job is about to add the flow of its windows: they are in progress.
  const adding = PENDING_STATES.has(states.get(unit.enrollmentsId) ?? 'unknown');
  const outcomes = new Map<string, WindowOutcome>();
  const retry = new Map<string, readonly string[]>();
  for (const group of unit.groups) {
    const state = states.get(group.id) ?? 'unknown';
    if ((adding && state === 'unknown') || PENDING_STATES.has(state)) {
      outcomes.set(group.id, 'in-progress');
      continue;
    }
    if (force) {
      outcomes.set(group.id, 'enqueued');
      continue;
    }
    const outcome = await warehouseOutcome(deps, group, item);
    outcomes.set(group.id, outcome.outcome);
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

async function enqueueUnit(
  deps: EnqueueDeps,
  unit: PlanUnit,
  item: PlanExperiment,
  toRun: readonly PlanGroup[],
  options: EnqueueOptions,
): Promise<void> {
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
    return;
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
