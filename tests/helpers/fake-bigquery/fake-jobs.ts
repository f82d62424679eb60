import { randomUUID } from 'node:crypto';
import { coerceError } from '../../../src/analysis/coerce-error.js';
import type { TableField } from './bigquery-types.js';
import { columnDefinitions, fieldOf } from './bigquery-types.js';
import { destinationProperties } from './destination-properties.js';
import { FakeApiError, invalidRequest } from './fake-api-error.js';
import type { FakeCatalog } from './fake-catalog.js';
import type { FakeDatabase } from './fake-database.js';
import {
  isRunning,
  jobRecord,
  jobResource,
  NO_STATISTICS,
  type FakeJob,
  type FakeJobRecord,
  type JobReference,
  type JobStatistics,
} from './fake-job.js';
import {
  bindParameters,
  dryRunQuery,
  executeQuery,
  queryError,
  translateQuery,
} from './fake-query.js';
import { writeDestination, writeModeOf, type TableReference } from './destination-write.js';
import { encodeRows, type WireFormat } from './wire-encoding.js';
import { insertJsonRows, rowProblems, type JsonRow } from './json-rows.js';
import { scannedBytes } from './scanned-bytes.js';

type Body = Readonly<Record<string, unknown>>;

/** Behaviour knobs shared with the server. */
export interface FakeJobOptions {
  /** The location every dataset lives in; jobs naming another location fail with notFound. */
  readonly location: string;
  /** Most rows per getQueryResults / jobs.query page, whatever maxResults asks. */
  readonly maxPageRows: number;
  /** Each new query job first answers getQueryResults with `jobComplete: false` this often. */
  pendingPolls: number;
  /** Each new job first answers jobs.get with `RUNNING` this often. */
  runningPolls: number;
}

function asBody(value: unknown): Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Body)
    : {};
}

/** The fake's jobs: query, dry-run and load jobs, their results and paging. */
export class FakeJobs {
  private readonly jobs = new Map<string, FakeJob>();
  private readonly db: FakeDatabase;
  private readonly catalog: FakeCatalog;
  private readonly options: FakeJobOptions;

  constructor(db: FakeDatabase, catalog: FakeCatalog, options: FakeJobOptions) {
    this.db = db;
    this.catalog = catalog;
    this.options = options;
  }

  private reference(projectId: string, requested: unknown): JobReference {
    const ref = asBody(requested);
    const jobId = typeof ref.jobId === 'string' ? ref.jobId : `job_${randomUUID()}`;
    const location = typeof ref.location === 'string' ? ref.location : this.options.location;
    return { projectId, jobId, location };
  }

  private checkLocation(location: string): void {
    if (location.toLowerCase() !== this.options.location.toLowerCase()) {
      throw new FakeApiError(
        404,
        'notFound',
        `Not found: Dataset was not found in location ${location}`,
      );
    }
  }

  /** @throws FakeApiError 409 `duplicate` when a job has this id, as jobs.insert answers. */
  private assertNewJob(reference: JobReference): void {
    if (this.jobs.has(reference.jobId)) {
      throw new FakeApiError(
        409,
        'duplicate',
        `Already Exists: Job ${reference.projectId}:${reference.location}.${reference.jobId}`,
      );
    }
  }

  private store(job: Omit<FakeJob, 'pendingPolls' | 'runningPolls' | 'cancelled'>): FakeJob {
    this.assertNewJob(job.reference);
    const stored: FakeJob = {
      ...job,
      pendingPolls: job.type === 'QUERY' ? this.options.pendingPolls : 0,
      runningPolls: this.options.runningPolls,
      cancelled: false,
    };
    this.jobs.set(job.reference.jobId, stored);
    return stored;
  }

  /** jobs.insert (query jobs, including dry runs). */
  async insert(projectId: string, body: Body): Promise<Record<string, unknown>> {
    const configuration = asBody(body.configuration);
    const query = asBody(configuration.query);
    if (typeof query.query !== 'string') {
      throw invalidRequest('the fake supports query jobs only here (load jobs: media upload)');
    }
    const reference = this.reference(projectId, body.jobReference);
    if (configuration.dryRun === true) {
      const statistics = await this.dryRun(reference, query.query, query);
      return jobResource({
        reference,
        type: 'QUERY',
        configuration,
        creationTime: Date.now(),
        result: null,
        error: null,
        outputRows: 0,
        statistics,
        pendingPolls: 0,
        runningPolls: 0,
        cancelled: false,
      });
    }
    const job = await this.runQueryJob(reference, configuration, query);
    return jobResource(job, isRunning(job));
  }

