/**
 * A local fake of the BigQuery v2 REST API for tests: a node:http server on 127.0.0.1 backed
 * by an in-memory DuckDB that runs the BigQuery SQL it receives through the project's own
 * translation (`toDuckDbSql`, `duckDbPrelude`).
 *
 * ```ts
 * const fake = await startFakeBigQuery();
 * const client = new BigQuery({ projectId: 'test-project', apiEndpoint: fake.url, authClient, autoRetry: false });
 * fake.failNext(2, { status: 503 });           // the next two requests answer 503 backendError
 * fake.failNext(1, { reset: true, match: (r) => r.path.endsWith('/insertAll') });
 * fake.failNext(1, { status: 503, afterHandling: true }); // work done, response lost
 * fake.settings.pendingPolls = 1;              // getQueryResults says jobComplete:false once
 * fake.settings.runningPolls = 2;              // jobs.insert/get say RUNNING twice
 * expect(fake.requests.some((r) => r.path.endsWith('/jobs'))).toBe(true);
 * await fake.sql('SELECT count(*) AS n FROM results.enrollments_x'); // peek at DuckDB
 * fake.reset();                                // forget requests and pending failures
 * await fake.stop();
 * ```
 *
 * Endpoints: jobs.query (`POST …/queries`), getQueryResults (`GET …/queries/:job`, paged with
 * maxResults/pageToken), jobs.insert (query jobs, dry runs, destination tables with write and
 * create dispositions), jobs.get, media-upload load jobs (`POST /upload/…/jobs?uploadType=multipart`,
 * NEWLINE_DELIMITED_JSON), datasets insert/get/delete/list, tables insert (tables and views)/
 * get/patch/update/delete/list, tabledata.list and tabledata.insertAll (insertId de-duplication).
 * Responses and error bodies follow BigQuery's shapes (`rows: [{ f: [{ v }] }]`,
 * `{ error: { code, message, errors: [{ reason, message }], status } }`). Projects are recorded
 * but share one namespace: datasets are DuckDB schemas, as the dialect drops project names.
 *
 * Every request needs a bearer token (401 otherwise; `requireAuth: false` lifts that); jobs
 * naming another location than `options.location` fail with notFound.
 *
 * Jobs: `fake.jobs` lists every query and load job (id, labels, priority, maximumBytesBilled,
 * jobTimeoutMs, statement, state, cancelled, bytes); jobs.insert with a taken id answers 409
 * `duplicate` without running anything; `POST …/jobs/:id/cancel` stops a job that still has
 * simulated polls left (DONE, reason `stopped`). Bytes processed are the referenced columns of
 * the scanned tables (DuckDB's physical plan; see scanned-bytes.ts), the same in dry runs;
 * billed bytes apply the 10 MB per-table minimum, and a query billing more than its
 * `maximumBytesBilled` fails with `bytesBilledLimitExceeded` without running.
 *
 * The Storage Read API (gRPC, `fake.storageEndpoint`, see fake-storage-read.ts) serves the same
 * DuckDB tables as Arrow record batches: `CreateReadSession` (selected fields, simple row
 * restrictions, up to `storageSettings.maxStreams` streams) and `ReadRows` from any offset;
 * `fake.readSessions` records what was read, `fake.failNextReadRows(1, { afterRows: 300 })`
 * breaks a stream mid-way with UNAVAILABLE.
 *
 * Not modelled: IAM and quotas, streaming-buffer delays, partition expiration and pruning,
 * asynchronous job execution (jobs run when inserted, so a cancelled job's query has already
 * run and written its destination; `settings.pendingPolls`/`runningPolls` only simulate
 * polling), legacy SQL, non-NDJSON loads, schema autodetection, array/struct query
 * parameters, BigQuery's own SQL semantics (DuckDB's apply after translation).
 */
export {
  startFakeBigQuery,
  type FakeBigQuery,
  type FakeBigQueryOptions,
  type InjectedFailure,
  type ReadRowsFailure,
  type RecordedReadRows,
  type RecordedReadSession,
  type RecordedRequest,
  type StorageReadSettings,
} from './fake-bigquery.js';
export type { TableField } from './bigquery-types.js';
