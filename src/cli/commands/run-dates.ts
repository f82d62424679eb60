import type { Logger } from 'pino';

import type { IsoDate } from '../../analysis/iso-date.js';
import type { EnqueueResult, WindowOutcome } from '../../producer/enqueue-run.js';
import { createDataReadiness } from '../../producer/data-readiness.js';
import { describeLostJobs } from '../../producer/lost-jobs.js';
import { planAndEnqueue } from '../../producer/plan-and-enqueue.js';
import type { PlannedRun } from '../../producer/plan-run.js';
import { collectFailures, formatFailure } from '../../producer/run-report.js';
import { waitForRun, type WaitResult } from '../../producer/run-progress.js';
import { formatStillQueued } from '../../producer/still-queued.js';
import { redactRedisUrl } from '../../queue/redis-connection.js';
import { openProducerSession, type ProducerSession } from '../../runtime/producer-session.js';
import type { CliContext } from '../cli-context.js';
import { EXIT } from '../exit-codes.js';
import { onInterrupt } from '../on-interrupt.js';
import { todayUtc } from '../parse-options.js';
import { recoveryCommand } from '../recovery-command.js';
import { requireKnownExperiments } from '../require-known-experiments.js';
import type { RegisterCommand } from './index.js';
import type { RunOptions } from './run.js';

/** Opens a producer session, runs {@link runDatesIn} and closes the session. */
export async function runDates(
  context: CliContext,
  program: Parameters<RegisterCommand>[0],
  dates: readonly IsoDate[],
  options: RunOptions,
): Promise<void> {
  const logger = context.logger(program);
  const session = await openProducerSession(context.env(), logger);
  try {
    await requireKnownExperiments(session.source, options.experiment, todayUtc(context.now()));
    await runDatesIn(context, session, logger, dates, options);
  } finally {
    await session.close();
  }
}

/**
 * Plans and enqueues each date in order; with `--wait`, waits for each before the next (Ctrl-C
 * stops there: the later dates are not enqueued). The data-readiness probes are shared by every
 * date (each data source and day is probed once), and `--recreate-enrollments` rebuilds the
 * enrollments tables with the first date only.
 */
export async function runDatesIn(
  context: CliContext,
  session: ProducerSession,
  logger: Logger,
  dates: readonly IsoDate[],
  options: RunOptions,
): Promise<void> {
  const readiness = createDataReadiness(session.warehouse.warehouse, logger);
  for (const [index, date] of dates.entries()) {
    const { planned, enqueued } = await planAndEnqueue(
      session,
      logger,
      {
        date,
        today: todayUtc(context.now()),
        ...(options.experiment === undefined ? {} : { experiments: options.experiment }),
        ...(options.period === undefined ? {} : { periods: options.period }),
        ...(options.metric === undefined ? {} : { metrics: options.metric }),
      },
      {
        force: options.force === true || options.statisticsOnly === true,
        // Once, with the first date: each date has its own enrollments job, and later dates'
        // jobs dropping the table again would race with the first date's readers.
        recreateEnrollments: options.recreateEnrollments === true && index === 0,
        statisticsOnly: options.statisticsOnly === true,
        ...(options.sqlOutputDir === undefined ? {} : { sqlOutputDir: options.sqlOutputDir }),
        now: new Date(context.now()),
        readiness,
      },
    );
    printPlan(context, date, planned, enqueued);
    if (planned.problems.length + enqueued.failed.length > 0 || notEnqueued(enqueued)) {
      context.setExitCode(EXIT.failure);
    }
    if (options.wait !== true) continue;
    if ((await waitAndReport(context, session, date, enqueued, options)) === 'interrupted') break;
  }
  const spent = readiness.spent();
  logger.info({ queries: spent.queries, ...spent.cost }, 'data readiness probes');
}

/** How the run report names each window outcome. */
const OUTCOME_LABEL: Readonly<Record<WindowOutcome, string>> = {
  enqueued: 'enqueued',
  done: 'done',
  'in-progress': 'in progress',
  blocked: 'blocked',
  'not-ready': 'not ready',
};

/**
 * True when a window that needs work was left out (blocked, or its data not ready), so the run
 * did not analyse everything it planned: the command exits 1.
 */
function notEnqueued(enqueued: EnqueueResult): boolean {
  return enqueued.windows.some((w) => w.outcome === 'blocked' || w.outcome === 'not-ready');
}

