import { UnrecoverableError } from 'bullmq';

import { coerceError } from '../analysis/coerce-error.js';

/**
 * Errors that fail the same way on every attempt: bad payloads, bad SQL, bad identifiers, bad
 * config. They fail the job at once (BullMQ `UnrecoverableError`); everything else retries with
 * backoff (DESIGN.md, failure semantics).
 */
const DETERMINISTIC_ERRORS = new Set([
  'InvalidJobPayloadError',
  'UntranslatableSqlError',
  'UnsafeIdentifierError',
  'UnsupportedEnrollmentsQueryError',
  'ConfigError',
  'StatisticError',
  'StatisticParameterError',
]);

/**
 * The error to throw from a processor: deterministic failures become `UnrecoverableError`
 * (message kept, prefixed with the original name so logs and the failed reason still say what
 * it was); others are rethrown as they are. Warehouse errors say themselves whether they are
 * retryable.
 */
export function toJobError(thrown: unknown): Error {
  const error = coerceError(thrown);
  const retryable = (error as { retryable?: unknown }).retryable;
  const deterministic =
    DETERMINISTIC_ERRORS.has(error.name) ||
    (error.name.startsWith('Warehouse') && retryable === false);
  if (!deterministic) return error;
  const unrecoverable = new UnrecoverableError(`${error.name}: ${error.message}`);
  if (error.stack !== undefined) unrecoverable.stack = error.stack;
  return unrecoverable;
}
