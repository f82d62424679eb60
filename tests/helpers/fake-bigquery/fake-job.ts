import type { Json } from '@duckdb/node-api';
import type { TableField } from './bigquery-types.js';
import type { ErrorProto, FakeApiError } from './fake-api-error.js';

/** A job's reference. */
export interface JobReference {
  readonly projectId: string;
  readonly jobId: string;
  readonly location: string;
}

/** A finished job's rows, kept for getQueryResults paging. */
export interface JobResult {
  readonly fields: readonly TableField[];
  readonly rows: readonly (readonly Json[])[];
  readonly affectedRows: number | null;
  readonly statementType: string;
}

/** What a job read and used, as BigQuery's statistics report it. */
export interface JobStatistics {
  readonly bytesProcessed: number;
  readonly bytesBilled: number;
  /** The fake's execution time in ms (one slot). */
  readonly slotMs: number;
  /** `dataset.table` of every table the query scanned (one entry per scan). */
  readonly scannedTables?: readonly string[];
}

/** No bytes, no slots. */
export const NO_STATISTICS: JobStatistics = { bytesProcessed: 0, bytesBilled: 0, slotMs: 0 };

/** A job the fake ran (jobs run synchronously when inserted; polling can be simulated). */
export interface FakeJob {
  readonly reference: JobReference;
  readonly type: 'QUERY' | 'LOAD';
  readonly configuration: Readonly<Record<string, unknown>>;
  readonly creationTime: number;
  result: JobResult | null;
  error: FakeApiError | null;
  readonly outputRows: number;
  readonly statistics: JobStatistics;
  /** getQueryResults answers `jobComplete: false` this many more times. */
  pendingPolls: number;
  /** jobs.get answers `state: RUNNING` this many more times. */
  runningPolls: number;
  /** jobs.cancel stopped it while it ran. */
  cancelled: boolean;
}

/** What a test can see of a job the fake keeps: its settings, statement, state and cost. */
export interface FakeJobRecord {
  readonly jobId: string;
  readonly location: string;
  readonly type: 'QUERY' | 'LOAD';
  readonly labels: Readonly<Record<string, string>>;
  readonly priority: string | undefined;
  /** `configuration.query.maximumBytesBilled`, as a number. */
  readonly maximumBytesBilled: number | undefined;
  /** `configuration.jobTimeoutMs`, as a number. */
  readonly jobTimeoutMs: number | undefined;
  /** The SQL of a query job (undefined for loads). */
  readonly statement: string | undefined;
  /** RUNNING while simulated polls remain, DONE after. */
  readonly state: 'RUNNING' | 'DONE';
  readonly cancelled: boolean;
  /** The job's error reason (`invalidQuery`, `bytesBilledLimitExceeded`, `stopped`, …). */
  readonly errorReason: string | undefined;
  readonly bytesProcessed: number;
  readonly bytesBilled: number;
  /** `dataset.table` of every table the query scanned (one entry per scan). */
  readonly scannedTables: readonly string[];
}

/** True while the job still answers RUNNING or `jobComplete: false`. */
export function isRunning(job: FakeJob): boolean {
  return job.runningPolls > 0 || job.pendingPolls > 0;
}

function record(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function optionalNumber(value: unknown): number | undefined {
  return value === undefined || value === null ? undefined : Number(value);
}

/** The record of a job, as it is now. */
export function jobRecord(job: FakeJob): FakeJobRecord {
  const query = record(job.configuration.query);
  return {
    jobId: job.reference.jobId,
    location: job.reference.location,
    type: job.type,
    labels: { ...(record(job.configuration.labels) as Record<string, string>) },
    priority: typeof query.priority === 'string' ? query.priority : undefined,
    maximumBytesBilled: optionalNumber(query.maximumBytesBilled),
    jobTimeoutMs: optionalNumber(job.configuration.jobTimeoutMs),
    statement: typeof query.query === 'string' ? query.query : undefined,
    state: isRunning(job) ? 'RUNNING' : 'DONE',
    cancelled: job.cancelled,
    errorReason: job.error?.reason,
    bytesProcessed: job.statistics.bytesProcessed,
    bytesBilled: job.statistics.bytesBilled,
    scannedTables: [...(job.statistics.scannedTables ?? [])],
  };
}

/** The `statistics` of a job resource (times as ms strings, counts as int64 strings). */
function statisticsResource(job: FakeJob, running: boolean): Record<string, unknown> {
  const { bytesProcessed, bytesBilled, slotMs } = job.statistics;
  const time = String(job.creationTime);
  const typed =
    job.type === 'LOAD'
      ? { load: { outputRows: String(job.outputRows), inputFiles: '1' } }
      : {
          query: {
            totalBytesProcessed: String(bytesProcessed),
            totalBytesBilled: String(bytesBilled),
            totalSlotMs: String(slotMs),
            statementType: job.result?.statementType ?? 'SELECT',
            ...(job.result?.affectedRows != null
              ? { numDmlAffectedRows: String(job.result.affectedRows) }
              : {}),
          },
        };
  return {
    creationTime: time,
    startTime: time,
    ...(running ? {} : { endTime: String(job.creationTime + slotMs) }),
    totalBytesProcessed: String(bytesProcessed),
    totalSlotMs: String(slotMs),
    ...typed,
  };
}

/** The job resource (jobs.get, jobs.insert). */
export function jobResource(job: FakeJob, running = false): Record<string, unknown> {
  const { projectId, jobId, location } = job.reference;
  const error: ErrorProto | null = job.error ? job.error.proto() : null;
  const status = running
    ? { state: 'RUNNING' }
    : error
      ? { state: 'DONE', errorResult: error, errors: [error] }
      : { state: 'DONE' };
  return {
    kind: 'bigquery#job',
    id: `${projectId}:${location}.${jobId}`,
    jobReference: job.reference,
    configuration: { ...job.configuration, jobType: job.type },
    status,
    statistics: statisticsResource(job, running),
    user_email: 'fake@contrail.test',
  };
}
