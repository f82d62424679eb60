/** When and how the daily run fires. */
export interface DailyRunSchedule {
  /** Cron pattern (5 fields, or 6 with seconds first). @defaultValue `0 3 * * *` */
  readonly cron: string;
  /** IANA time zone the pattern is read in. @defaultValue `UTC` */
  readonly tz: string;
  /** Days before the slot's UTC day to analyse. @defaultValue 1 */
  readonly lagDays: number;
}

/** The default schedule: 03:00 UTC, analysing yesterday. */
export const DEFAULT_DAILY_RUN_SCHEDULE: DailyRunSchedule = {
  cron: '0 3 * * *',
  tz: 'UTC',
  lagDays: 1,
};
