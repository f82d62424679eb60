import { defaultRepeatStrategy, type Queue } from 'bullmq';

import { coerceError } from '../analysis/coerce-error.js';
import type { DailyRunJob } from '../queue/job-payloads.js';
import { DEFAULT_JOB_POLICY, jobOptions, type JobPolicy } from '../queue/job-options.js';
import { DAILY_RUN_SCHEDULER_ID } from './daily-run.js';
import type { DailyRunSchedule } from './daily-run-schedule.js';

export { DEFAULT_DAILY_RUN_SCHEDULE, type DailyRunSchedule } from './daily-run-schedule.js';

/** A schedule that cannot fire (bad cron pattern or time zone); names the field at fault. */
export class InvalidScheduleError extends Error {
  override readonly name = 'InvalidScheduleError';
}

/**
 * The first slot of `schedule` after `nowMs`, in epoch ms, computed the way BullMQ will.
 * @throws InvalidScheduleError for an unknown time zone or a pattern that does not parse or never fires.
 */
export function nextSlot(schedule: Pick<DailyRunSchedule, 'cron' | 'tz'>, nowMs: number): number {
  try {
    new Intl.DateTimeFormat('en', { timeZone: schedule.tz });
  } catch {
    throw new InvalidScheduleError(
      `--tz ${schedule.tz}: not an IANA time zone (e.g. UTC, Europe/Berlin)`,
    );
  }
  let next: number | undefined;
  try {
    next = defaultRepeatStrategy(nowMs, { pattern: schedule.cron, tz: schedule.tz });
  } catch (e) {
    const error = coerceError(e);
    throw new InvalidScheduleError(`--cron "${schedule.cron}": ${error.message}`);
  }
  if (next === undefined) {
    throw new InvalidScheduleError(`--cron "${schedule.cron}": never fires after now`);
  }
  return next;
}

/**
 * Registers (or updates) the daily run with BullMQ's job scheduler on the orchestrator queue.
 * Idempotent: every replica may call it at start-up; the last call's pattern wins and a slot is
 * never doubled (ids are `repeat:<id>:<slot>`, operations.md §1.5).
 * @returns the first slot's time in epoch ms.
 * @throws InvalidScheduleError before touching Redis when the schedule is invalid.
 */
export async function upsertDailyRunScheduler(
  orchestrator: Queue,
  schedule: DailyRunSchedule,
  nowMs: number,
  policy: JobPolicy = DEFAULT_JOB_POLICY,
): Promise<number> {
  const first = nextSlot(schedule, nowMs);
  const data: DailyRunJob = { kind: 'daily-run', lagDays: schedule.lagDays };
  await orchestrator.upsertJobScheduler(
    DAILY_RUN_SCHEDULER_ID,
    { pattern: schedule.cron, tz: schedule.tz },
    // The template's options: the daily run retries with backoff and keeps its result for a week.
    { name: 'daily-run', data, opts: jobOptions('daily-run', policy) },
  );
  return first;
}

/** One registered scheduler, as `contrail schedule --list` shows it. */
export interface SchedulerEntry {
  readonly id: string;
  readonly cron: string | null;
  readonly every: number | null;
  readonly tz: string | null;
  /** Next slot, ISO 8601, or null when none is pending. */
  readonly next: string | null;
  readonly lagDays: number | null;
  readonly iterations: number | null;
}

/** Every job scheduler on the orchestrator queue. */
export async function listSchedulers(orchestrator: Queue): Promise<SchedulerEntry[]> {
  const schedulers = await orchestrator.getJobSchedulers(0, -1, true);
  return schedulers.map((s) => {
    const data = s.template?.data as { lagDays?: unknown } | undefined;
    return {
      id: s.key,
      cron: s.pattern ?? null,
      every: s.every ?? null,
      tz: s.tz ?? null,
      next: s.next === undefined ? null : new Date(s.next).toISOString(),
      lagDays: typeof data?.lagDays === 'number' ? data.lagDays : null,
      iterations: s.iterationCount ?? null,
    };
  });
}

/** Removes the daily run's scheduler (and its pending slot); false when none was registered. */
export async function removeDailyRunScheduler(orchestrator: Queue): Promise<boolean> {
  return orchestrator.removeJobScheduler(DAILY_RUN_SCHEDULER_ID);
}
