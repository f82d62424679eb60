import type { BigQueryReadClient, protos } from '@google-cloud/bigquery-storage';
import type { StorageCallOptions } from './storage-read-client.js';
import { isRetryableGrpc } from './storage-read-errors.js';

type ReadRowsResponse = protos.google.cloud.bigquery.storage.v1.IReadRowsResponse;

/** How to read one stream. */
export interface StreamReadOptions {
  readonly client: BigQueryReadClient;
  readonly callOptions: StorageCallOptions;
  /** Aborting it cancels the call in flight. */
  readonly signal: AbortSignal;
  /** Calls in a row that may fail (retryably) without delivering a row. */
  readonly maxAttempts: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Receives each `serialized_record_batch` with its `row_count`. */
  readonly onBatch: (batch: Uint8Array, rows: number) => void;
}

/** Pause before retry `attempt` (1, 2, …): 100 ms doubling, at most 2 s. */
export function retryDelayMs(attempt: number): number {
  return Math.min(2000, 100 * 2 ** (attempt - 1));
}

/** One `ReadRows` call from `progress.offset`, advancing it by every response's rows. */
async function readFrom(
  stream: string,
  progress: { offset: number },
  options: StreamReadOptions,
): Promise<void> {
  const call = options.client.readRows(
    { readStream: stream, offset: progress.offset },
    { ...options.callOptions, retryRequestOptions: { retries: 0, noResponseRetries: 0 } },
  );
  const cancel = (): void => call.cancel();
  options.signal.addEventListener('abort', cancel, { once: true });
  try {
    for await (const response of call as AsyncIterable<ReadRowsResponse>) {
      const rows = Number(response.rowCount ?? 0);
      const batch = response.arrowRecordBatch?.serializedRecordBatch;
      if (batch instanceof Uint8Array) options.onBatch(batch, rows);
      progress.offset += rows;
    }
  } finally {
    options.signal.removeEventListener('abort', cancel);
  }
}

/**
 * Reads a read stream to its end. When a call breaks with a retryable gRPC status, `ReadRows`
 * starts again at the row offset reached, after a pause; `maxAttempts` failures in a row
 * without a new row end the read.
 * @returns the rows read.
 * @throws the last call's error when it is not retryable or attempts run out; the signal's
 *   reason when it aborts (no call starts after that).
 */
export async function readStorageStream(
  stream: string,
  options: StreamReadOptions,
): Promise<number> {
  const progress = { offset: 0 };
  let failures = 0;
  for (;;) {
    options.signal.throwIfAborted();
    const start = progress.offset;
    try {
      await readFrom(stream, progress, options);
      return progress.offset;
    } catch (e) {
      failures = progress.offset > start ? 1 : failures + 1;
      if (options.signal.aborted || !isRetryableGrpc(e) || failures >= options.maxAttempts) throw e;
      await options.sleep(retryDelayMs(failures));
    }
  }
}
