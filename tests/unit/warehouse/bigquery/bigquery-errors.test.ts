import { describe, expect, it } from 'vitest';
import { UnsafeIdentifierError } from '../../../../src/analysis/unsafe-identifier-error.js';
import {
  apiFailure,
  isDuplicate,
  isNotFound,
  isRetryable,
  toWarehouseError,
} from '../../../../src/warehouse/bigquery/bigquery-errors.js';
import {
  TableNotFoundError,
  WarehouseQueryError,
} from '../../../../src/warehouse/warehouse-errors.js';

/** An error shaped like the client's ApiError. */
function apiError(code: number | undefined, reasons: string[], message = 'failed'): Error {
  return Object.assign(new Error(message), {
    code,
    errors: reasons.map((reason) => ({ reason, message })),
  });
}

describe('BigQuery error classification', () => {
  it.each([
    [500, 'backendError', true],
    [503, 'backendError', true],
    [429, 'rateLimitExceeded', true],
    [403, 'rateLimitExceeded', true],
    [undefined, 'jobBackendError', true],
    [400, 'invalidQuery', false],
    [404, 'notFound', false],
    [403, 'accessDenied', false],
    [403, 'quotaExceeded', false],
    [409, 'duplicate', false],
  ] as const)('status %s reason %s → retryable %s', (code, reason, retryable) => {
    expect(isRetryable(apiError(code, [reason]))).toBe(retryable);
  });

  it('treats network failures as retryable', () => {
    const reset = Object.assign(new Error('request failed'), { code: 'ECONNRESET' });
    expect(isRetryable(reset)).toBe(true);
    expect(isRetryable(new Error('socket hang up'))).toBe(true);
    expect(isRetryable(new Error('something else'))).toBe(false);
  });

  it('finds not-found and duplicate by status or by reason (jobs report reasons only)', () => {
    expect(isNotFound(apiError(404, []))).toBe(true);
    expect(isNotFound(apiError(undefined, ['notFound']))).toBe(true);
    expect(isNotFound(apiError(400, ['invalidQuery']))).toBe(false);
    expect(isDuplicate(apiError(undefined, ['duplicate']))).toBe(true);
    expect(isDuplicate(apiError(409, []))).toBe(true);
  });

  it('reads nested insertAll errors', () => {
    const partial = Object.assign(new Error('partial'), {
      errors: [{ row: {}, errors: [{ reason: 'invalid', message: 'no such field: x.' }] }],
    });
    expect(apiFailure(partial).reasons).toEqual(['invalid']);
  });

  it('wraps client errors with the purpose, status and reasons, keeping the cause', () => {
    const cause = apiError(503, ['backendError'], 'Service unavailable');
    const wrapped = toWarehouseError(cause, 'metric query of x');
    expect(wrapped).toBeInstanceOf(WarehouseQueryError);
    expect(wrapped.message).toBe(
      'BigQuery metric query of x failed [503, backendError]: Service unavailable',
    );
    expect((wrapped as WarehouseQueryError).retryable).toBe(true);
    expect(wrapped.cause).toBe(cause);
    expect(isNotFound(toWarehouseError(apiError(404, ['notFound']), 'x'))).toBe(true);
  });

  it('passes warehouse and identifier errors through unchanged', () => {
    const missing = new TableNotFoundError('no table t');
    expect(toWarehouseError(missing, 'x')).toBe(missing);
    const unsafe = new UnsafeIdentifierError('table name', 'a b', 'contains whitespace');
    expect(toWarehouseError(unsafe, 'x')).toBe(unsafe);
  });
});
