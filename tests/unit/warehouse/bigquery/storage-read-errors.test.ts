import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { isLoopbackHostPort } from '../../../../src/warehouse/bigquery/storage-read-client.js';
import { storageReadError } from '../../../../src/warehouse/bigquery/storage-read-errors.js';
import {
  TableNotFoundError,
  WarehouseError,
  WarehouseQueryError,
} from '../../../../src/warehouse/warehouse-errors.js';

const grpcFailure = (code: number) =>
  Object.assign(new Error(`${code} failed`), { code, details: 'failed' });

describe('storageReadError', () => {
  it('maps NOT_FOUND to TableNotFoundError naming the table', () => {
    const error = storageReadError(grpcFailure(status.NOT_FOUND), 'metrics_x');
    expect(error).toBeInstanceOf(TableNotFoundError);
    expect(error.message).toMatch(/metrics_x/);
    expect(error.retryable).toBe(false);
  });

  it.each([
    status.UNAVAILABLE,
    status.INTERNAL,
    status.DEADLINE_EXCEEDED,
    status.RESOURCE_EXHAUSTED,
  ])('makes status %i a retryable WarehouseQueryError', (code) => {
    const error = storageReadError(grpcFailure(code), 'metrics_x');
    expect(error).toBeInstanceOf(WarehouseQueryError);
    expect(error).toMatchObject({ retryable: true, message: expect.stringContaining('metrics_x') });
  });

  it.each([status.PERMISSION_DENIED, status.INVALID_ARGUMENT, status.CANCELLED])(
    'makes status %i a non-retryable WarehouseQueryError',
    (code) => {
      const error = storageReadError(grpcFailure(code), 'metrics_x');
      expect(error).toBeInstanceOf(WarehouseQueryError);
      expect(error.retryable).toBe(false);
    },
  );

  it('passes warehouse errors through and wraps errors without a status', () => {
    const own = new WarehouseQueryError('column x has NULLs');
    expect(storageReadError(own, 't')).toBe(own);
    const plain = storageReadError(new Error('socket hang up'), 't');
    expect(plain).toBeInstanceOf(WarehouseError);
    expect(plain.retryable).toBe(false);
  });
});

describe('isLoopbackHostPort', () => {
  it('knows loopback host:port endpoints', () => {
    expect(isLoopbackHostPort('127.0.0.1:9060')).toBe(true);
    expect(isLoopbackHostPort('localhost:1')).toBe(true);
    expect(isLoopbackHostPort('[::1]:50051')).toBe(true);
    expect(isLoopbackHostPort('bigquerystorage.googleapis.com:443')).toBe(false);
    expect(isLoopbackHostPort('127.0.0.1.example.com:443')).toBe(false);
    expect(isLoopbackHostPort(undefined)).toBe(false);
  });
});
