import type { Job } from 'bullmq';
import type { Logger } from 'pino';

import { addDays, formatIsoDate, type IsoDate } from '../analysis/iso-date.js';
import { parseJobPayload } from '../queue/job-payloads.js';
import type { ProducerSession } from '../runtime/producer-session.js';
import { planAndEnqueue } from './plan-and-enqueue.js';

/** Id of contrail's job scheduler on the orchestrator queue (one per installation/prefix). */
export const DAILY_RUN_SCHEDULER_ID = 'contrail-daily-run';

/** The part of a BullMQ job the slot time is read from. */
export interface ScheduledJobLike {
  readonly id?: string | undefined;
  readonly timestamp: number;
  readonly opts: { readonly prevMillis?: number | undefined };
}

/**
 * The scheduled slot of a job scheduler's job, in epoch ms. BullMQ names the job of each slot
 * `repeat:<schedulerId>:<slotMillis>` and also stores the slot in `opts.prevMillis`
 * (operations.md §1.5); a job added by hand (Bull Board "add", a test) has neither and falls back
 * to its creation time.
 */
export function slotTimeOf(job: ScheduledJobLike): number {
  const match = /^repeat:.+:(\d+)$/.exec(job.id ?? '');
  if (match?.[1] !== undefined) return Number(match[1]);
  if (job.opts.prevMillis !== undefined && job.opts.prevMillis > 0) return job.opts.prevMillis;
  return job.timestamp;
}

/** The run date and the "today" a daily run plans with. */
export interface DailyRunDates {
  /** The slot's UTC day, used as the planner's "today" (Live vs Complete). */
  readonly today: IsoDate;
  /** The run date: `today` minus `lagDays`. */
  readonly date: IsoDate;
}

/**
 * Dates of the run a slot stands for: the slot's UTC day minus `lagDays` (1 = yesterday, the last
 * day with complete data). Derived from the slot, never from the wall clock at processing time,
 * so a job processed late (after an outage, a retry) still analyses the day it was scheduled for.
 */
export function dailyRunDates(slotMillis: number, lagDays: number): DailyRunDates {
  const today = formatIsoDate(slotMillis);
  return { today, date: addDays(today, -lagDays) };
}

/** What a daily-run job returns (shown in Bull Board). */
export interface DailyRunResult {
  readonly slot: string;
  readonly date: IsoDate;
  readonly experiments: number;
  readonly windows: {
    readonly enqueued: number;
    readonly done: number;
    readonly inProgress: number;
    /** Windows that need work but whose date's flow is still pending without them. */
    readonly blocked: number;
    /**
     * Windows whose data has not landed (logged as `DataNotReady`); not computed. A later slot
     * does not come back to them: `contrail run --date <date>` does, once the data is there.
     */
    readonly notReady: number;
  };
  readonly skipped: number;
  /** Experiments dropped by a config or source problem (deterministic; not retried). */
  readonly problems: readonly { experiment: string | null; message: string }[];
}

/** What the daily-run processor needs. */
export interface DailyRunDeps {
  /** Opens a producer session (metric-hub is re-read for every run, so config changes apply). */
  readonly openSession: () => Promise<ProducerSession>;
  readonly logger: Logger;
}

/** Some experiments could not be enqueued; the job fails and retries (enqueueing is idempotent). */
export class DailyRunEnqueueError extends Error {
  override readonly name = 'DailyRunEnqueueError';
}

/**
 * The processor of the scheduler's `daily-run` job: plans and enqueues exactly what
 * `contrail run --date <slot day − lagDays>` would (no slices, no force). Planning problems are
 * returned and logged; a failed enqueue throws so the job retries with backoff, which adds only
 * what is still missing.
 * @throws DailyRunEnqueueError when some experiments' jobs could not be added.
 */
export function createDailyRunProcessor(deps: DailyRunDeps) {
  return async function processDailyRun(job: Job): Promise<DailyRunResult> {
    const payload = parseJobPayload('daily-run', job.data);
    const slot = slotTimeOf(job);
    const { today, date } = dailyRunDates(slot, payload.lagDays);
    const logger = deps.logger.child({ job: job.id, date });
    const session = await deps.openSession();
    try {
      const { planned, enqueued } = await planAndEnqueue(
        session,
        logger,
        { date, today },
        { force: false, recreateEnrollments: false, now: new Date() },
      );
      if (enqueued.failed.length > 0) {
        const list = enqueued.failed.map((f) => `${f.experiment}: ${f.message}`).join('; ');
        throw new DailyRunEnqueueError(`daily run ${date}: could not enqueue ${list}`);
      }
      const count = (outcome: string) =>
        enqueued.windows.filter((w) => w.outcome === outcome).length;
      const result: DailyRunResult = {
        slot: new Date(slot).toISOString(),
        date,
        experiments: planned.plan.units.length,
        windows: {
          enqueued: count('enqueued'),
          done: count('done'),
          inProgress: count('in-progress'),
          blocked: count('blocked'),
          notReady: count('not-ready'),
        },
        skipped: planned.plan.skipped.length + planned.excluded.length,
        problems: planned.problems.map((p) => ({ experiment: p.experiment, message: p.message })),
      };
      logger.info(result, 'daily run planned and enqueued');
      return result;
    } finally {
      await session.close();
    }
  };
}
