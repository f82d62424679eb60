import { availableParallelism } from 'node:os';

import { InvalidArgumentError } from 'commander';

import { isQueueName, QUEUE_NAMES, type QueueName } from '../../queue/queue-names.js';
import { warehouseConfigFromEnv } from '../../runtime/open-warehouse.js';
import { parsePositiveInt } from '../parse-options.js';
import type { RegisterCommand } from './index.js';

interface WorkerOptions {
  readonly concurrency?: number;
  readonly queues?: QueueName[];
  readonly healthPort?: number;
  readonly gracePeriod: number;
  readonly lockDuration?: number;
  readonly stalledInterval?: number;
  readonly maxStalledCount?: number;
  readonly jobTimeout?: number;
  readonly scheduler?: boolean;
}

/** `--queues` (default: every queue but the orchestrator), plus the orchestrator with `--scheduler`. */
function workerQueues(options: WorkerOptions): QueueName[] {
  const queues = options.queues ?? QUEUE_NAMES.filter((q) => q !== 'orchestrator');
  return options.scheduler === true && !queues.includes('orchestrator')
    ? [...queues, 'orchestrator']
    : queues;
}

function parseQueues(value: string): QueueName[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const bad = names.filter((name) => !isQueueName(name));
  if (bad.length > 0) {
    throw new InvalidArgumentError(
      `unknown queue ${bad.join(', ')}; one of ${QUEUE_NAMES.join(', ')}`,
    );
  }
  return names as QueueName[];
}

/**
 * `contrail worker`: BullMQ workers for the contrail queues; metric jobs run in worker threads.
 * SIGTERM/SIGINT drain in-flight jobs within the grace period, then the process exits.
 */
export const registerWorkerCommand: RegisterCommand = (program, context) => {
  program
    .command('worker')
    .description('work on the queues: metric jobs in worker threads, enrollments, finalize, export')
    .option(
      '--concurrency <n>',
      'metric jobs in parallel (default: $CONTRAIL_WORKER_CONCURRENCY or the CPUs)',
      parsePositiveInt,
    )
    .option(
      '--queues <names>',
      `comma-separated queues (default: ${QUEUE_NAMES.filter((q) => q !== 'orchestrator').join(',')})`,
      parseQueues,
    )
    .option('--health-port <port>', 'serve /livez and /readyz on this port', Number)
    .option(
      '--grace-period <seconds>',
      'on SIGTERM, wait this long for active jobs before handing them back',
      parsePositiveInt,
      60,
    )
    .option(
      '--lock-duration <ms>',
      'lock of an active job (renewed at half of it)',
      parsePositiveInt,
    )
    .option('--stalled-interval <ms>', 'how often stalled jobs are looked for', parsePositiveInt)
    .option(
      '--max-stalled-count <n>',
      'stalls (the worker holding a job died) a job survives before it fails (default 2)',
      parsePositiveInt,
    )
    .option('--job-timeout <seconds>', 'wall-clock limit of one metric job', parsePositiveInt)
    .option(
      '--scheduler',
      "also work on the orchestrator queue: the job scheduler's daily runs (see `contrail schedule`)",
    )
    .action(async (options: WorkerOptions) => {
      const env = context.env();
      const logger = context.logger(program);
      const concurrency =
        options.concurrency ?? env.CONTRAIL_WORKER_CONCURRENCY ?? availableParallelism();
      const queues = workerQueues(options);
      // Fail fast, with the message of every other command, when Redis does not answer at
      // start (before loading BullMQ and the warehouse); once running, outages are logged once
      // each (lost / restored) while the connections reconnect.
      const { requireRedis } = await import('../../queue/redis-connection.js');
      await requireRedis(env.REDIS_URL, { notice: (message) => logger.info(message) });
      // Loaded here, not at start-up: other commands do not pay for BullMQ and the warehouse.
      const [{ startWorker }, { createFolderExportTarget }, { createDailyRunProcessor }, session] =
        await Promise.all([
          import('../../worker/start-worker.js'),
          import('../../worker/export-target.js'),
          import('../../producer/daily-run.js'),
          import('../../runtime/producer-session.js'),
        ]);
      const worker = await startWorker({
        redisUrl: env.REDIS_URL,
        prefix: env.CONTRAIL_QUEUE_PREFIX,
        warehouse: warehouseConfigFromEnv(env),
        exports: createFolderExportTarget(env.CONTRAIL_EXPORTS_DIR),
        queues,
        concurrency,
        logger,
        // The orchestrator queue (named in --queues or added by --scheduler) runs the daily run.
        ...(queues.includes('orchestrator')
          ? {
              dailyRun: createDailyRunProcessor({
                openSession: () => session.openProducerSession(env, logger),
                logger,
              }),
            }
          : {}),
        name: `contrail-worker-${process.pid}`,
        ...(options.healthPort === undefined ? {} : { healthPort: options.healthPort }),
        ...(options.lockDuration === undefined ? {} : { lockDurationMs: options.lockDuration }),
        ...(options.stalledInterval === undefined
          ? {}
          : { stalledIntervalMs: options.stalledInterval }),
        ...(options.maxStalledCount === undefined
          ? {}
          : { maxStalledCount: options.maxStalledCount }),
        ...(options.jobTimeout === undefined ? {} : { jobTimeoutMs: options.jobTimeout * 1000 }),
      });
      await worker.ready;
      logger.info({ concurrency, queues }, 'worker ready');
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          logger.info({ signal, graceSeconds: options.gracePeriod }, 'shutting down');
          void worker.close(options.gracePeriod * 1000).then(resolve);
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
      logger.info('worker stopped');
    });
};
