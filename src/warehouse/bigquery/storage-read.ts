import type { BigQueryReadClient, protos } from '@google-cloud/bigquery-storage';
import { coerceError } from '../../analysis/coerce-error.js';
import { safeIdentifier } from '../../analysis/sql-identifier.js';
import type { ColumnRead, JobContext, TypedColumns } from '../warehouse.js';
import { WarehouseQueryError } from '../warehouse-errors.js';
import type { StorageReadClient } from './storage-read-client.js';
import { StorageReadDecoder } from './storage-read-decoder.js';
import { isRetryableGrpc, storageReadError } from './storage-read-errors.js';
import { readStorageStream, retryDelayMs } from './storage-read-stream.js';

type ReadSession = protos.google.cloud.bigquery.storage.v1.IReadSession;

/** What a Storage Read works with: the client and where the results dataset lives. */
export interface StorageReadContext {
  readonly client: StorageReadClient;
  /** Project of the results dataset; it also pays for the read session. */
  readonly projectId: string;
  readonly dataset: string;
  /** Streams to ask for (read concurrently). @defaultValue 2 */
  readonly maxStreams?: number;
  /** Failed calls in a row before giving up (session creation; each stream). @defaultValue 4 */
  readonly maxAttempts?: number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** Options of {@link readTableColumns}. */
export interface TableReadOptions {
  /** `read_options.row_restriction`: a filter in BigQuery SQL (trusted text, not a parameter). */
  readonly rowRestriction?: string;
}

/** The request reading `columns` of `table` (validated names) as Arrow. */
function sessionRequest(
  context: StorageReadContext,
  table: string,
  columns: readonly string[],
  options: TableReadOptions,
): protos.google.cloud.bigquery.storage.v1.ICreateReadSessionRequest {
  return {
    parent: `projects/${context.projectId}`,
    readSession: {
      table: `projects/${context.projectId}/datasets/${context.dataset}/tables/${table}`,
      dataFormat: 'ARROW',
      readOptions: { selectedFields: [...columns], rowRestriction: options.rowRestriction ?? '' },
    },
    maxStreamCount: context.maxStreams ?? 2,
  };
}

/** Creates the read session, retrying retryable failures a few times. */
async function createSession(
  context: StorageReadContext,
  client: BigQueryReadClient,
  request: protos.google.cloud.bigquery.storage.v1.ICreateReadSessionRequest,
  signal: AbortSignal,
): Promise<ReadSession> {
  const callOptions = {
    ...context.client.callOptions(),
    timeout: 60_000,
    retry: { retryCodes: [] },
  };
  for (let attempt = 1; ; attempt += 1) {
    signal.throwIfAborted();
    try {
      const [session] = await client.createReadSession(request, callOptions);
      return session;
    } catch (e) {
      if (signal.aborted || !isRetryableGrpc(e) || attempt >= (context.maxAttempts ?? 4)) throw e;
      await context.sleep(retryDelayMs(attempt));
    }
  }
}

/** Resolves with `task`, or rejects as soon as `signal` aborts. */
function untilAborted<T>(task: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(coerceError(signal.reason));
    if (signal.aborted) abort();
    signal.addEventListener('abort', abort, { once: true });
    task.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

async function readSession(
  context: StorageReadContext,
  table: string,
  columns: readonly ColumnRead[],
  request: protos.google.cloud.bigquery.storage.v1.ICreateReadSessionRequest,
  signal: AbortSignal,
): Promise<TypedColumns> {
  const client = await untilAborted(context.client.get(), signal);
  const session = await untilAborted(createSession(context, client, request, signal), signal);
  const schema = session.arrowSchema?.serializedSchema;
  if (!(schema instanceof Uint8Array)) {
    throw new WarehouseQueryError(`reading ${table}: the read session has no Arrow schema`);
  }
  // A first size only: trusted up to 2^27 rows, the arrays grow past it.
  const estimate = Math.min(Number(session.estimatedRowCount ?? 0) || 0, 2 ** 27);
  const decoder = new StorageReadDecoder(table, columns, schema, Math.max(0, estimate));
  const options = {
    client,
    callOptions: context.client.callOptions(),
    signal,
    maxAttempts: context.maxAttempts ?? 4,
    sleep: context.sleep,
    onBatch: (batch: Uint8Array, rows: number) => decoder.append(batch, rows),
  };
  await Promise.all((session.streams ?? []).map((s) => readStorageStream(s.name ?? '', options)));
  return decoder.finish();
}

/**
 * Reads `columns` of the results-dataset table `table` through the BigQuery Storage Read API:
 * one read session (Arrow, only those fields, optionally a row restriction), every stream read
 * concurrently (resuming at the row reached after a retryable break), decoded into
 * exactly-sized typed arrays. Row order is not the table's (streams interleave).
 * @throws UnsafeIdentifierError for a bad table or column name, before any call.
 * @throws TableNotFoundError when the table does not exist.
 * @throws WarehouseQueryError naming the table (retryable for UNAVAILABLE, INTERNAL,
 *   DEADLINE_EXCEEDED and RESOURCE_EXHAUSTED; not when `job.signal` aborted the read, which
 *   cancels the calls in flight).
 */
export async function readTableColumns(
  context: StorageReadContext,
  table: string,
  columns: readonly ColumnRead[],
  job: JobContext = {},
  options: TableReadOptions = {},
): Promise<TypedColumns> {
  const name = safeIdentifier(table, 'table name');
  const names = columns.map((c) => safeIdentifier(c.name, 'column name') as string);
  if (names.length === 0) throw new WarehouseQueryError(`reading ${name}: no columns asked for`);
  const failed = new AbortController();
  const signal =
    job.signal === undefined ? failed.signal : AbortSignal.any([job.signal, failed.signal]);
  const request = sessionRequest(context, name, names, options);
  try {
    return await readSession(context, name, columns, request, signal);
  } catch (e) {
    failed.abort(); // cancels the other streams
    if (job.signal?.aborted) {
      throw new WarehouseQueryError(`reading ${name}: aborted`, { cause: job.signal.reason });
    }
    throw storageReadError(e, name);
  }
}