  /** Checks a query as a dry run does and measures what it would read. @throws FakeApiError. */
  private async dryRun(reference: JobReference, sql: string, query: Body): Promise<JobStatistics> {
    this.checkLocation(reference.location);
    const params = bindParameters(query.parameterMode, query.queryParameters);
    await dryRunQuery(this.db, sql, reference.projectId, params);
    const bytes = await scannedBytes(this.db, translateQuery(sql, reference.projectId), params);
    return { bytesProcessed: bytes.processed, bytesBilled: bytes.billed, slotMs: 0 };
  }

  /**
   * jobs.list: every job kept, newest first, narrowed by `stateFilter` (`running`, `pending`,
   * `done`; the fake's jobs are never pending), one page.
   */
  list(qs: Body): Record<string, unknown> {
    const filter = typeof qs.stateFilter === 'string' ? qs.stateFilter.toLowerCase() : null;
    const jobs = [...this.jobs.values()].reverse().filter((job) => {
      if (filter === null) return true;
      if (filter === 'pending') return false;
      return filter === 'running' ? isRunning(job) : !isRunning(job);
    });
    return {
      kind: 'bigquery#jobList',
      jobs: jobs.map((job) => ({
        ...jobResource(job, isRunning(job)),
        state: isRunning(job) ? 'RUNNING' : 'DONE',
      })),
    };
  }

  /** Every job kept (not dry runs), oldest first, as it is now. */
  records(): FakeJobRecord[] {
    return [...this.jobs.values()].map(jobRecord);
  }

  /**
   * jobs.cancel: a job still running (simulated polls left) ends DONE with a `stopped` error
   * and its results are dropped; a finished job stays as it is. @throws FakeApiError 404.
   */
  cancel(jobId: string, qs: Body): Record<string, unknown> {
    const job = this.find(jobId, qs.location);
    if (isRunning(job)) {
      job.cancelled = true;
      job.result = null;
      job.error = new FakeApiError(
        400,
        'stopped',
        'Job execution was cancelled: User requested cancellation',
      );
      job.pendingPolls = 0;
      job.runningPolls = 0;
    }
    return { kind: 'bigquery#jobCancelResponse', job: jobResource(job) };
  }

  /**
   * Runs a query job unless its id is taken (409) or it would bill more than its
   * `maximumBytesBilled` (then it fails with `bytesBilledLimitExceeded` without running).
   */
  private async runQueryJob(
    reference: JobReference,
    configuration: Body,
    query: Body,
  ): Promise<FakeJob> {
    this.assertNewJob(reference);
    const base = {
      reference,
      type: 'QUERY' as const,
      configuration,
      creationTime: Date.now(),
      outputRows: 0,
    };
    let statistics = NO_STATISTICS;
    try {
      this.checkLocation(reference.location);
      if (query.useLegacySql === true) {
        throw invalidRequest('the fake runs GoogleSQL only (useLegacySql: true)');
      }
      const params = bindParameters(query.parameterMode, query.queryParameters);
      const sql = query.query as string;
      const bytes = await scannedBytes(this.db, translateQuery(sql, reference.projectId), params);
      checkByteCap(query.maximumBytesBilled, bytes.billed);
      const destination = query.destinationTable as TableReference | undefined;
      const started = performance.now();
      const result = destination
        ? await this.queryToTable(sql, params, destination, query, reference.projectId)
        : await executeQuery(this.db, sql, params, reference.projectId);
      const slotMs = Math.round(performance.now() - started);
      statistics = {
        bytesProcessed: bytes.processed,
        bytesBilled: bytes.billed,
        slotMs,
        scannedTables: bytes.tables,
      };
      return this.store({ ...base, result, error: null, statistics });
    } catch (e) {
      const error = coerceError(e);
      return this.store({ ...base, result: null, error: queryError(error), statistics });
    }
  }

