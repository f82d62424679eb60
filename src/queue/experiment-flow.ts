import type { FlowJob } from 'bullmq';

import type { EnrollmentsJob, MetricJob } from './job-payloads.js';
import { DEFAULT_JOB_POLICY, jobOptions, type JobPolicy } from './job-options.js';
import { JOB_QUEUE } from './queue-names.js';

/**
 * The BullMQ flow of one experiment's run: the export job as root, one finalize child per due
 * window, and under each finalize job either its metrics-table jobs (one per basis; the finalize
 * job adds the metric jobs once they are done, see the worker) or, in a statistics-only run, one
 * metric job per metric. Children run first, so every metric job finishes (or fails) before its
 * window is finalized, and every window before the export. Job ids are the plan's deterministic
 * ids, so adding the same flow twice adds nothing.
 */
export function experimentFlow(
  job: EnrollmentsJob,
  groups: EnrollmentsJob['groups'],
  policy: JobPolicy = DEFAULT_JOB_POLICY,
): FlowJob {
  return {
    name: 'export',
    queueName: 'export',
    data: job.export,
    opts: { ...jobOptions('export', policy), jobId: job.export.id },
    children: groups.map((group) => ({
      name: 'finalize',
      queueName: 'finalize',
      data: group.finalize,
      opts: {
        ...jobOptions('finalize', policy),
        jobId: group.finalize.id,
        priority: group.priority,
      },
      children: [
        ...group.metricsTables.map((table) => ({
          name: 'metrics-table',
          queueName: JOB_QUEUE['metrics-table'],
          data: table,
          // Tables of a window go before any window's metric jobs (they unblock them).
          opts: { ...jobOptions('metrics-table', policy), jobId: table.id, priority: 1 },
        })),
        ...group.metrics.map((metric) => metricChild(metric, group.priority, policy)),
      ],
    })),
  };
}

/** A metric job as a flow child (or, with `parent`, added to a finalize job later). */
export function metricChild(
  metric: MetricJob,
  priority: number,
  policy: JobPolicy = DEFAULT_JOB_POLICY,
): FlowJob & { opts: NonNullable<FlowJob['opts']> } {
  return {
    name: 'metric',
    queueName: JOB_QUEUE.metric,
    data: metric,
    opts: { ...jobOptions('metric', policy), jobId: metric.id, priority },
  };
}
