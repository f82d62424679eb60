import { describe, expect, it } from 'vitest';
import { existingJobUse } from '../../../../src/warehouse/bigquery/attach-query-job.js';
import {
  deterministicJobId,
  MAX_JOB_ATTEMPTS,
} from '../../../../src/warehouse/bigquery/bigquery-job-id.js';
import { jobCost } from '../../../../src/warehouse/bigquery/job-cost.js';

/** BigQuery job ids: letters, digits, `_` and `-`, at most 1,024 characters. */
const VALID_JOB_ID = /^[A-Za-z0-9_-]{1,1024}$/;

describe('deterministicJobId', () => {
  it('is contrail_<readable key>_<hash>_<attempt>, the same for the same key and attempt', () => {
    const id = deterministicJobId('run-2024-01-21/metric:my-slug:week_2', 1);
    expect(id).toMatch(/^contrail_run-2024-01-21_metric_my-slug_week_2_[0-9a-f]{16}_1$/);
    expect(deterministicJobId('run-2024-01-21/metric:my-slug:week_2', 1)).toBe(id);
    expect(id).toMatch(VALID_JOB_ID);
  });

  it('numbers the attempts of one key', () => {
    const first = deterministicJobId('k', 1);
    const third = deterministicJobId('k', 3);
    expect(third).toBe(`${first.slice(0, -2)}_3`);
    expect(deterministicJobId('k', MAX_JOB_ATTEMPTS)).toMatch(/_10$/);
  });

  it('keeps keys apart that read alike or share a long prefix', () => {
    expect(deterministicJobId('a:b', 1)).not.toBe(deterministicJobId('a/b', 1));
    const long = 'x'.repeat(200);
    const a = deterministicJobId(`${long}a`, 1);
    expect(a).not.toBe(deterministicJobId(`${long}b`, 1));
    expect(a.length).toBeLessThan(100);
    expect(a).toMatch(VALID_JOB_ID);
  });

  it('refuses attempts below 1 or fractional', () => {
    expect(() => deterministicJobId('k', 0)).toThrow(RangeError);
    expect(() => deterministicJobId('k', 1.5)).toThrow(RangeError);
  });
});

describe('existingJobUse', () => {
  const sql = 'SELECT 1';
  const job = (status: Record<string, unknown>, query = sql) => ({
    status,
    configuration: { query: { query } },
  });

  it('reattaches to a pending or running job, reuses a job done well, moves on after a failure', () => {
    expect(existingJobUse(job({ state: 'PENDING' }), sql)).toBe('reattached');
    expect(existingJobUse(job({ state: 'RUNNING' }), sql)).toBe('reattached');
    expect(existingJobUse(job({ state: 'DONE' }), sql)).toBe('reused');
    const failed = { state: 'DONE', errorResult: { reason: 'invalidQuery', message: 'x' } };
    expect(existingJobUse(job(failed), sql)).toBe('next');
  });

  it('moves on when the job under that id ran other SQL', () => {
    expect(existingJobUse(job({ state: 'RUNNING' }, 'SELECT 2'), sql)).toBe('next');
    expect(existingJobUse(job({ state: 'DONE' }, 'SELECT 2'), sql)).toBe('next');
  });
});

describe('jobCost', () => {
  it('reads bytes processed and billed, slot ms and the wall time from the statistics', () => {
    const resource = {
      statistics: {
        creationTime: '1700000000000',
        startTime: '1700000000500',
        endTime: '1700000003000',
        totalBytesProcessed: '123456',
        totalSlotMs: '4200',
        query: { totalBytesBilled: '10485760' },
      },
    };
    expect(jobCost(resource, 99)).toEqual({
      bytesProcessed: 123456,
      bytesBilled: 10485760,
      slotMs: 4200,
      elapsedMs: 3000,
    });
  });

  it('falls back to zeros and the measured time when BigQuery gives none', () => {
    expect(jobCost({}, 17)).toEqual({
      bytesProcessed: 0,
      bytesBilled: 0,
      slotMs: 0,
      elapsedMs: 17,
    });
  });
});
