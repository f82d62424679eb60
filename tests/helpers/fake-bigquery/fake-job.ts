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

/** A job the fake ran (jobs run synchronously when inserted; polling can be simulated). */
export interface FakeJob {
  readonly reference: JobReference;
  readonly type: 'QUERY' | 'LOAD';
  readonly configuration: Readonly<Record<string, unknown>>;
  readonly creationTime: number;
  readonly result: JobResult | null;
  readonly error: FakeApiError | null;
  readonly outputRows: number;
  /** getQueryResults answers `jobComplete: false` this many more times. */
  pendingPolls: number;
  /** jobs.get answers `state: RUNNING` this many more times. */
  runningPolls: number;
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
  const time = String(job.creationTime);
  const typed =
    job.type === 'LOAD'
      ? { load: { outputRows: String(job.outputRows), inputFiles: '1' } }
      : {
          query: {
            totalBytesProcessed: '0',
            statementType: job.result?.statementType ?? 'SELECT',
            ...(job.result?.affectedRows != null
              ? { numDmlAffectedRows: String(job.result.affectedRows) }
              : {}),
          },
        };
  return {
    kind: 'bigquery#job',
    id: `${projectId}:${location}.${jobId}`,
    jobReference: job.reference,
    configuration: { ...job.configuration, jobType: job.type },
    status,
    statistics: {
      creationTime: time,
      startTime: time,
      ...(running ? {} : { endTime: time }),
      totalBytesProcessed: '0',
      ...typed,
    },
    user_email: 'fake@contrail.test',
  };
}
