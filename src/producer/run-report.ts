import { Job } from 'bullmq';

import type { ContrailQueues } from '../queue/contrail-queues.js';
import type { JobRef } from '../queue/job-states.js';
import type { WatchedUnit } from './enqueue-run.js';

/** One thing that went wrong in a run, with its context. */
export interface RunFailure {
  readonly experiment: string;
  /** `enrollments`, `metric`, `finalize`, `export`, or `statistic` for a statistic inside a metric. */
  readonly kind: string;
  readonly period: string | null;
  readonly windowIndex: number | null;
  readonly metric: string | null;
  readonly statistic: string | null;
  readonly segment: string | null;
  readonly basis: string | null;
  readonly reason: string;
}

interface FinalizeReturn {
  failedMetrics?: { metric: string; jobId: string; reason: string }[];
  failedStatistics?: {
    metric: string;
    statistic: string;
    segment: string;
    basis: string;
    referenceBranch: string | null;
    message: string;
  }[];
}

/**
 * Collects what failed in a finished run: jobs that failed for good (with BullMQ's failed
 * reason) and statistics that failed inside successful metric jobs (from the finalizers'
 * results).
 */
export async function collectFailures(
  queues: ContrailQueues,
  units: readonly WatchedUnit[],
  failedJobs: readonly JobRef[],
): Promise<RunFailure[]> {
  const failures: RunFailure[] = [];
  const experimentOf = new Map<string, string>();
  for (const unit of units) {
    for (const ref of [unit.enrollments, unit.export, ...unit.finalize, ...unit.metrics]) {
      experimentOf.set(ref.id, unit.experiment);
    }
  }
  for (const ref of failedJobs) {
    const job = await Job.fromId(queues.queues[ref.queue], ref.id);
    const data = (job?.data ?? {}) as Record<string, unknown>;
    failures.push({
      experiment:
        experimentOf.get(ref.id) ??
        (typeof data['experiment'] === 'string' ? data['experiment'] : '?'),
      kind: ref.queue,
      period: typeof data['period'] === 'string' ? data['period'] : null,
      windowIndex: typeof data['windowIndex'] === 'number' ? data['windowIndex'] : null,
      metric: typeof data['metric'] === 'string' ? data['metric'] : null,
      statistic: null,
      segment: null,
      basis: null,
      reason: job?.failedReason ?? 'failed',
    });
  }
  for (const unit of units) {
    for (const ref of unit.finalize) {
      const job = await Job.fromId(queues.queues.finalize, ref.id);
      const result = job?.returnvalue as FinalizeReturn | undefined;
      const data = (job?.data ?? {}) as Record<string, unknown>;
      const period = typeof data['period'] === 'string' ? data['period'] : null;
      const windowIndex = typeof data['windowIndex'] === 'number' ? data['windowIndex'] : null;
      // Metrics that never ran (their metrics-table columns failed); failed jobs are above.
      for (const f of result?.failedMetrics ?? []) {
        if (failedJobs.some((ref) => ref.id === f.jobId)) continue;
        failures.push({
          experiment: unit.experiment,
          kind: 'metric',
          period,
          windowIndex,
          metric: f.metric,
          statistic: null,
          segment: null,
          basis: null,
          reason: f.reason,
        });
      }
      for (const f of result?.failedStatistics ?? []) {
        failures.push({
          experiment: unit.experiment,
          kind: 'statistic',
          period: typeof data['period'] === 'string' ? data['period'] : null,
          windowIndex: typeof data['windowIndex'] === 'number' ? data['windowIndex'] : null,
          metric: f.metric,
          statistic: f.statistic,
          segment: f.segment,
          basis: f.basis,
          reason:
            f.referenceBranch === null
              ? f.message
              : `${f.message} (reference ${f.referenceBranch})`,
        });
      }
    }
  }
  return failures;
}

/** One readable line per failure. */
export function formatFailure(f: RunFailure): string {
  const where = [
    f.experiment,
    f.period === null ? null : `${f.period}${f.windowIndex === null ? '' : `_${f.windowIndex}`}`,
    f.metric,
    f.statistic,
    f.segment === null ? null : `segment=${f.segment}`,
    f.basis === null ? null : `basis=${f.basis}`,
  ].filter((part): part is string => part !== null);
  return `${f.kind} failed: ${where.join(' / ')}: ${f.reason}`;
}
