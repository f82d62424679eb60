import { coerceError } from '../../analysis/coerce-error.js';
import type { BigQueryContext } from './bigquery-context.js';
import { restRequest } from './bigquery-rest.js';
import type { JobRef } from './get-job.js';

/**
 * jobs.cancel, best effort: resolves with why it failed (undefined when BigQuery accepted the
 * request; a job that already finished stays as it is).
 */
export async function cancelJob(
  context: BigQueryContext,
  job: JobRef,
): Promise<string | undefined> {
  try {
    await restRequest(context, {
      method: 'POST',
      uri: `/jobs/${encodeURIComponent(job.jobId)}/cancel`,
      qs: { location: job.location },
    });
    return undefined;
  } catch (e) {
    return coerceError(e).message;
  }
}
