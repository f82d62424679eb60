import type { Query } from '@google-cloud/bigquery';
import { coerceError } from '../../analysis/coerce-error.js';
import type { SqlParamValue } from '../sql/sql-query.js';
import type { JobContext, QueryCost } from '../warehouse.js';
import { WarehouseAbortedError } from '../warehouse-errors.js';
import { abortedError, throwIfAborted, untilAborted } from './bigquery-abort.js';
import type { BigQueryContext } from './bigquery-context.js';
import { toWarehouseError } from './bigquery-errors.js';
import { bigQueryLabels } from './bigquery-labels.js';
import { asObject, restRequest, stringField } from './bigquery-rest.js';
import { startOrAttach, type JobOrigin } from './attach-query-job.js';
import { cancelJob } from './cancel-job.js';
import { getJob, type JobRef } from './get-job.js';
import { jobCost } from './job-cost.js';
import { resultFields, type ResultField } from './wire-values.js';

/** A query in BigQuery SQL with its named parameters and what it is for (error messages). */
export interface QuerySpec {
  readonly sql: string;
  readonly params: Readonly<Record<string, SqlParamValue>>;
  readonly purpose: string;
}

/** Where a query job writes its result (a table of the results dataset). */
export interface QueryDestination {
  readonly table: string;
  readonly writeDisposition: 'WRITE_EMPTY' | 'WRITE_TRUNCATE' | 'WRITE_APPEND';
}

/**
 * A started query job: where it runs, how the step came by it (see `JobContext.jobKey`) and the
 * signal that cancels it while its results are awaited.
 */
export interface QueryJobRef extends JobRef {
  readonly origin: JobOrigin;
  readonly signal?: AbortSignal;
  /** `context.now()` when the job was asked for (the wall time when BigQuery gives none). */
  readonly requestedAt: number;
}

/** One page of a query result: the schema, raw rows (`{ f: [{ v }] }`) and the total. */
export interface ResultPage {
  readonly fields: readonly ResultField[];
  readonly rows: readonly unknown[];
  readonly totalRows: number;
}

/** The createQueryJob options of a job: SQL, labels, limits, priority, destination. */
function queryJobOptions(
  context: BigQueryContext,
  spec: QuerySpec,
  destination: QueryDestination | undefined,
  job: JobContext,
): Query {
  return {
    query: spec.sql,
    params: { ...spec.params },
    useLegacySql: false,
    labels: bigQueryLabels(job.labels),
    priority: job.priority ?? context.priority,
    maximumBytesBilled: String(context.maximumBytesBilled),
    jobTimeoutMs: context.jobTimeoutMs,
    ...(context.location === undefined ? {} : { location: context.location }),
    ...(destination === undefined
      ? {}
      : {
          destination: context.client.dataset(context.dataset).table(destination.table),
          writeDisposition: destination.writeDisposition,
          createDisposition: 'CREATE_IF_NEEDED',
        }),
  };
}

/** jobs.insert under `jobId` (a random `contrail_…` id when undefined). */
async function insertQueryJob(
  context: BigQueryContext,
  options: Query,
  jobId: string | undefined,
): Promise<JobRef> {
  const [created] = await context.client.createQueryJob(
    jobId === undefined ? { ...options, jobPrefix: 'contrail_' } : { ...options, jobId },
  );
  return { jobId: created.id ?? jobId ?? '', location: created.location ?? context.location };
}

/** Cancels the job and builds the abort error (naming a failed cancel). */
async function cancelOnAbort(
  context: BigQueryContext,
  job: JobRef,
  signal: AbortSignal,
  purpose: string,
): Promise<WarehouseAbortedError> {
  const failure = await cancelJob(context, job);
  const error = abortedError(signal, purpose);
  if (failure === undefined) return error;
  return new WarehouseAbortedError(
    `${error.message}; cancelling job ${job.jobId} failed: ${failure}`,
    {
      cause: signal.reason,
    },
  );
}

/**
 * Starts a GoogleSQL query job (jobs.insert) with named parameters bound by the client
 * (integers → INT64, other numbers → FLOAT64, strings, booleans), optionally writing a
 * destination table of the results dataset under `destination.writeDisposition`. The job
 * carries `job.labels` (cleaned, plus `app: contrail`), the context's byte cap and timeout, and
 * `job.priority` (else the context's). With `job.jobKey` its id derives from the key and a
 * retry reattaches to (or reuses) the job an earlier try started (see `startOrAttach`);
 * without, the id is random.
 * @throws WarehouseAbortedError when `job.signal` aborts (a job already started is cancelled).
 * @throws WarehouseQueryError naming `spec.purpose` (retryable for transient failures).
 */
