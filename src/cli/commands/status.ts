import { addDays, type IsoDate } from '../../analysis/iso-date.js';
import type {
  ExperimentStatus,
  RunStatus,
  StatusCounts,
  WindowStatus,
} from '../../producer/run-status.js';
import { STATUS_STATES } from '../../producer/run-status.js';
import type { CliContext } from '../cli-context.js';
import { EXIT } from '../exit-codes.js';
import { collect, dateOption, todayUtc } from '../parse-options.js';
import { requireKnownExperiments } from '../require-known-experiments.js';
import type { RegisterCommand } from './index.js';

interface StatusOptions {
  readonly date?: IsoDate;
  readonly experiment?: string[];
  readonly json?: boolean;
}

/**
 * `contrail status [--date D] [--experiment SLUG]... [--json]`: plans the run of date D (default
 * yesterday, the daily run's date) and reports, per experiment and window, what is queued,
 * running, done, failed or not enqueued, plus everything skipped and why. Exit 0 even when jobs
 * failed (it reports; `run --wait` is the command that fails); exit 2 for an unknown
 * `--experiment`, exit 1 when an experiment cannot be planned (its error is printed).
 */
export const registerStatusCommand: RegisterCommand = (program, context) => {
  program
    .command('status')
    .description('what is queued, running, done, failed and skipped for a run date')
    .option(
      '--date <date>',
      'run date: YYYY-MM-DD, today or yesterday (default yesterday, UTC); not after today',
      dateOption(context.now),
    )
    .option('--experiment <slug>', 'only this experiment (repeatable)', collect)
    .option('--json', 'print the status as JSON')
    .action(async (options: StatusOptions) => {
      const logger = context.logger(program);
      // Loaded here, not at start-up: other commands do not pay for BullMQ and the warehouse.
      const [{ openProducerSession }, { planRun }, { readRunStatus }] = await Promise.all([
        import('../../runtime/producer-session.js'),
        import('../../producer/plan-run.js'),
        import('../../producer/read-run-status.js'),
      ]);
      const session = await openProducerSession(context.env(), logger);
      try {
        const today = todayUtc(context.now());
        await requireKnownExperiments(session.source, options.experiment, today);
        const planned = await planRun(
          { source: session.source, metricHub: session.metricHub, logger },
          {
            date: options.date ?? addDays(today, -1),
            today,
            ...(options.experiment === undefined ? {} : { experiments: options.experiment }),
          },
        );
        const status = await readRunStatus(
          { queues: session.queues, warehouse: session.warehouse.warehouse },
          planned,
        );
        if (options.json === true) context.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
        else printStatus(context, status);
        if (status.problems.length > 0) context.setExitCode(EXIT.failure);
      } finally {
        await session.close();
      }
    });
};

/** `3 done, 1 failed` (zero counts left out; `none` when all are zero). */
function formatCounts(counts: StatusCounts): string {
  const parts = STATUS_STATES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

function printStatus(context: CliContext, status: RunStatus): void {
  const out = context.stdout;
  out.write(
    `${status.date}: ${status.experiments.length} experiments, windows: ${formatCounts(status.windows)}\n`,
  );
  for (const experiment of status.experiments) printExperiment(context, experiment);
  for (const skip of status.skipped) {
    const where = [skip.experiment, skip.period, skip.metric].filter((p) => p !== null).join(' / ');
    out.write(`skipped ${where}: ${skip.reason}\n`);
  }
  for (const problem of status.problems) {
    out.write(`error ${problem.experiment ?? '?'}: ${problem.message}\n`);
  }
}

function printExperiment(context: CliContext, experiment: ExperimentStatus): void {
  const out = context.stdout;
  out.write(
    `${experiment.experiment}: enrollments ${experiment.enrollments.state}, export ${experiment.export.state}\n`,
  );
  for (const job of [experiment.enrollments, experiment.export]) {
    if (job.state === 'failed') out.write(`    ${job.id} failed: ${job.reason ?? '?'}\n`);
  }
  for (const window of experiment.windows) printWindow(context, window);
}

function printWindow(context: CliContext, window: WindowStatus): void {
  const out = context.stdout;
  const label = `${window.period} ${window.windowIndex}`.padEnd(24);
  const statistics =
    window.failedStatistics > 0 ? `; ${window.failedStatistics} statistics failed` : '';
  out.write(
    `  ${label} ${window.state.padEnd(12)} metrics: ${formatCounts(window.metrics)}${statistics}\n`,
  );
  for (const failed of window.failedMetrics) {
    out.write(`    metric ${failed.metric} failed: ${failed.reason}\n`);
  }
}
