import { availableParallelism } from 'node:os';
import path from 'node:path';

import { planAndEnqueue } from '../../producer/plan-and-enqueue.js';
import { collectFailures, formatFailure } from '../../producer/run-report.js';
import { waitForRun } from '../../producer/run-progress.js';
import { parseEnv } from '../../runtime/env.js';
import {
  hasRedisServerBinary,
  redisAnswers,
  startPrivateRedis,
  type PrivateRedis,
} from '../../runtime/private-redis.js';
import { openProducerSession } from '../../runtime/producer-session.js';
import { warehouseConfigFromEnv } from '../../runtime/open-warehouse.js';
import { redactRedisUrl } from '../../queue/redis-connection.js';
import { seedWarehouse } from '../../warehouse/synthetic/seed-warehouse.js';
import { resolveSeedOptions } from '../../warehouse/synthetic/seed-options.js';
import { createFolderExportTarget } from '../../worker/export-target.js';
import { startWorker } from '../../worker/start-worker.js';
import type { CliContext } from '../cli-context.js';
import { CommandFailure, EXIT } from '../exit-codes.js';
import { todayUtc } from '../parse-options.js';
import { formatExperimentSummary, summarizeExperiment } from '../results-summary.js';
import type { DemoOptions } from './demo.js';
import type { RegisterCommand } from './index.js';

/** The demo command's action: a private Redis if needed, then {@link demo}. */
export async function runDemo(
  context: CliContext,
  program: Parameters<RegisterCommand>[0],
  options: DemoOptions,
): Promise<void> {
  const redis = await ensureRedis(context);
  try {
    const url = redis?.url ?? context.env().REDIS_URL;
    const where = redis === null ? 'REDIS_URL' : 'a private redis-server';
    context.stdout.write(
      `Redis: ${redactRedisUrl(url)} (${where}), queue prefix: ${options.queuePrefix} (--queue-prefix)\n`,
    );
    await demo(context, program, options, redis?.url);
  } finally {
    await redis?.stop();
  }
}

/** Uses REDIS_URL when it answers; else starts a private redis-server; else explains. */
async function ensureRedis(context: CliContext): Promise<PrivateRedis | null> {
  const url = context.env().REDIS_URL;
  if (await redisAnswers(url)) return null;
  if (!hasRedisServerBinary()) {
    throw new CommandFailure(
      `Redis is not reachable at ${redactRedisUrl(url)} and no redis-server binary was found.\n` +
        'Start one with `docker compose up -d redis` (or install redis-server), or set REDIS_URL.',
    );
  }
  const redis = await startPrivateRedis();
  context.stdout.write(
    `Redis was not reachable at ${redactRedisUrl(url)}; started a private one on port ${redis.port} for the demo.\n`,
  );
  return redis;
}

async function demo(
  context: CliContext,
  program: Parameters<RegisterCommand>[0],
  options: DemoOptions,
  redisUrl: string | undefined,
): Promise<void> {
  // The demo's own prefix, never CONTRAIL_QUEUE_PREFIX (see DEMO_QUEUE_PREFIX).
  const env = parseEnv({
    ...context.rawEnv,
    ...(redisUrl === undefined ? {} : { REDIS_URL: redisUrl }),
    CONTRAIL_QUEUE_PREFIX: options.queuePrefix,
  });
  const logger = context.logger(program);
  const out = context.stdout;
  const dir = path.resolve(env.CONTRAIL_WAREHOUSE_DIR);
  out.write(`Seeding the embedded warehouse in ${dir} ...\n`);
  const manifest = await seedWarehouse(
    resolveSeedOptions({
      dir,
      ...(options.clients === undefined ? {} : { clients: options.clients }),
    }),
  );
  const concurrency =
    options.concurrency ?? env.CONTRAIL_WORKER_CONCURRENCY ?? availableParallelism();
  const worker = await startWorker({
    redisUrl: env.REDIS_URL,
    prefix: env.CONTRAIL_QUEUE_PREFIX,
    warehouse: warehouseConfigFromEnv(env),
    exports: createFolderExportTarget(env.CONTRAIL_EXPORTS_DIR),
    queues: ['enrollments', 'metric', 'finalize', 'export'],
    concurrency,
    logger,
    name: `contrail-demo-${process.pid}`,
  });
  const session = await openProducerSession(env, logger);
  try {
    await worker.ready;
    const date = manifest.demoDate;
    const { planned, enqueued } = await planAndEnqueue(
      session,
      logger,
      { date, today: todayUtc(context.now()) },
      { force: true, recreateEnrollments: true, now: new Date(context.now()) },
    );
    const jobs = enqueued.watch.reduce((n, u) => n + u.metrics.length, 0);
    out.write(
      `Analysing ${planned.plan.units.length} experiments on ${date}: ${enqueued.windows.length} windows, ${jobs} metric jobs, ${concurrency} worker threads\n`,
    );
    for (const skip of planned.excluded) out.write(`  skipped ${skip.slug}: ${skip.reason}\n`);
    const tty = (context.stderr as { isTTY?: boolean }).isTTY === true;
    const result = await waitForRun(session.queues, enqueued.watch, {
      out: context.stderr,
      tty,
      now: () => Date.now(),
    });
    const failures = await collectFailures(session.queues, enqueued.watch, result.failedJobs);
    out.write(`\n${result.completed}/${result.total} jobs completed, ${result.failed} failed\n\n`);
    for (const unit of planned.plan.units) {
      const item = planned.items.get(unit.experiment);
      const reference =
        item?.experiment.referenceBranch ??
        item?.experiment.experiment.branches[0]?.slug ??
        'control';
      out.write(
        formatExperimentSummary(
          await summarizeExperiment(session.warehouse.warehouse, unit.experiment, reference),
        ),
      );
      out.write('\n');
    }
    for (const failure of failures) out.write(`  ${formatFailure(failure)}\n`);
    out.write(
      `Statistics tables: ${path.join(dir, 'tables', 'contrail')}\n` +
        `JSON exports: ${path.resolve(env.CONTRAIL_EXPORTS_DIR)}\n` +
        `True effects: ${path.join(dir, 'manifest.json')}\n` +
        'Browse them with `contrail board --insecure-local` (http://127.0.0.1:3000/experiments);\n' +
        `the demo's queues in Bull Board with CONTRAIL_QUEUE_PREFIX=${options.queuePrefix}.\n`,
    );
    if (result.failed > 0) context.setExitCode(EXIT.failure);
  } finally {
    await session.close();
    await worker.close(10_000);
  }
}
