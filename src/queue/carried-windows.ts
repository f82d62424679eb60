import type { Queue } from 'bullmq';

import { PENDING_STATES, type JobState } from './job-states.js';

/**
 * The finalize ids (windows) a still pending enrollments job will add when it runs, read from
 * its payload (`groups[].finalize.id`); empty when the job does not exist or has finished. Only
 * the ids are read, without validating the rest of the payload (the worker does that).
 */
export async function carriedWindows(queue: Queue, enrollmentsId: string): Promise<Set<string>> {
  const job = await queue.getJob(enrollmentsId);
  if (job === undefined) return new Set();
  const state: JobState = await job.getState();
  if (!PENDING_STATES.has(state)) return new Set();
  return new Set(finalizeIdsOf(job.data));
}

/** `groups[].finalize.id` of an enrollments payload, skipping anything malformed. */
export function finalizeIdsOf(data: unknown): string[] {
  const groups = field(data, 'groups');
  if (!Array.isArray(groups)) return [];
  return groups.flatMap((group: unknown) => {
    const id = field(field(group, 'finalize'), 'id');
    return typeof id === 'string' ? [id] : [];
  });
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}
