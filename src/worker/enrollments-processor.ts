import type { EnrollmentsJob } from '../queue/job-payloads.js';
import type { Warehouse } from '../warehouse/warehouse.js';

/** What the enrollments job returns. */
export interface EnrollmentsResult {
  readonly created: boolean;
  readonly clients: number;
  /** Windows whose flow was added by this job (others were already done). */
  readonly windows: number;
}

/** What the enrollments job needs. */
export interface EnrollmentsProcessorDeps {
  readonly warehouse: Warehouse;
  /** True when the finalize job of that id already completed (its window is done). */
  readonly isWindowDone: (finalizeId: string) => Promise<boolean>;
  /** Adds the experiment's flow for `groups` (deterministic ids: adding twice adds nothing). */
  readonly addFlow: (job: EnrollmentsJob, groups: EnrollmentsJob['groups']) => Promise<void>;
}

/**
 * The enrollments job (DESIGN.md data flow, step 2): create `enrollments_<slug>` once (write-if-
 * empty), then add the experiment's flow, so no metric job can read enrollments before they
 * exist. Windows whose finalize job already completed are left out: re-adding a finished flow
 * would re-run its children (operations.md §1.4).
 */
export function createEnrollmentsProcessor(deps: EnrollmentsProcessorDeps) {
  return async function processEnrollmentsJob(job: EnrollmentsJob): Promise<EnrollmentsResult> {
    const { created, clients } = await deps.warehouse.ensureEnrollments(job.spec, {
      recreate: job.recreate,
    });
    const groups = [];
    for (const group of job.groups) {
      if (!(await deps.isWindowDone(group.finalize.id))) groups.push(group);
    }
    if (groups.length > 0) await deps.addFlow(job, groups);
    return { created, clients, windows: groups.length };
  };
}