  private async queryToTable(
    sql: string,
    params: ReturnType<typeof bindParameters>,
    destination: TableReference,
    query: Body,
    project: string,
  ) {
    const temp = `fake_job_${randomUUID().replaceAll('-', '')}`;
    const mode = writeModeOf(query, 'WRITE_EMPTY');
    try {
      await this.db.run(`CREATE TEMP TABLE "${temp}" AS ${translateQuery(sql, project)}`, params);
    } catch (e) {
      const error = coerceError(e);
      throw queryError(error);
    }
    try {
      const result = await this.db.read(`SELECT * FROM "${temp}"`);
      const fields = result.names.map((name, i) => fieldOf(name, result.types[i]!));
      await writeDestination(this.db, this.catalog, destination, `"${temp}"`, fields, mode);
      return { statementType: 'SELECT' as const, fields, rows: result.rows, affectedRows: null };
    } finally {
      await this.db.run(`DROP TABLE IF EXISTS "${temp}"`);
    }
  }

  /** jobs.query: runs a query job and answers with its first page. @throws FakeApiError. */
  async query(projectId: string, body: Body, format: WireFormat): Promise<Record<string, unknown>> {
    const reference = this.reference(projectId, { location: body.location });
    if (body.dryRun === true) {
      const statistics = await this.dryRun(reference, String(body.query), body);
      return {
        kind: 'bigquery#queryResponse',
        jobComplete: true,
        totalBytesProcessed: String(statistics.bytesProcessed),
        jobReference: { projectId, location: reference.location },
      };
    }
    const job = await this.runQueryJob(reference, { query: body }, body);
    job.pendingPolls = 0;
    return this.page(job, { maxResults: body.maxResults }, format, 'bigquery#queryResponse');
  }

  private find(jobId: string, location: unknown): FakeJob {
    const job = this.jobs.get(jobId);
    if (
      !job ||
      (typeof location === 'string' &&
        location.toLowerCase() !== job.reference.location.toLowerCase())
    ) {
      throw new FakeApiError(404, 'notFound', `Not found: Job ${jobId}`);
    }
    return job;
  }

  /** jobs.getQueryResults. @throws FakeApiError: the job's own error, or 404. */
  results(jobId: string, qs: Body, format: WireFormat): Record<string, unknown> {
    const job = this.find(jobId, qs.location);
    if (job.type !== 'QUERY') throw invalidRequest(`Job ${jobId} is not a query job`);
    if (job.pendingPolls > 0) {
      job.pendingPolls -= 1;
      return {
        kind: 'bigquery#getQueryResultsResponse',
        jobReference: job.reference,
        jobComplete: false,
      };
    }
    job.runningPolls = 0; // results are complete: jobs.get says DONE from now on
    return this.page(job, qs, format, 'bigquery#getQueryResultsResponse');
  }

  private page(job: FakeJob, qs: Body, format: WireFormat, kind: string): Record<string, unknown> {
    if (job.error) throw job.error;
    const result = job.result!;
    const token = typeof qs.pageToken === 'string' ? /^offset:(\d+)$/.exec(qs.pageToken) : null;
    if (typeof qs.pageToken === 'string' && !token) {
      throw invalidRequest(`Invalid page token ${qs.pageToken}`);
    }
    const start = token ? Number(token[1]) : Number(qs.startIndex ?? 0);
    const asked = qs.maxResults === undefined ? Infinity : Number(qs.maxResults);
    const size = Math.min(asked, this.options.maxPageRows);
    const end = Math.min(result.rows.length, start + size);
    const rows = encodeRows(result.fields, result.rows.slice(start, end), format);
    return {
      kind,
      jobReference: job.reference,
      jobComplete: true,
      schema: { fields: result.fields },
      totalRows: String(result.rows.length),
      ...(rows.length > 0 ? { rows } : {}),
      ...(end < result.rows.length ? { pageToken: `offset:${end}` } : {}),
      ...(result.affectedRows !== null ? { numDmlAffectedRows: String(result.affectedRows) } : {}),
      totalBytesProcessed: String(job.statistics.bytesProcessed),
      cacheHit: false,
    };
  }

  /** jobs.get. */
  get(jobId: string, qs: Body): Record<string, unknown> {
    const job = this.find(jobId, qs.location);
    const running = isRunning(job);
    if (job.runningPolls > 0) job.runningPolls -= 1;
    return jobResource(job, running);
  }

