import type { JobType } from 'bullmq';

import { QUEUE_NAMES } from '../../../src/queue/queue-names.js';
import type { FaultCluster } from './fault-cluster.js';

/** The `N/M jobs completed, F failed` line of `contrail run --wait`. */
export interface RunSummary {
  readonly completed: number;
  readonly total: number;
  readonly failed: number;
}

/**
 * Parses the last summary line of a `run --wait` output.
 * @throws Error quoting the output when there is none.
 */
export function runSummary(stdout: string): RunSummary {
  const matches = [...stdout.matchAll(/(\d+)\/(\d+) jobs completed, (\d+) failed/g)];
  const last = matches.at(-1);
  if (last === undefined) throw new Error(`no run summary in:\n${stdout}`);
  return { completed: Number(last[1]), total: Number(last[2]), failed: Number(last[3]) };
}

/** Jobs per not-finished state over every queue (all zero once a run has drained). */
export async function unfinishedJobs(
  cluster: FaultCluster,
): Promise<Partial<Record<JobType, number>>> {
  const totals: Partial<Record<JobType, number>> = {
    active: 0,
    waiting: 0,
    'waiting-children': 0,
    delayed: 0,
    prioritized: 0,
  };
  for (const name of QUEUE_NAMES) {
    const states = Object.keys(totals) as JobType[];
    const counts = await cluster.queue(name).getJobCounts(...states);
    for (const state of states) totals[state] = (totals[state] ?? 0) + (counts[state] ?? 0);
  }
  return totals;
}

/** Completed jobs over every queue. */
export async function completedJobs(cluster: FaultCluster): Promise<number> {
  let n = 0;
  for (const name of QUEUE_NAMES) n += await cluster.queue(name).getCompletedCount();
  return n;
}

/** Lines of every process's output that contain one of the cluster's secrets. */
export function leakedSecrets(cluster: FaultCluster, extraOutput = ''): string[] {
  const text = `${cluster.allOutput()}\n${extraOutput}`;
  return text.split('\n').filter((line) => cluster.secrets.some((secret) => line.includes(secret)));
}
