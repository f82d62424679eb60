import { coerceError } from '../../analysis/coerce-error.js';
import { WarehouseQueryError } from '../warehouse-errors.js';
import type { BigQueryContext } from './bigquery-context.js';
import { apiFailure } from './bigquery-errors.js';
import { deterministicJobId, MAX_JOB_ATTEMPTS } from './bigquery-job-id.js';
import { asObject, stringField, type JsonObject } from './bigquery-rest.js';
import { getJob, type JobRef } from './get-job.js';

/** How a step came by its job: a new one, one still running, or one that finished well. */
export type JobOrigin = 'started' | 'reattached' | 'reused';

/** A job of a step, with how the step came by it. */
export interface AttachedJob extends JobRef {
  readonly origin: JobOrigin;
}

/**
 * What to do with a job found under a step's job id: wait for it while it is PENDING or
 * RUNNING, use its result when it is DONE without error, or go on to the next attempt when it
 * failed — or when it runs other SQL (the step's query changed between attempts).
 */
export function existingJobUse(resource: JsonObject, sql: string): JobOrigin | 'next' {
  const status = asObject(resource.status);
  const query = asObject(asObject(resource.configuration).query);
  if (stringField(query, 'query') !== sql) return 'next';
  if (status.state !== 'DONE') return 'reattached';
  return Object.keys(asObject(status.errorResult)).length === 0 ? 'reused' : 'next';
}

/** True for jobs.insert's HTTP 409: a job with that id exists (not a job's own error). */
function isExistingJob(thrown: unknown): boolean {
  return apiFailure(thrown).code === 409;
}

/**
 * Starts the job of step `jobKey`, or finds the one an earlier try started: attempt 1's id
 * first (`contrail_<key>_<hash>_1`); when jobs.insert answers 409, jobs.get decides
 * ({@link existingJobUse}) between reattaching, reusing and the next attempt's id.
 * @param insert starts the job under the given id, rejecting with the client's error.
 * @throws WarehouseQueryError (not retryable) when all {@link MAX_JOB_ATTEMPTS} ids are used
 *   by failed jobs; the client's error when an insert fails otherwise.
 */
export async function startOrAttach(
  context: BigQueryContext,
  jobKey: string,
  spec: { readonly sql: string; readonly purpose: string },
  insert: (jobId: string) => Promise<JobRef>,
): Promise<AttachedJob> {
  for (let attempt = 1; attempt <= MAX_JOB_ATTEMPTS; attempt += 1) {
    const jobId = deterministicJobId(jobKey, attempt);
    try {
      return { ...(await insert(jobId)), origin: 'started' };
    } catch (e) {
      const error = coerceError(e);
      if (!isExistingJob(error)) throw error;
    }
    const existing = await getJob(context, { jobId, location: context.location }, spec.purpose);
    const use = existingJobUse(existing, spec.sql);
    if (use !== 'next') {
      const location = stringField(asObject(existing.jobReference), 'location');
      return { jobId, location: location ?? context.location, origin: use };
    }
  }
  throw new WarehouseQueryError(
    `BigQuery ${spec.purpose} failed: all ${MAX_JOB_ATTEMPTS} job ids of step ${JSON.stringify(jobKey)} are taken by failed jobs`,
  );
}