function printPlan(
  context: CliContext,
  date: IsoDate,
  planned: PlannedRun,
  enqueued: EnqueueResult,
): void {
  const out = context.stdout;
  const count = (outcome: string) => enqueued.windows.filter((w) => w.outcome === outcome).length;
  const metrics = planned.plan.units.reduce(
    (n, u) => n + u.groups.reduce((m, g) => m + g.tasks.length, 0),
    0,
  );
  const extra = (['blocked', 'not-ready'] as const)
    .filter((outcome) => count(outcome) > 0)
    .map((outcome) => `, ${count(outcome)} ${OUTCOME_LABEL[outcome]}`)
    .join('');
  out.write(
    `${date}: ${planned.plan.units.length} experiments, ${enqueued.windows.length} windows, ${metrics} metric jobs planned; ` +
      `${count('enqueued')} windows enqueued, ${count('done')} already done, ${count('in-progress')} in progress${extra}\n`,
  );
  for (const window of enqueued.windows) {
    if (window.reason === undefined) continue;
    const where = `${window.experiment} / ${window.period} ${window.windowIndex}`;
    out.write(`  ${OUTCOME_LABEL[window.outcome]} ${where}: ${window.reason}\n`);
  }
  for (const skip of planned.plan.skipped) {
    const where = [skip.experiment, skip.period, skip.metric].filter((p) => p !== null).join(' / ');
    out.write(`  skipped ${where}: ${skip.reason}\n`);
  }
  for (const skip of planned.excluded) out.write(`  skipped ${skip.slug}: ${skip.reason}\n`);
  for (const problem of planned.problems) {
    out.write(`  error ${problem.experiment ?? '?'}: ${problem.message}\n`);
  }
  for (const failed of enqueued.failed) {
    out.write(`  error ${failed.experiment}: ${failed.message}\n`);
  }
}

/**
 * Waits for one date's run and reports it: failures, jobs Redis lost (with the command that
 * enqueues them again), or, on Ctrl-C, what stays queued (exit 130).
 */
async function waitAndReport(
  context: CliContext,
  session: ProducerSession,
  date: IsoDate,
  enqueued: EnqueueResult,
  options: RunOptions,
): Promise<'done' | 'interrupted'> {
  const result = await waitUntilInterrupted(context, session, enqueued, options);
  if (result.interrupted) {
    context.stdout.write(`${formatStillQueued(date, result)}\n`);
    context.setExitCode(EXIT.interrupted);
    return 'interrupted';
  }
  const failures = await collectFailures(session.queues, enqueued.watch, result.failedJobs);
  // Lost: the jobs gone from Redis and the ones they would have added; none of them will run.
  const unfinished = result.total - result.completed - result.failed;
  const lost = result.lost.length > 0 ? `, ${unfinished} lost` : '';
  context.stdout.write(
    `${result.completed}/${result.total} jobs completed, ${result.failed} failed${lost}\n`,
  );
  for (const failure of failures) context.stdout.write(`  ${formatFailure(failure)}\n`);
  if (result.lost.length > 0) reportLost(context, date, enqueued, result, options);
  if (result.timedOut) context.stdout.write('  timed out waiting for the run\n');
  if (failures.length > 0 || result.failed > 0 || result.timedOut || result.lost.length > 0) {
    context.setExitCode(EXIT.failure);
  }
  return 'done';
}

/**
 * {@link waitForRun} with progress on stderr, the no-worker hint naming where workers must
 * connect, and Ctrl-C ending the wait (the result says `interrupted`).
 */
async function waitUntilInterrupted(
  context: CliContext,
  session: ProducerSession,
  enqueued: EnqueueResult,
  options: RunOptions,
): Promise<WaitResult> {
  const env = context.env();
  const interrupt = new AbortController();
  const stopListening = onInterrupt(() => interrupt.abort());
  try {
    return await waitForRun(session.queues, enqueued.watch, {
      out: context.stderr,
      tty: (context.stderr as { isTTY?: boolean }).isTTY === true,
      now: () => Date.now(),
      signal: interrupt.signal,
      workersWhere: `REDIS_URL=${redactRedisUrl(env.REDIS_URL)}, CONTRAIL_QUEUE_PREFIX=${env.CONTRAIL_QUEUE_PREFIX}`,
      ...(options.timeout === undefined ? {} : { timeoutMs: options.timeout * 1000 }),
    });
  } finally {
    stopListening();
  }
}

/** Says which jobs Redis lost and prints the command that enqueues them again (issue 13, case 8). */
function reportLost(
  context: CliContext,
  date: IsoDate,
  enqueued: EnqueueResult,
  result: WaitResult,
  options: RunOptions,
): void {
  const out = context.stdout;
  for (const line of describeLostJobs(enqueued.watch, result.lost)) out.write(`  lost ${line}\n`);
  const lostIds = new Set(result.lost.map((ref) => ref.id));
  const hit = new Set(
    enqueued.watch
      .filter((unit) =>
        [unit.enrollments, unit.export, ...unit.finalize, ...unit.metrics].some((ref) =>
          lostIds.has(ref.id),
        ),
      )
      .map((unit) => unit.experiment),
  );
  // Every planned experiment lost jobs: the original selection says it best (none = all).
  const planned = new Set(enqueued.windows.map((w) => w.experiment));
  const experiments = [...planned].every((slug) => hit.has(slug))
    ? (options.experiment ?? [])
    : [...hit];
  out.write(
    '  Redis no longer has them (flushed, restarted without persistence, or keys evicted): ' +
      'neither they nor the jobs they would have added will run. Enqueue them again with:\n' +
      `    ${recoveryCommand(date, experiments, options)}\n`,
  );
}