export async function startQueryJob(
  context: BigQueryContext,
  spec: QuerySpec,
  destination?: QueryDestination,
  job: JobContext = {},
): Promise<QueryJobRef> {
  throwIfAborted(job.signal, spec.purpose);
  const requestedAt = context.now();
  const options = queryJobOptions(context, spec, destination, job);
  let started;
  try {
    started =
      job.jobKey === undefined
        ? { ...(await insertQueryJob(context, options, undefined)), origin: 'started' as const }
        : await startOrAttach(context, job.jobKey, spec, (id) =>
            insertQueryJob(context, options, id),
          );
  } catch (e) {
    const error = coerceError(e);
    throw toWarehouseError(error, spec.purpose);
  }
  if (job.signal?.aborted === true) {
    throw await cancelOnAbort(context, started, job.signal, spec.purpose);
  }
  return { ...started, requestedAt, ...(job.signal === undefined ? {} : { signal: job.signal }) };
}

async function fetchPage(
  context: BigQueryContext,
  job: QueryJobRef,
  pageToken: string | undefined,
  maxResults: number | undefined,
) {
  return restRequest(context, {
    uri: `/queries/${encodeURIComponent(job.jobId)}`,
    qs: {
      location: job.location,
      maxResults,
      pageToken,
      timeoutMs: context.queryTimeoutMs,
      'formatOptions.useInt64Timestamp': true,
    },
  });
}

/** `task` unless the job's signal aborts first; then the job is cancelled. */
async function whileRunning<T>(
  context: BigQueryContext,
  job: QueryJobRef,
  purpose: string,
  task: () => Promise<T>,
): Promise<T> {
  try {
    throwIfAborted(job.signal, purpose);
    return await untilAborted(task(), job.signal, purpose);
  } catch (e) {
    const error = coerceError(e);
    if (error instanceof WarehouseAbortedError && job.signal !== undefined) {
      throw await cancelOnAbort(context, job, job.signal, purpose);
    }
    throw toWarehouseError(error, purpose);
  }
}

/**
 * The job's result pages (getQueryResults), waiting while `jobComplete` is false. TIMESTAMPs
 * arrive as int64 microseconds.
 * @throws WarehouseAbortedError when the job's signal aborts (the job is cancelled).
 * @throws WarehouseQueryError with the job's error (e.g. bad SQL, a missing table).
 */
export async function* queryPages(
  context: BigQueryContext,
  job: QueryJobRef,
  purpose: string,
  maxResults: number | undefined = context.pageSize,
): AsyncGenerator<ResultPage> {
  let pageToken: string | undefined;
  for (;;) {
    const token = pageToken;
    const body = await whileRunning(context, job, purpose, () =>
      fetchPage(context, job, token, maxResults),
    );
    if (body.jobComplete === false) {
      await whileRunning(context, job, purpose, () => context.sleep(context.pollIntervalMs));
      continue;
    }
    const rows = Array.isArray(body.rows) ? (body.rows as unknown[]) : [];
    const fields = resultFields(asObject(body.schema).fields);
    yield { fields, rows, totalRows: Number(stringField(body, 'totalRows') ?? rows.length) };
    pageToken = stringField(body, 'pageToken');
    if (pageToken === undefined || maxResults === 0) return;
  }
}

/** The cost of a finished job, from its statistics (jobs.get). */
export async function queryJobCost(
  context: BigQueryContext,
  job: QueryJobRef,
  purpose: string,
): Promise<QueryCost> {
  const resource = await getJob(context, job, purpose);
  return jobCost(resource, context.now() - job.requestedAt);
}

/** A query's rows, their schema and what the query cost. */
export interface QueryRows {
  readonly fields: readonly ResultField[];
  readonly rows: unknown[];
  readonly cost: QueryCost;
}

/** Runs a query and collects every page (for small results), with its cost. */
export async function runQuery(
  context: BigQueryContext,
  spec: QuerySpec,
  jobContext: JobContext = {},
): Promise<QueryRows> {
  const job = await startQueryJob(context, spec, undefined, jobContext);
  let fields: readonly ResultField[] = [];
  const rows: unknown[] = [];
  for await (const page of queryPages(context, job, spec.purpose)) {
    fields = page.fields;
    for (const row of page.rows) rows.push(row);
  }
  return { fields, rows, cost: await queryJobCost(context, job, spec.purpose) };
}

/** What a query into a table wrote and cost. */
export interface QueryTableRows {
  /** Rows in the destination table's result. */
  readonly rows: number;
  readonly cost: QueryCost;
}

/** Runs a query into a destination table and waits for it; resolves with the rows and cost. */
export async function runQueryToTable(
  context: BigQueryContext,
  spec: QuerySpec,
  destination: QueryDestination,
  jobContext: JobContext = {},
): Promise<QueryTableRows> {
  const job = await startQueryJob(context, spec, destination, jobContext);
  let total = 0;
  for await (const page of queryPages(context, job, spec.purpose, 0)) total = page.totalRows;
  return { rows: total, cost: await queryJobCost(context, job, spec.purpose) };
}
