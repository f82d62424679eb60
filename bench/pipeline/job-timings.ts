/**
 * The measures of the pipeline benchmark, computed from the timestamps BullMQ keeps in each
 * finished job's hash and from its queue's event stream (all in ms from the same machine clock):
 * `timestamp` (added), `processedOn` (the worker's clock when it asked for the job),
 * `finishedOn` (the worker's clock when the processor returned), `processedBy` (worker name, one
 * per process), `parentKey` (`<prefix>:<queue>:<id>`), and the `completed` event's stream id
 * (Redis's clock when the job was moved to completed).
 *
 * BullMQ fetches the next job in the same Redis call that completes the previous one, stamping
 * the next job's `processedOn` with the previous job's `finishedOn`: for a busy worker the Redis
 * round trip between two jobs shows up in {@link completionDelays} and inside the next job's span.
 */

/** The queues of one analysis run, in flow order. */
export const RUN_QUEUES = ['enrollments', 'metric', 'finalize', 'export'] as const;

/** One finished job as the benchmark reads it back from Redis. */
export interface JobTiming {
  readonly queue: string;
  readonly id: string;
  readonly timestamp: number;
  readonly processedOn: number;
  readonly finishedOn: number;
  /** When Redis recorded the job as completed (its `completed` event), else null. */
  readonly completedAt: number | null;
  readonly processedBy: string;
  /** `<queue>:<id>` of the parent (flow jobs), else null. */
  readonly parent: string | null;
  /** A metric job's warehouse read and statistics time (from its return value), else null. */
  readonly readMs: number | null;
  readonly computeMs: number | null;
}

/** `<queue>:<id>` of a job. */
export function jobKey(job: Pick<JobTiming, 'queue' | 'id'>): string {
  return `${job.queue}:${job.id}`;
}

/** `<prefix>:<queue>:<id>` → `<queue>:<id>` (BullMQ's parentKey without the prefix). */
export function parentOfKey(parentKey: string | undefined, prefix: string): string | null {
  if (parentKey === undefined || parentKey === '') return null;
  return parentKey.startsWith(`${prefix}:`) ? parentKey.slice(prefix.length + 1) : parentKey;
}

/** Processing time of one job: finishedOn − processedOn, in ms. */
export function span(job: JobTiming): number {
  return job.finishedOn - job.processedOn;
}

/**
 * Start wait per job of `queue` (each worker process works on one job of it at a time):
 * `processedOn − max(timestamp, previous finishedOn of the same worker on that queue)` — how long
 * a job that could have started waited for its free worker to pick it up. 0 by construction when
 * the worker fetched it while completing its previous job (see the module note).
 */
export function startOverheads(jobs: readonly JobTiming[], queue: string): number[] {
  const byWorker = new Map<string, JobTiming[]>();
  for (const job of jobs) {
    if (job.queue !== queue) continue;
    const list = byWorker.get(job.processedBy) ?? [];
    list.push(job);
    byWorker.set(job.processedBy, list);
  }
  const overheads: number[] = [];
  for (const list of byWorker.values()) {
    list.sort((a, b) => a.processedOn - b.processedOn || a.finishedOn - b.finishedOn);
    let previousFinish = Number.NEGATIVE_INFINITY;
    for (const job of list) {
      overheads.push(job.processedOn - Math.max(job.timestamp, previousFinish));
      previousFinish = Math.max(previousFinish, job.finishedOn);
    }
  }
  return overheads;
}

/** Per job of `queue` with a known completion: completedAt − finishedOn (processor end → completed). */
export function completionDelays(jobs: readonly JobTiming[], queue: string): number[] {
  return jobs
    .filter((job) => job.queue === queue && job.completedAt !== null)
    .map((job) => (job.completedAt ?? job.finishedOn) - job.finishedOn);
}

/**
 * Parent start wait per parent job: `processedOn − max(children's completion)` — from the last
 * child being completed in Redis (which makes the parent ready) to the parent (finalize, export)
 * starting; a child's finishedOn stands in when its completion is unknown. Childless jobs are skipped.
 */
export function parentNotifications(jobs: readonly JobTiming[]): number[] {
  const lastChild = new Map<string, number>();
  for (const job of jobs) {
    if (job.parent === null) continue;
    const done = job.completedAt ?? job.finishedOn;
    lastChild.set(job.parent, Math.max(lastChild.get(job.parent) ?? 0, done));
  }
  const delays: number[] = [];
  for (const job of jobs) {
    const ready = lastChild.get(jobKey(job));
    if (ready !== undefined) delays.push(job.processedOn - ready);
  }
  return delays;
}

/** Σ (finishedOn − processedOn) over `jobs`, in ms. */
export function totalCompute(jobs: readonly JobTiming[]): number {
  return jobs.reduce((sum, job) => sum + span(job), 0);
}

/**
 * The q-quantile (0..1) of `values` by the nearest-rank method (the smallest value with at least
 * q of the values at or below it); NaN when empty.
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}
