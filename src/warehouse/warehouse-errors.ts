/** Base class of the warehouse's own errors. */
export class WarehouseError extends Error {
  override readonly name: string = 'WarehouseError';
  /**
   * Whether retrying the same request may succeed (a 5xx from BigQuery, a dropped connection),
   * as opposed to a deterministic failure (bad SQL, a missing column). @defaultValue false
   */
  readonly retryable: boolean;

  constructor(message: string, options?: { cause?: unknown; retryable?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options?.retryable ?? false;
  }
}

/** An enrollments query type the warehouse cannot build (only `normandy` and `glean-event`). */
export class UnsupportedEnrollmentsQueryError extends WarehouseError {
  override readonly name = 'UnsupportedEnrollmentsQueryError';
}

/** A table the operation needs does not exist. */
export class TableNotFoundError extends WarehouseError {
  override readonly name = 'TableNotFoundError';
}

/** A query failed; the message names the query's purpose and the warehouse's error. */
export class WarehouseQueryError extends WarehouseError {
  override readonly name = 'WarehouseQueryError';
}

/**
 * The caller aborted the operation (its `JobContext.signal`): a thread timeout, a worker handing
 * its job back. The warehouse job was cancelled; running the step again may succeed, so it is
 * retryable.
 */
export class WarehouseAbortedError extends WarehouseError {
  override readonly name = 'WarehouseAbortedError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { ...options, retryable: true });
  }
}
