import { statisticsTableName } from '../analysis/table-names.js';
import { TABLE_LABELS } from '../analysis/table-labels.js';
import type { ContrailQueues } from '../queue/contrail-queues.js';
import { jobStates, type JobRef, type JobState } from '../queue/job-states.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { PlannedRun } from './plan-run.js';
import { buildRunStatus, type RunStatus, type StatusLookup } from './run-status.js';

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
  const complete = await completeTables(deps.warehouse, planned, stateOf);
  const lookup: StatusLookup = {
    state: stateOf,
    failedReason: (ref) => reasons.get(ref.id) ?? null,
    tableComplete: (id) => complete.has(id),
    failedStatistics: (id) => failedStatistics.get(id) ?? 0,
  };
  return buildRunStatus(planned, lookup);
}

/** Finalize ids whose job is gone but whose statistics table is marked complete. */
async function completeTables(
  warehouse: Warehouse,
  planned: PlannedRun,
  stateOf: (ref: JobRef) => JobState,
): Promise<Set<string>> {
  const complete = new Set<string>();
  for (const unit of planned.plan.units) {
    for (const group of unit.groups) {
      if (stateOf({ queue: 'finalize', id: group.id }) !== 'unknown') continue;
      const table = statisticsTableName(group.experiment, group.period, group.windowIndex);
      const info = await warehouse.tableInfo(table);
      if (info?.labels[TABLE_LABELS.complete] === 'true') complete.add(group.id);
    }
  }
  return complete;
}

/** Length of `failedStatistics` in a finalize job's return value (0 when absent or malformed). */
function countFailedStatistics(returnValue: unknown): number {
  if (typeof returnValue !== 'object' || returnValue === null) return 0;
  const list = (returnValue as { failedStatistics?: unknown }).failedStatistics;
  return Array.isArray(list) ? list.length : 0;
}
