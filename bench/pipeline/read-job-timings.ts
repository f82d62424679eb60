import { Queue, type Job } from 'bullmq';

import { createRedisConnection, waitForRedis } from '../../src/queue/redis-connection.js';
import { parentOfKey, RUN_QUEUES, type JobTiming } from './job-timings.js';
import { readCompletions } from './read-completions.js';

/** A job that finished without the timestamps the benchmark needs. */
export class MissingTimestampError extends Error {
  override readonly name = 'MissingTimestampError';
}

function numberField(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The read and compute milliseconds a metric job returns, or nulls. */
function metricTimes(returnvalue: unknown): { readMs: number | null; computeMs: number | null } {
  if (typeof returnvalue !== 'object' || returnvalue === null) {
    return { readMs: null, computeMs: null };
  }
  const value = returnvalue as Record<string, unknown>;
  return { readMs: numberField(value['readMs']), computeMs: numberField(value['computeMs']) };
}

/**
 * One finished job's timings; `completedAt` is when Redis recorded its completion (or null).
 * @throws MissingTimestampError naming the job when processedOn or finishedOn is missing.
 */
export function toJobTiming(
  queue: string,
  job: Job,
  prefix: string,
  completedAt: number | null,
): JobTiming {
  const { processedOn, finishedOn } = job;
  if (processedOn === undefined || finishedOn === undefined) {
    throw new MissingTimestampError(
      `${queue} job ${job.id ?? '?'} has no processedOn/finishedOn (is it finished?)`,
    );
  }
  return {
    queue,
    id: job.id ?? '',
    timestamp: job.timestamp,
    processedOn,
    finishedOn,
    completedAt,
    processedBy: job.processedBy ?? 'unknown',
    parent: parentOfKey(job.parentKey, prefix),
    ...metricTimes(job.returnvalue),
  };
}

/**
 * Every completed or failed job of the run's queues under `prefix`, with the completions Redis
 * recorded since `sinceMs` (epoch ms; the start of the run, so that an earlier run's events with
 * the same job ids do not count).
 */
export async function readJobTimings(
  redisUrl: string,
  prefix: string,
  sinceMs: number,
): Promise<JobTiming[]> {
  const connection = createRedisConnection({ url: redisUrl, role: 'producer' });
  const timings: JobTiming[] = [];
  try {
    await waitForRedis(connection, redisUrl);
    for (const name of RUN_QUEUES) {
      const completions = await readCompletions(connection, prefix, name, sinceMs);
      const queue = new Queue(name, { connection, prefix });
      try {
        const jobs = await queue.getJobs(['completed', 'failed']);
        for (const job of jobs) {
          timings.push(toJobTiming(name, job, prefix, completions.get(job.id ?? '') ?? null));
        }
      } finally {
        await queue.close();
      }
    }
  } finally {
    await connection.quit();
  }
  return timings;
}
