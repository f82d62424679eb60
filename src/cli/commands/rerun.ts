import type { IsoDate } from '../../analysis/iso-date.js';
import { addDays, compareIsoDates, daysBetween } from '../../analysis/iso-date.js';
import { tryResolveAnalysisConfig } from '../../config/resolve-analysis-config.js';
import { effectiveExperiment } from '../../experiments/effective-experiment.js';
import type { ProducerSession } from '../../runtime/producer-session.js';
import { CommandFailure, UsageError } from '../exit-codes.js';
import {
  collect,
  dateOption,
  parsePeriodOption,
  parsePositiveInt,
  todayUtc,
} from '../parse-options.js';
import { requireKnownExperiments } from '../require-known-experiments.js';
import type { RegisterCommand } from './index.js';
import { addComputeOptions, type RunOptions } from './run.js';

interface RerunOptions extends RunOptions {
  readonly experiment: string[];
  readonly from?: IsoDate;
  readonly to?: IsoDate;
}

/** A rerun longer than this many dates needs `--from`/`--to` (a guard against typos). */
const MAX_DATES = 400;

/**
 * `contrail rerun --experiment SLUG [--from D1] [--to D2] [--period P]... [--metric M]...`:
 * recomputes every date from the experiment's start to min(end, yesterday) — or the given range —
 * for the given slice only. Windows outside the slice keep their rows (metric-level reruns).
 */
export const registerRerunCommand: RegisterCommand = (program, context) => {
  const command = program
    .command('rerun')
    .description(
      'recompute an experiment over a range of dates, optionally only some periods or metrics',
    )
    .requiredOption('--experiment <slug>', 'the experiment (repeatable)', collect)
    .option(
      '--from <date>',
      'first date (default: the experiment start); not after today',
      dateOption(context.now),
    )
    .option(
      '--to <date>',
      'last date (default: min(end date, yesterday)); not after today',
      dateOption(context.now),
    )
    .option('--period <period>', 'only this analysis period (repeatable)', parsePeriodOption)
    .option('--metric <metric>', 'only this metric (repeatable)', collect)
    .option(
      '--wait',
      'wait for each date before the next, with progress; exit 1 if anything failed',
    )
    .option('--recreate-enrollments', 'drop and rebuild the enrollments tables first')
    .option(
      '--timeout <seconds>',
      'with --wait: give up on a date after this long',
      parsePositiveInt,
    );
  addComputeOptions(command).action(async (options: RerunOptions) => {
    const logger = context.logger(program);
    // Loaded here, not at start-up: other commands do not pay for BullMQ and the warehouse.
    const [{ openProducerSession }, { runDatesIn }] = await Promise.all([
      import('../../runtime/producer-session.js'),
      import('./run-dates.js'),
    ]);
    const session = await openProducerSession(context.env(), logger);
    try {
      const today = todayUtc(context.now());
      await requireKnownExperiments(session.source, options.experiment, today);
      for (const slug of options.experiment) {
        const dates = await rerunDates(session, slug, options, today);
        context.stdout.write(
          `${slug}: rerunning ${dates.length} dates (${dates[0] ?? '-'} .. ${dates.at(-1) ?? '-'})\n`,
        );
        await runDatesIn(context, session, logger, dates, {
          ...options,
          experiment: [slug],
          force: true,
        });
      }
    } finally {
      await session.close();
    }
  });
};

async function rerunDates(
  session: ProducerSession,
  slug: string,
  options: RerunOptions,
  today: IsoDate,
): Promise<IsoDate[]> {
  const experiment = await session.source.getExperiment(slug, today);
  const resolved = tryResolveAnalysisConfig(session.metricHub, experiment);
  if (resolved.config === null) {
    throw new CommandFailure(resolved.problems.map((p) => String(p)).join('\n'));
  }
  const effective = effectiveExperiment(experiment, resolved.config.experiment);
  const from = options.from ?? effective.startDate;
  if (from === null) throw new CommandFailure(`${slug} has no start date; give --from`);
  const yesterday = addDays(today, -1);
  const end =
    effective.endDate === null || compareIsoDates(effective.endDate, yesterday) > 0
      ? yesterday
      : effective.endDate;
  const to = options.to ?? end;
  const count = daysBetween(from, to) + 1;
  if (count <= 0) throw new UsageError(`--from ${from} is after --to ${to}`);
  if (count > MAX_DATES) {
    throw new UsageError(`${count} dates from ${from} to ${to}; narrow the range with --from/--to`);
  }
  return Array.from({ length: count }, (_, i) => addDays(from, i));
}
