import { InvalidArgumentError } from 'commander';

import { coerceError } from '../../analysis/coerce-error.js';
import { DEFAULT_DAILY_RUN_SCHEDULE } from '../../producer/daily-run-schedule.js';
import type * as SchedulerModule from '../../producer/daily-run-scheduler.js';
import type { CliContext } from '../cli-context.js';
import { UsageError } from '../exit-codes.js';
import type { RegisterCommand } from './index.js';

interface ScheduleOptions {
  readonly cron?: string;
  readonly tz?: string;
  readonly lagDays?: number;
  readonly list?: boolean;
  readonly remove?: boolean;
  readonly json?: boolean;
}

function parseLagDays(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 366) {
    throw new InvalidArgumentError('expected an integer from 0 to 366');
  }
  return n;
}

/**
 * `contrail schedule [--cron P] [--tz Z] [--lag-days N] | --list | --remove`: registers the
 * daily run with BullMQ's job scheduler on the orchestrator queue (idempotent; safe for every
 * replica to call at start-up), lists the registered schedulers or removes the daily run's.
 * The daily-run jobs are processed by `contrail worker --scheduler`.
 */
export const registerScheduleCommand: RegisterCommand = (program, context) => {
  program
    .command('schedule')
    .description(
      'register the daily run with the job scheduler (processed by `contrail worker --scheduler`)',
    )
    .option('--cron <pattern>', `cron pattern (default "${DEFAULT_DAILY_RUN_SCHEDULE.cron}")`)
    .option(
      '--tz <zone>',
      `IANA time zone of the pattern (default ${DEFAULT_DAILY_RUN_SCHEDULE.tz})`,
    )
    .option(
      '--lag-days <n>',
      `analyse the slot's UTC day minus n days (default ${DEFAULT_DAILY_RUN_SCHEDULE.lagDays}: yesterday)`,
      parseLagDays,
    )
    .option('--list', 'list the registered schedulers')
    .option('--remove', 'remove the daily run scheduler')
    .option('--json', 'with --list: JSON output')
    .action(async (options: ScheduleOptions) => {
      const mode = modeOf(options);
      const env = context.env();
      // Loaded here, not at start-up: other commands do not pay for BullMQ.
      const [scheduler, { openQueues }, { createRedisConnection, waitForRedis }] =
        await Promise.all([
          import('../../producer/daily-run-scheduler.js'),
          import('../../queue/contrail-queues.js'),
          import('../../queue/redis-connection.js'),
        ]);
      if (mode === 'upsert') nextSlotOrUsage(scheduler, options, Date.now());
      const connection = createRedisConnection({
        url: env.REDIS_URL,
        role: 'producer',
        connectionName: 'contrail-schedule',
      });
      try {
        await waitForRedis(connection, env.REDIS_URL, {
          notice: (message) => context.logger(program).info(message),
        });
        const queues = openQueues({ connection, prefix: env.CONTRAIL_QUEUE_PREFIX });
        try {
          const orchestrator = queues.queues.orchestrator;
          if (mode === 'list') {
            printList(context, await scheduler.listSchedulers(orchestrator), options);
          } else if (mode === 'remove') {
            const removed = await scheduler.removeDailyRunScheduler(orchestrator);
            context.stdout.write(
              removed ? 'daily run scheduler removed\n' : 'no daily run scheduler was registered\n',
            );
          } else await upsert(scheduler, context, orchestrator, options);
        } finally {
          await queues.close();
        }
      } finally {
        connection.disconnect();
      }
    });
};

type Mode = 'upsert' | 'list' | 'remove';

function modeOf(options: ScheduleOptions): Mode {
  const scheduleFlags = [options.cron, options.tz, options.lagDays].some((v) => v !== undefined);
  if (options.list === true && options.remove === true) {
    throw new UsageError('--list and --remove cannot be combined');
  }
  if ((options.list === true || options.remove === true) && scheduleFlags) {
    throw new UsageError('--cron, --tz and --lag-days only apply when registering the schedule');
  }
  if (options.json === true && options.list !== true) throw new UsageError('--json needs --list');
  return options.list === true ? 'list' : options.remove === true ? 'remove' : 'upsert';
}

function scheduleOf(options: ScheduleOptions) {
  return {
    cron: options.cron ?? DEFAULT_DAILY_RUN_SCHEDULE.cron,
    tz: options.tz ?? DEFAULT_DAILY_RUN_SCHEDULE.tz,
    lagDays: options.lagDays ?? DEFAULT_DAILY_RUN_SCHEDULE.lagDays,
  };
}

/** The scheduler module, loaded by the action. */
type Scheduler = typeof SchedulerModule;

function nextSlotOrUsage(scheduler: Scheduler, options: ScheduleOptions, nowMs: number): number {
  try {
    return scheduler.nextSlot(scheduleOf(options), nowMs);
  } catch (e) {
    const error = coerceError(e);
    if (error instanceof scheduler.InvalidScheduleError) throw new UsageError(error.message);
    throw error;
  }
}

async function upsert(
  scheduler: Scheduler,
  context: CliContext,
  orchestrator: Parameters<Scheduler['upsertDailyRunScheduler']>[0],
  options: ScheduleOptions,
): Promise<void> {
  const schedule = scheduleOf(options);
  const first = await scheduler.upsertDailyRunScheduler(orchestrator, schedule, Date.now());
  context.stdout.write(
    `daily run scheduled: cron "${schedule.cron}" (${schedule.tz}), analysing the slot's day - ` +
      `${schedule.lagDays}; next slot ${new Date(first).toISOString()}\n`,
  );
}

function printList(
  context: CliContext,
  entries: readonly SchedulerModule.SchedulerEntry[],
  options: ScheduleOptions,
): void {
  if (options.json === true) {
    context.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    return;
  }
  if (entries.length === 0) {
    context.stdout.write('no schedulers registered\n');
    return;
  }
  for (const e of entries) {
    const when =
      e.cron === null ? `every ${e.every ?? '?'} ms` : `cron "${e.cron}" (${e.tz ?? 'UTC'})`;
    context.stdout.write(
      `${e.id}: ${when}, lag ${e.lagDays ?? '?'} days, next ${e.next ?? 'none'}, ` +
        `${e.iterations ?? 0} slots so far\n`,
    );
  }
}
