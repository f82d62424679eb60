import { coerceError } from '../../analysis/coerce-error.js';
import type { BigQueryContext } from './bigquery-context.js';
import { toWarehouseError } from './bigquery-errors.js';
import { bigQueryLabels } from './bigquery-labels.js';
import { asObject, restRequest, stringField } from './bigquery-rest.js';
import { cancelJob } from './cancel-job.js';

/**
 * Cancels every running or pending job of this project whose labels include all of `labels`
 * (as {@link bigQueryLabels} writes them): the queries of a worker thread that was terminated
 * (timeout) or a job handed back at shutdown, which would otherwise run on and bill.
 * jobs.list (running, then pending; all pages), then jobs.cancel for each match.
 * @returns how many jobs were asked to stop.
 * @throws WarehouseQueryError when the jobs cannot be listed.
 */
export async function cancelLabelledBigQueryJobs(
  context: BigQueryContext,
  labels: Readonly<Record<string, string>>,
): Promise<number> {
  const wanted = Object.entries(bigQueryLabels(labels)).filter(([key]) => key !== 'app');
  if (wanted.length === 0) return 0;
  let cancelled = 0;
  for (const stateFilter of ['running', 'pending']) {
    let pageToken: string | undefined;
    do {
      let page;
      try {
        page = await restRequest(context, {
          uri: '/jobs',
          qs: { stateFilter, projection: 'full', maxResults: 1000, pageToken },
        });
      } catch (e) {
        throw toWarehouseError(coerceError(e), 'listing running jobs');
      }
      for (const entry of Array.isArray(page.jobs) ? (page.jobs as unknown[]) : []) {
        const job = asObject(entry);
        const jobLabels = asObject(asObject(job.configuration).labels);
        if (!wanted.every(([key, value]) => jobLabels[key] === value)) continue;
        const reference = asObject(job.jobReference);
        const jobId = stringField(reference, 'jobId');
        if (jobId === undefined) continue;
        await cancelJob(context, { jobId, location: stringField(reference, 'location') });
        cancelled += 1;
      }
      pageToken = stringField(page, 'nextPageToken');
    } while (pageToken !== undefined);
  }
  return cancelled;
}
