import type { JobsOptions } from 'bullmq';

import type { JobKind } from './queue-names.js';

/**
 * Attempts, backoff and retention per job kind. Retention is deliberately long: the producer's
 * "already done?" check reads job state as well as tables, and completed jobs must outlive the
 * rerun window (operations.md §1.4, §1.9). Failed jobs are kept longer than completed ones.
 */
export interface JobPolicy {
  /** Attempts per job kind (unexpected errors retry; expected conditions never do). */
  readonly attempts: Readonly<Record<JobKind, number>>;
  /** First backoff delay in ms; doubles per attempt. */
  readonly backoffMs: number;
  /** Seconds a completed job is kept. @defaultValue 7 days */
  readonly keepCompletedSeconds: number;
  /** Seconds a failed job is kept. @defaultValue 30 days */
  readonly keepFailedSeconds: number;
  /** At most this many completed jobs per queue are kept. @defaultValue 200 000 */
  readonly keepCompletedCount: number;
}

/** Production defaults. */
export const DEFAULT_JOB_POLICY: JobPolicy = {
  attempts: {
    'daily-run': 3,
    enrollments: 3,
    'metrics-table': 3,
    metric: 3,
    finalize: 5,
    export: 3,
  },
  backoffMs: 5_000,
  keepCompletedSeconds: 7 * 86_400,
  keepFailedSeconds: 30 * 86_400,
  keepCompletedCount: 200_000,
};

/** BullMQ options for a job of `kind` under `policy`. */
export function jobOptions(kind: JobKind, policy: JobPolicy = DEFAULT_JOB_POLICY): JobsOptions {
  return {
    attempts: policy.attempts[kind],
    backoff: { type: 'exponential', delay: policy.backoffMs, jitter: 0.2 },
    removeOnComplete: { age: policy.keepCompletedSeconds, count: policy.keepCompletedCount },
    removeOnFail: { age: policy.keepFailedSeconds },
    // A failed metric (or metrics table) must not block its window's statistics (partial results
    // land), and a failed window must not block the experiment's exports (errors are exported).
    ...(kind === 'metric' || kind === 'metrics-table' || kind === 'finalize'
      ? { ignoreDependencyOnFailure: true }
      : {}),
  };
}
