import type { FlowJob } from 'bullmq';

import type { EnrollmentsJob } from './job-payloads.js';
import { DEFAULT_JOB_POLICY, jobOptions, type JobPolicy } from './job-options.js';

/**
 * The BullMQ flow of one experiment's run: the export job as root, one finalize child per due
 * window, one metric grandchild per metric. Children run first, so every metric job finishes
 * (or fails) before its window is finalized, and every window before the export. Job ids are the
 * plan's deterministic ids, so adding the same flow twice adds nothing.
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
      children: group.metrics.map((metric) => ({
        name: 'metric',
        queueName: 'metric',
        data: metric,
        opts: { ...jobOptions('metric', policy), jobId: metric.id, priority: group.priority },
      })),
    })),
  };
}
