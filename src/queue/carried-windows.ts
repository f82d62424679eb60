import type { Queue } from 'bullmq';

import { PENDING_STATES, type JobState } from './job-states.js';

/** The windows an enrollments job carries, and whether it will still run (or is running). */
export interface CarriedWindows {
  readonly pending: boolean;
  /** The finalize ids of the windows whose flow the job adds (`groups[].finalize.id`). */
  readonly windows: ReadonlySet<string>;
}

/**
 * What the enrollments job `enrollmentsId` carries, read from its payload, or null when there
 * is no such job. Only the finalize ids are read, without validating the rest of the payload
 * (the worker does that).
 */
export async function carriedWindows(
  queue: Queue,
  enrollmentsId: string,
): Promise<CarriedWindows | null> {
  const job = await queue.getJob(enrollmentsId);
  if (job === undefined) return null;
  const state: JobState = await job.getState();
  return { pending: PENDING_STATES.has(state), windows: new Set(finalizeIdsOf(job.data)) };
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
