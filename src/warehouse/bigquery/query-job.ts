import { coerceError } from '../../analysis/coerce-error.js';
import type { SqlParamValue } from '../sql/sql-query.js';
import type { JobContext } from '../warehouse.js';
import type { BigQueryContext } from './bigquery-context.js';
import { toWarehouseError } from './bigquery-errors.js';
import { asObject, restRequest, stringField } from './bigquery-rest.js';
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

/** A started query job. */
export interface QueryJobRef {
  readonly jobId: string;
  readonly location: string | undefined;
}

/** One page of a query result: the schema, raw rows (`{ f: [{ v }] }`) and the total. */
export interface ResultPage {
  readonly fields: readonly ResultField[];
  readonly rows: readonly unknown[];
  readonly totalRows: number;
}

/**
 * Starts a GoogleSQL query job (jobs.insert) with named parameters bound by the client
 * (integers → INT64, other numbers → FLOAT64, strings, booleans), optionally writing a
 * destination table of the results dataset under `destination.writeDisposition`.
 * @throws WarehouseQueryError naming `spec.purpose` (retryable for transient failures).
 */
export async function startQueryJob(
  context: BigQueryContext,
  spec: QuerySpec,
  destination?: QueryDestination,
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- labels, job ids and cancellation come with job hygiene
  job: JobContext = {},
): Promise<QueryJobRef> {
  try {
    const [job] = await context.client.createQueryJob({
      query: spec.sql,
      params: { ...spec.params },
      useLegacySql: false,
      jobPrefix: 'contrail_',
      ...(context.location === undefined ? {} : { location: context.location }),
      ...(destination === undefined
        ? {}
        : {
            destination: context.client.dataset(context.dataset).table(destination.table),
            writeDisposition: destination.writeDisposition,
            createDisposition: 'CREATE_IF_NEEDED',
          }),
    });
    return { jobId: job.id ?? '', location: job.location ?? context.location };
  } catch (e) {
    const error = coerceError(e);
    throw toWarehouseError(error, spec.purpose);
  }
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

/**
 * The job's result pages (getQueryResults), waiting while `jobComplete` is false. TIMESTAMPs
 * arrive as int64 microseconds.
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
    let body;
    try {
      body = await fetchPage(context, job, pageToken, maxResults);
    } catch (e) {
      const error = coerceError(e);
      throw toWarehouseError(error, purpose);
    }
    if (body.jobComplete === false) {
      await context.sleep(context.pollIntervalMs);
      continue;
    }
    const rows = Array.isArray(body.rows) ? (body.rows as unknown[]) : [];
    const fields = resultFields(asObject(body.schema).fields);
    yield { fields, rows, totalRows: Number(stringField(body, 'totalRows') ?? rows.length) };
    pageToken = stringField(body, 'pageToken');
    if (pageToken === undefined || maxResults === 0) return;
  }
}

/** Runs a query and collects every page (for small results). */
export async function runQuery(
  context: BigQueryContext,
  spec: QuerySpec,
  jobContext: JobContext = {},
): Promise<{ fields: readonly ResultField[]; rows: unknown[] }> {
  const job = await startQueryJob(context, spec, undefined, jobContext);
  let fields: readonly ResultField[] = [];
  const rows: unknown[] = [];
  for await (const page of queryPages(context, job, spec.purpose)) {
    fields = page.fields;
    for (const row of page.rows) rows.push(row);
  }
  return { fields, rows };
}

/** Runs a query into a destination table and waits for it; resolves with the rows written. */
export async function runQueryToTable(
  context: BigQueryContext,
  spec: QuerySpec,
  destination: QueryDestination,
  jobContext: JobContext = {},
): Promise<number> {
  const job = await startQueryJob(context, spec, destination, jobContext);
  let total = 0;
  for await (const page of queryPages(context, job, spec.purpose, 0)) total = page.totalRows;
  return total;
}
