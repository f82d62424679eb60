import { statisticsTableName } from '../analysis/table-names.js';
import type { ContrailQueues } from '../queue/contrail-queues.js';
import { jobStates, PENDING_STATES, type JobRef, type JobState } from '../queue/job-states.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { PlannedRun } from './plan-run.js';
import { buildRunStatus, type RunStatus, type StatusLookup } from './run-status.js';
import { windowConfigHash } from './window-config-hash.js';
import { windowTableState, type WindowTableState } from './window-table-state.js';

/** What reading a run's status needs. */
export interface ReadRunStatusDeps {
  readonly queues: ContrailQueues;
  readonly warehouse: Warehouse;
}

/**
 * Reads the status of a planned run: the state of every planned job (batched), failed reasons
 * of failed jobs, the failed-statistics count of completed finalize jobs, and the completeness
 * label of tables whose finalize job is gone.
 */
export async function readRunStatus(
  deps: ReadRunStatusDeps,
  planned: PlannedRun,
): Promise<RunStatus> {
  const refs: JobRef[] = planned.plan.units.flatMap((unit) => [
    { queue: 'enrollments', id: unit.enrollmentsId },
    { queue: 'export', id: unit.exportId },
    ...unit.groups.flatMap((group): JobRef[] => [
      { queue: 'finalize', id: group.id },
      ...group.tasks.map((task): JobRef => ({ queue: 'metric', id: task.id })),
    ]),
  ]);
  const states = await jobStates(deps.queues, refs);
  const stateOf = (ref: JobRef): JobState => states.get(ref.id) ?? 'unknown';
  const reasons = new Map<string, string | null>();
  const failedStatistics = new Map<string, number>();
  for (const ref of refs) {
    const state = stateOf(ref);
    if (state === 'failed') {
      const job = await deps.queues.queues[ref.queue].getJob(ref.id);
      reasons.set(ref.id, job?.failedReason ?? null);
    } else if (state === 'completed' && ref.queue === 'finalize') {
      const job = await deps.queues.queues.finalize.getJob(ref.id);
      failedStatistics.set(ref.id, countFailedStatistics(job?.returnvalue));
    }
  }
  const tables = await tableStates(deps.warehouse, planned);
  const carried = await windowsOfPendingEnrollments(deps.queues, planned, stateOf);
  const lookup: StatusLookup = {
    state: stateOf,
    failedReason: (ref) => reasons.get(ref.id) ?? null,
    tableState: (id) => tables.get(id) ?? { state: 'missing' },
    failedStatistics: (id) => failedStatistics.get(id) ?? 0,
    carriedByEnrollments: (id) => carried.has(id),
  };
  return buildRunStatus(planned, lookup);
}

/**
 * Ids of the finalize jobs (one per window) and the export job a queued or running enrollments
 * job will add (its payload's flow): enqueued, though they do not exist yet (issue 13, case 10).
 */
async function windowsOfPendingEnrollments(
  queues: ContrailQueues,
  planned: PlannedRun,
  stateOf: (ref: JobRef) => JobState,
): Promise<Set<string>> {
  const carried = new Set<string>();
  for (const unit of planned.plan.units) {
    if (!PENDING_STATES.has(stateOf({ queue: 'enrollments', id: unit.enrollmentsId }))) continue;
    const job = await queues.queues.enrollments.getJob(unit.enrollmentsId);
    const data = job?.data as { groups?: unknown; export?: { id?: unknown } } | undefined;
    if (typeof data?.export?.id === 'string') carried.add(data.export.id);
    const groups = data?.groups;
    if (!Array.isArray(groups)) continue;
    for (const group of groups as unknown[]) {
      const id = (group as { finalize?: { id?: unknown } } | null)?.finalize?.id;
      if (typeof id === 'string') carried.add(id);
    }
  }
  return carried;
}

/** What the warehouse says of every planned window (one table lookup each). */
async function tableStates(
  warehouse: Warehouse,
  planned: PlannedRun,
): Promise<Map<string, WindowTableState>> {
  const states = new Map<string, WindowTableState>();
  for (const unit of planned.plan.units) {
    const item = planned.items.get(unit.experiment);
    if (item === undefined) continue;
    for (const group of unit.groups) {
      const table = statisticsTableName(group.experiment, group.period, group.windowIndex);
      const info = await warehouse.tableInfo(table);
      states.set(group.id, windowTableState(info, windowConfigHash(group, item)));
    }
  }
  return states;
}

/** Length of `failedStatistics` in a finalize job's return value (0 when absent or malformed). */
function countFailedStatistics(returnValue: unknown): number {
  if (typeof returnValue !== 'object' || returnValue === null) return 0;
  const list = (returnValue as { failedStatistics?: unknown }).failedStatistics;
  return Array.isArray(list) ? list.length : 0;
}
