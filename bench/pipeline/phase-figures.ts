import {
  completionDelays,
  parentNotifications,
  quantile,
  RUN_QUEUES,
  span,
  startOverheads,
  totalCompute,
  type JobTiming,
} from './job-timings.js';

/** A sample's median, 95th percentile and maximum, in ms. */
export interface Spread {
  readonly median: number;
  readonly p95: number;
  readonly max: number;
  readonly count: number;
}

/** One queue's share of a run: its jobs, their summed processing time and when they ran. */
export interface QueueSplit {
  readonly queue: string;
  readonly jobs: number;
  /** Σ (finishedOn − processedOn) of its jobs. */
  readonly computeMs: number;
  /** First start and last finish, in ms from spawning `contrail run` (NaN without jobs). */
  readonly firstStartMs: number;
  readonly lastFinishMs: number;
}

/** The figures of one phase, derived from its jobs' timestamps. */
export interface PhaseFigures {
  readonly workers: number;
  readonly wallMs: number;
  readonly jobs: number;
  /** Σ (finishedOn − processedOn) over every job of the run. */
  readonly computeMs: number;
  /** Enrollments, metric, finalize, export, in flow order. */
  readonly split: readonly QueueSplit[];
  /** Per metric job: processing span, its warehouse read, its statistics, the rest of the span. */
  readonly metricSpan: Spread;
  readonly metricRead: Spread;
  readonly metricStatistics: Spread;
  readonly metricOther: Spread;
  /** Σ of the metric jobs' own read and statistics timings. */
  readonly metricReadMs: number;
  readonly metricStatisticsMs: number;
  /** Metric jobs: ready → processedOn; processor end → completed in Redis. */
  readonly startOverhead: Spread;
  readonly completion: Spread;
  /** Finalize and export jobs: last child completed → processedOn. */
  readonly parentNotification: Spread;
  /** ms from spawning `contrail run` to the first job being added. */
  readonly firstJobAddedMs: number;
}

/** Median, p95 and max of `values`. */
export function spread(values: readonly number[]): Spread {
  return {
    median: quantile(values, 0.5),
    p95: quantile(values, 0.95),
    max: values.reduce((m, v) => Math.max(m, v), values.length === 0 ? Number.NaN : -Infinity),
    count: values.length,
  };
}

function queueSplit(queue: string, all: readonly JobTiming[], startedAt: number): QueueSplit {
  const jobs = all.filter((job) => job.queue === queue);
  const first = jobs.reduce((m, job) => Math.min(m, job.processedOn), Infinity);
  const last = jobs.reduce((m, job) => Math.max(m, job.finishedOn), -Infinity);
  return {
    queue,
    jobs: jobs.length,
    computeMs: totalCompute(jobs),
    firstStartMs: jobs.length === 0 ? Number.NaN : first - startedAt,
    lastFinishMs: jobs.length === 0 ? Number.NaN : last - startedAt,
  };
}

/** The phase's figures; `startedAt` is the epoch ms at which `contrail run` was spawned. */
export function phaseFigures(
  workers: number,
  wallMs: number,
  startedAt: number,
  jobs: readonly JobTiming[],
): PhaseFigures {
  const metrics = jobs.filter((job) => job.queue === 'metric');
  const read = metrics.map((job) => job.readMs ?? 0);
  const statistics = metrics.map((job) => job.computeMs ?? 0);
  const sum = (values: readonly number[]) => values.reduce((s, v) => s + v, 0);
  return {
    workers,
    wallMs,
    jobs: jobs.length,
    computeMs: totalCompute(jobs),
    split: RUN_QUEUES.map((queue) => queueSplit(queue, jobs, startedAt)),
    metricSpan: spread(metrics.map(span)),
    metricRead: spread(read),
    metricStatistics: spread(statistics),
    metricOther: spread(metrics.map((job, i) => span(job) - read[i]! - statistics[i]!)),
    metricReadMs: sum(read),
    metricStatisticsMs: sum(statistics),
    startOverhead: spread(startOverheads(jobs, 'metric')),
    completion: spread(completionDelays(jobs, 'metric')),
    parentNotification: spread(parentNotifications(jobs)),
    firstJobAddedMs: jobs.reduce((m, job) => Math.min(m, job.timestamp), Infinity) - startedAt,
  };
}
