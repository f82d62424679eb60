import type { Queue } from 'bullmq';

import type { ContrailQueues } from './contrail-queues.js';
import type { QueueName } from './queue-names.js';

/** A job's state as BullMQ reports it; `unknown` when no such job exists (never added or removed). */
export type JobState =
  | 'completed'
  | 'failed'
  | 'active'
  | 'waiting'
  | 'waiting-children'
  | 'delayed'
  | 'prioritized'
  | 'unknown';

/** States in which a job will still run (or is running). */
export const PENDING_STATES: ReadonlySet<JobState> = new Set([
  'active',
  'waiting',
  'waiting-children',
  'delayed',
  'prioritized',
]);

/** A job of a given queue, by id. */
export interface JobRef {
  readonly queue: QueueName;
  readonly id: string;
}

/** States of many jobs, queried in parallel batches. */
export async function jobStates(
  queues: ContrailQueues,
  refs: readonly JobRef[],
  batchSize = 200,
): Promise<Map<string, JobState>> {
  const states = new Map<string, JobState>();
  for (let i = 0; i < refs.length; i += batchSize) {
    const batch = refs.slice(i, i + batchSize);
    const results = await Promise.all(
      batch.map((ref) => queues.queues[ref.queue].getJobState(ref.id)),
    );
    batch.forEach((ref, k) => states.set(ref.id, results[k] ?? 'unknown'));
  }
  return states;
}

/**
 * Removes a finished job (and, with `children`, its whole subtree). Returns false when the job
 * exists but could not be removed (it is active, i.e. locked by a worker).
 */
export async function removeFinishedJob(
  queue: Queue,
  id: string,
  options: { children: boolean },
): Promise<boolean> {
  const state = await queue.getJobState(id);
  if (state === 'unknown') return true;
  if (PENDING_STATES.has(state)) return false;
  const removed = await queue.remove(id, { removeChildren: options.children });
  return removed === 1;
}
