import { coerceError } from '../../analysis/coerce-error.js';
import { UnsafeIdentifierError } from '../../analysis/unsafe-identifier-error.js';
import { WarehouseError, WarehouseQueryError } from '../warehouse-errors.js';

/** What a failed BigQuery call tells us: HTTP status (or network error code) and reasons. */
export interface ApiFailure {
  /** HTTP status, a Node network error code (`ECONNRESET`), or undefined. */
  readonly code: number | string | undefined;
  /** BigQuery error reasons (`invalidQuery`, `notFound`, `backendError`, …), outermost first. */
  readonly reasons: readonly string[];
  readonly message: string;
}

/** HTTP statuses worth retrying: timeouts, throttling and server errors. */
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/** BigQuery reasons for transient failures (docs: "Troubleshoot errors"). */
const RETRYABLE_REASONS = new Set([
  'backendError',
  'internalError',
  'rateLimitExceeded',
  'jobBackendError',
  'jobInternalError',
  'tableUnavailable',
]);

/** Node/undici/gaxios network error codes: the request may not have been answered. */
const RETRYABLE_NETWORK = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
]);

function reasonsOf(errors: unknown): string[] {
  if (!Array.isArray(errors)) return [];
  return errors.flatMap((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) return [];
    const record = entry as Record<string, unknown>;
    const own = typeof record.reason === 'string' ? [record.reason] : [];
    return [...own, ...reasonsOf(record.errors)]; // insertAll nests per-row errors
  });
}

/** Reads the status, reasons and message of anything the client library threw. */
export function apiFailure(thrown: unknown): ApiFailure {
  let error = coerceError(thrown);
  while (error instanceof WarehouseError && error.cause !== undefined) {
    error = coerceError(error.cause); // look through our own wrapping
  }
  const record = error as unknown as Record<string, unknown>;
  const code =
    typeof record.code === 'number' || typeof record.code === 'string' ? record.code : undefined;
  return { code, reasons: reasonsOf(record.errors), message: error.message };
}

/** True for a 404 / `notFound` (a missing table, dataset or job). */
export function isNotFound(thrown: unknown): boolean {
  const failure = apiFailure(thrown);
  return failure.code === 404 || failure.reasons.includes('notFound');
}

/** True for a 409 / `duplicate` (already exists, or WRITE_EMPTY on a populated table). */
export function isDuplicate(thrown: unknown): boolean {
  const failure = apiFailure(thrown);
  return failure.code === 409 || failure.reasons.includes('duplicate');
}

/**
 * Whether retrying may succeed: 5xx, 408 and 429, transient reasons (`backendError`,
 * `rateLimitExceeded`, …) and network errors. Bad SQL (`invalidQuery`), `notFound`, `invalid`,
 * `accessDenied` and `quotaExceeded` are deterministic until something changes.
 */
export function isRetryable(thrown: unknown): boolean {
  const failure = apiFailure(thrown);
  if (typeof failure.code === 'number' && RETRYABLE_STATUS.has(failure.code)) return true;
  if (typeof failure.code === 'string' && RETRYABLE_NETWORK.has(failure.code)) return true;
  if (failure.reasons.some((reason) => RETRYABLE_REASONS.has(reason))) return true;
  return failure.code === undefined && /socket hang up/i.test(failure.message);
}

/**
 * Wraps a client failure as a {@link WarehouseQueryError} naming `purpose`, the status and the
 * reasons, with `retryable` set; warehouse and identifier errors pass through unchanged.
 */
export function toWarehouseError(thrown: unknown, purpose: string): Error {
  const error = coerceError(thrown);
  if (error instanceof WarehouseError || error instanceof UnsafeIdentifierError) return error;
  const failure = apiFailure(error);
  const tags = [
    ...(failure.code === undefined ? [] : [String(failure.code)]),
    ...new Set(failure.reasons),
  ];
  const detail = tags.length > 0 ? ` [${tags.join(', ')}]` : '';
  return new WarehouseQueryError(`BigQuery ${purpose} failed${detail}: ${failure.message}`, {
    cause: error,
    retryable: isRetryable(error),
  });
}

/** Runs `task`, rethrowing any failure through {@link toWarehouseError}. */
export async function guarded<T>(purpose: string, task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (e) {
    const error = coerceError(e);
    throw toWarehouseError(error, purpose);
  }
}
