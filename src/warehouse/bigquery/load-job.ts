import { coerceError } from '../../analysis/coerce-error.js';
import type { Job } from '@google-cloud/bigquery';
import type { BigQueryContext } from './bigquery-context.js';
import { toWarehouseError } from './bigquery-errors.js';
import { asObject, restRequest } from './bigquery-rest.js';
import type { SchemaField } from './bigquery-schemas.js';

/** A NEWLINE_DELIMITED_JSON load into a table of the results dataset. */
export interface LoadSpec {
  readonly table: string;
  readonly fields: readonly SchemaField[];
  /** One JSON object per line. */
  readonly ndjson: string;
  readonly writeDisposition: 'WRITE_TRUNCATE' | 'WRITE_APPEND' | 'WRITE_EMPTY';
  /** Labels and description for a table the job creates (BigQuery ignores them otherwise). */
  readonly labels: Readonly<Record<string, string>>;
  readonly description: string;
  readonly purpose: string;
}

/** Throws the job's `errorResult` (as an error the classifier understands), if any. */
function throwIfFailed(status: Readonly<Record<string, unknown>>, purpose: string): void {
  const errorResult = asObject(status.errorResult);
  if (Object.keys(errorResult).length === 0) return;
  const errors = Array.isArray(status.errors) ? (status.errors as unknown[]) : [errorResult];
  const message = typeof errorResult.message === 'string' ? errorResult.message : 'job failed';
  throw toWarehouseError(Object.assign(new Error(message), { errors }), purpose);
}

/** Polls jobs.get until the job is DONE. @throws WarehouseQueryError with the job's error. */
export async function waitForJob(
  context: BigQueryContext,
  jobId: string,
  location: string | undefined,
  purpose: string,
): Promise<void> {
  for (;;) {
    let job;
    try {
      job = await restRequest(context, {
        uri: `/jobs/${encodeURIComponent(jobId)}`,
        qs: { location },
      });
    } catch (e) {
      const error = coerceError(e);
      throw toWarehouseError(error, purpose);
    }
    const status = asObject(job.status);
    if (status.state === 'DONE') return throwIfFailed(status, purpose);
    await context.sleep(context.pollIntervalMs);
  }
}

function uploadJob(context: BigQueryContext, spec: LoadSpec): Promise<Job> {
  const stream = context.client
    .dataset(context.dataset)
    .table(spec.table)
    .createWriteStream({
      sourceFormat: 'NEWLINE_DELIMITED_JSON',
      writeDisposition: spec.writeDisposition,
      createDisposition: 'CREATE_IF_NEEDED',
      schema: { fields: spec.fields.map((field) => ({ ...field })) },
      destinationTableProperties: { labels: { ...spec.labels }, description: spec.description },
      jobPrefix: 'contrail_load_',
    });
  return new Promise<Job>((resolve, reject) => {
    stream.once('error', reject);
    stream.once('job', (job: Job | null) => {
      if (job) resolve(job);
      else reject(new Error('the upload response named no job'));
    });
    stream.end(spec.ndjson);
  });
}

/**
 * Loads NDJSON through a media upload (one request) and waits for the load job. A load job
 * commits atomically: with WRITE_TRUNCATE, readers see the old rows or the new ones.
 * @throws WarehouseQueryError naming `spec.purpose` (retryable for transient failures).
 */
export async function runLoadJob(context: BigQueryContext, spec: LoadSpec): Promise<void> {
  let job: Job;
  try {
    job = await uploadJob(context, spec);
  } catch (e) {
    const error = coerceError(e);
    throw toWarehouseError(error, spec.purpose);
  }
  const status = asObject(asObject(job.metadata).status);
  if (status.state === 'DONE') return throwIfFailed(status, spec.purpose);
  await waitForJob(context, job.id ?? '', job.location ?? context.location, spec.purpose);
}