  /** A load job from a media upload (NEWLINE_DELIMITED_JSON only). */
  async load(projectId: string, metadata: Body, data: string): Promise<Record<string, unknown>> {
    const configuration = asBody(metadata.configuration);
    const load = asBody(configuration.load);
    const reference = this.reference(projectId, metadata.jobReference);
    this.assertNewJob(reference);
    const base = {
      reference,
      type: 'LOAD' as const,
      configuration,
      creationTime: Date.now(),
      result: null,
      statistics: NO_STATISTICS,
    };
    try {
      this.checkLocation(reference.location);
      const outputRows = await this.runLoad(load, data);
      const job = this.store({ ...base, error: null, outputRows });
      return jobResource(job, isRunning(job));
    } catch (e) {
      const error = coerceError(e);
      const apiError =
        error instanceof FakeApiError ? error : new FakeApiError(400, 'invalid', error.message);
      const job = this.store({ ...base, error: apiError, outputRows: 0 });
      return jobResource(job, isRunning(job));
    }
  }

  private async runLoad(load: Body, data: string): Promise<number> {
    const format = load.sourceFormat ?? 'CSV';
    if (format !== 'NEWLINE_DELIMITED_JSON') {
      throw invalidRequest(
        `the fake loads NEWLINE_DELIMITED_JSON only, not ${JSON.stringify(format)}`,
      );
    }
    const destination = load.destinationTable as TableReference | undefined;
    if (!destination) throw invalidRequest('load job without destinationTable');
    const rows = parseNdjson(data);
    const fields = await this.loadFields(load, destination);
    const problem = rows.flatMap((row) =>
      rowProblems(fields, row, load.ignoreUnknownValues === true),
    )[0];
    if (problem) {
      throw new FakeApiError(
        400,
        'invalid',
        `Error while reading data, error message: ${problem.message}`,
      );
    }
    const temp = `fake_load_${randomUUID().replaceAll('-', '')}`;
    await this.db.run(
      `CREATE TEMP TABLE "${temp}" (${columnDefinitions(fields).replaceAll(' NOT NULL', '')})`,
    );
    try {
      await insertJsonRows(this.db, `"${temp}"`, fields, rows);
      const created = await writeDestination(
        this.db,
        this.catalog,
        destination,
        `"${temp}"`,
        fields,
        writeModeOf(load, 'WRITE_APPEND'),
      );
      if (created) {
        destinationProperties(this.catalog, destination, asBody(load.destinationTableProperties));
      }
      return rows.length;
    } finally {
      await this.db.run(`DROP TABLE IF EXISTS "${temp}"`);
    }
  }

  private async loadFields(
    load: Body,
    destination: TableReference,
  ): Promise<readonly TableField[]> {
    const given = asBody(load.schema).fields;
    if (Array.isArray(given) && given.length > 0) return given as TableField[];
    if (
      load.writeDisposition !== 'WRITE_TRUNCATE' &&
      (await this.db.tableType(destination.datasetId, destination.tableId)) === 'TABLE'
    ) {
      return this.db.fields(destination.datasetId, destination.tableId);
    }
    throw invalidRequest('the fake needs a schema for a load job (autodetect is not implemented)');
  }
}

/**
 * @throws FakeApiError 400 `bytesBilledLimitExceeded`, worded as BigQuery's, when `billed`
 *   exceeds the job's `maximumBytesBilled` (none: no cap).
 */
function checkByteCap(maximum: unknown, billed: number): void {
  if (maximum === undefined || maximum === null) return;
  const cap = Number(maximum);
  if (billed > cap) {
    throw new FakeApiError(
      400,
      'bytesBilledLimitExceeded',
      `Query exceeded limit for bytes billed: ${cap}. ${billed} or higher required.`,
    );
  }
}

function parseNdjson(data: string): JsonRow[] {
  return data
    .split('\n')
    .map((line, index) => ({ line: line.trim(), index }))
    .filter(({ line }) => line !== '')
    .map(({ line, index }) => {
      try {
        return JSON.parse(line) as JsonRow;
      } catch (e) {
        const error = coerceError(e);
        throw new FakeApiError(
          400,
          'invalid',
          `Error while reading data, error message: JSON parsing error in row starting at position ${index}: ${error.message}`,
        );
      }
    });
}
