import type { Job } from 'bullmq';

import type { CliProcess } from './cli-process.js';
import type { FaultCluster } from './fault-cluster.js';
import { waitFor } from './wait-for.js';

/** The active metric job computing `metric`, once there is one. */
export async function activeMetricJob(
  cluster: FaultCluster,
  metric: string,
  timeoutMs = 120_000,
): Promise<Job> {
  return waitFor(
    `metric job ${metric} to be active`,
    async () =>
      (await cluster.queue('metric').getJobs(['active'])).find(
        (job) => (job.data as { metric?: unknown }).metric === metric,
      ),
    { timeoutMs },
  );
}

/** BullMQ worker name of a worker process (`contrail worker` names itself by pid). */
export function workerName(worker: CliProcess): string {
  return `contrail-worker-${worker.pid}`;
}

/**
 * The worker process that holds `job`.
 * @throws Error when none of the cluster's live workers does.
 */
export function holderOf(cluster: FaultCluster, job: Job): CliProcess {
  const holder = cluster.liveWorkers().find((w) => job.processedBy === workerName(w));
  if (holder === undefined) {
    throw new Error(`no live worker holds ${job.id} (processedBy ${job.processedBy})`);
  }
  return holder;
}
