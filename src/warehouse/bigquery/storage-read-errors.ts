import { status } from '@grpc/grpc-js';
import { coerceError } from '../../analysis/coerce-error.js';
import { TableNotFoundError, WarehouseError, WarehouseQueryError } from '../warehouse-errors.js';

/** gRPC statuses worth retrying: the service was briefly unable, not the request wrong. */
const RETRYABLE = new Set<number>([
  status.UNAVAILABLE,
  status.INTERNAL,
  status.DEADLINE_EXCEEDED,
  status.RESOURCE_EXHAUSTED,
]);

/** The gRPC status code of a failed call, if it has one. */
export function grpcCode(thrown: unknown): number | undefined {
  const code: unknown = (coerceError(thrown) as Error & { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

/** True when a gRPC failure may succeed if the call is made again. */
export function isRetryableGrpc(thrown: unknown): boolean {
  const code = grpcCode(thrown);
  return code !== undefined && RETRYABLE.has(code);
}

/**
 * The warehouse error for a failed Storage Read call on `table`: NOT_FOUND →
 * `TableNotFoundError`; UNAVAILABLE, INTERNAL, DEADLINE_EXCEEDED and RESOURCE_EXHAUSTED →
 * retryable `WarehouseQueryError`; anything else non-retryable. Warehouse errors pass through.
 */
export function storageReadError(thrown: unknown, table: string): WarehouseError {
  const error = coerceError(thrown);
  if (error instanceof WarehouseError) return error;
  const message = `reading ${table} through the Storage Read API: ${error.message}`;
  if (grpcCode(error) === status.NOT_FOUND) {
    return new TableNotFoundError(`no table ${table} (${error.message})`, { cause: error });
  }
  return new WarehouseQueryError(message, { cause: error, retryable: isRetryableGrpc(error) });
}
