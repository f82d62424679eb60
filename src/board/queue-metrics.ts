import { QueueEvents } from 'bullmq';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import { coerceError } from '../analysis/coerce-error.js';
import type { ContrailQueues } from '../queue/contrail-queues.js';
import { QUEUE_NAMES, type QueueName } from '../queue/queue-names.js';
import { createRedisConnection } from '../queue/redis-connection.js';

/** Job states reported by `contrail_queue_jobs` (BullMQ 6 has no separate paused state). */
export const COUNTED_STATES = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
  'completed',
  'failed',
] as const;

/** Histogram buckets of job durations in seconds: sub-second finalizers to hour-long bootstraps. */
export const DURATION_BUCKETS = [
  0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600,
] as const;

/** Options of {@link createQueueMetrics}. */
export interface QueueMetricsOptions {
  readonly queues: ContrailQueues;
  /** Redis for the event streams (one blocking connection per queue). */
  readonly redisUrl: string;
  readonly logger: Logger;
}

/** The board's Prometheus metrics. */
export interface QueueMetrics {
  readonly registry: Registry;
  /** Resolves once every queue's event stream is being read. */
  readonly ready: Promise<void>;
  /** Stops reading events and waits for pending duration look-ups. */
  close(): Promise<void>;
}

/**
 * Prometheus metrics of the contrail queues (operations.md §1.13), served by the board:
 * - `contrail_queue_jobs{queue,state}` gauge, read with `getJobCounts` at every scrape (the KEDA
 *   scaler's input);
 * - `contrail_job_duration_seconds{queue,outcome}` histogram, processing time of every job that
 *   finishes while the board runs (from the queue event streams);
 * - `contrail_job_failures_total{queue}` counter, jobs that failed for good;
 * - `contrail_redis_up` gauge, 0 when Redis did not answer during the scrape;
 * - the process's default metrics (`process_*`, `nodejs_*`).
 */
export function createQueueMetrics(options: QueueMetricsOptions): QueueMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'contrail_queue_jobs',
    help: 'Jobs per contrail queue and state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      // No data rather than stale data when Redis cannot be read (KEDA then applies its fallback).
      this.reset();
      try {
        const counts = await readCounts(options.queues);
        for (const [queue, byState] of counts) {
          for (const state of COUNTED_STATES) this.set({ queue, state }, byState[state] ?? 0);
        }
      } catch (e) {
        options.logger.warn({ err: coerceError(e).message }, 'could not read queue counts');
      }
    },
  });
  new Gauge({
    name: 'contrail_redis_up',
    help: '1 when Redis answered a PING during this scrape, else 0',
    registers: [registry],
    async collect() {
      this.set((await ping(options.queues)) ? 1 : 0);
    },
  });
  const durations = new Histogram({
    name: 'contrail_job_duration_seconds',
    help: 'Processing time of finished jobs (finishedOn - processedOn of the last attempt)',
    labelNames: ['queue', 'outcome'],
    buckets: [...DURATION_BUCKETS],
    registers: [registry],
  });
  const failures = new Counter({
    name: 'contrail_job_failures_total',
    help: 'Jobs that failed for good (after their last attempt)',
    labelNames: ['queue'],
    registers: [registry],
  });
  const watcher = watchFinishedJobs(options, (queue, outcome, seconds) => {
    if (outcome === 'failed') failures.inc({ queue });
    if (seconds !== null) durations.observe({ queue, outcome }, seconds);
  });
  return { registry, ready: watcher.ready, close: () => watcher.close() };
}

async function ping(queues: ContrailQueues): Promise<boolean> {
  try {
    return (await queues.connection.ping()) === 'PONG';
  } catch {
    return false;
  }
}

async function readCounts(
  queues: ContrailQueues,
): Promise<[QueueName, Record<string, number | undefined>][]> {
  return Promise.all(
    QUEUE_NAMES.map(async (name): Promise<[QueueName, Record<string, number | undefined>]> => [
      name,
      await queues.queues[name].getJobCounts(...COUNTED_STATES),
    ]),
  );
}

type FinishedListener = (
  queue: QueueName,
  outcome: 'completed' | 'failed',
  seconds: number | null,
) => void;

/** Reads each queue's event stream from now on and reports every finished job with its duration. */
function watchFinishedJobs(options: QueueMetricsOptions, listener: FinishedListener) {
  const pending = new Set<Promise<void>>();
  const streams = QUEUE_NAMES.map((name) => {
    const connection = createRedisConnection({
      url: options.redisUrl,
      role: 'worker',
      connectionName: `contrail-board:events:${name}`,
    });
    const events = new QueueEvents(name, { connection, prefix: options.queues.prefix });
    events.on('error', (error) =>
      options.logger.warn({ queue: name, err: error.message }, 'events'),
    );
    const report = (jobId: string, outcome: 'completed' | 'failed') => {
      const lookup = durationOf(options.queues, name, jobId).then(
        (seconds) => listener(name, outcome, seconds),
        () => listener(name, outcome, null),
      );
      pending.add(lookup);
      void lookup.finally(() => pending.delete(lookup));
    };
    events.on('completed', ({ jobId }) => report(jobId, 'completed'));
    events.on('failed', ({ jobId }) => report(jobId, 'failed'));
    return { events, connection };
  });
  return {
    ready: Promise.all(streams.map((s) => s.events.waitUntilReady())).then(() => undefined),
    async close() {
      await Promise.all(streams.map((s) => s.events.close()));
      await Promise.all([...pending]);
      for (const stream of streams) stream.connection.disconnect();
    },
  };
}

/** Seconds between a job's start and finish of its last attempt, or null when unknown. */
async function durationOf(
  queues: ContrailQueues,
  queue: QueueName,
  jobId: string,
): Promise<number | null> {
  const key = queues.queues[queue].toKey(jobId);
  const [processedOn, finishedOn] = await queues.connection.hmget(key, 'processedOn', 'finishedOn');
  const start = Number(processedOn);
  const end = Number(finishedOn);
  if (processedOn === null || finishedOn === null || !Number.isFinite(start + end)) return null;
  return Math.max(0, end - start) / 1000;
}
