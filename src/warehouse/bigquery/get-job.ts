import { coerceError } from '../../analysis/coerce-error.js';
import type { BigQueryContext } from './bigquery-context.js';
import { toWarehouseError } from './bigquery-errors.js';
import { restRequest, type JsonObject } from './bigquery-rest.js';

/** A job in BigQuery: its id and the location it runs in. */
export interface JobRef {
  readonly jobId: string;
  readonly location: string | undefined;
}

/** jobs.get: the job resource. @throws WarehouseQueryError naming `purpose`. */
export async function getJob(
  context: BigQueryContext,
  job: JobRef,
  purpose: string,
): Promise<JsonObject> {
  try {
    return await restRequest(context, {
      uri: `/jobs/${encodeURIComponent(job.jobId)}`,
      qs: { location: job.location },
    });
  } catch (e) {
    const error = coerceError(e);
    throw toWarehouseError(error, purpose);
  }
}
