import type { AnalysisPeriod } from '../../analysis/analysis-period.js';
import type { IsoDate } from '../../analysis/iso-date.js';
import { collect, dateOption, parsePeriodOption, parsePositiveInt } from '../parse-options.js';
import path from 'node:path';

import type { Command } from 'commander';

import type { RegisterCommand } from './index.js';

/** Options shared by `run` and `rerun`. */
export interface RunOptions {
  readonly experiment?: string[];
  readonly period?: AnalysisPeriod[];
  readonly metric?: string[];
  readonly wait?: boolean;
  readonly force?: boolean;
  readonly recreateEnrollments?: boolean;
  readonly timeout?: number;
  readonly statisticsOnly?: boolean;
  readonly sqlOutputDir?: string;
}

/** The options `run` and `rerun` share: how windows are computed. */
export function addComputeOptions<C extends { option: Command['option'] }>(command: C): C {
  command
    .option(
      '--statistics-only',
      'recompute the statistics of the selected windows from their existing metrics tables (no telemetry is read); implies recomputing windows that are done',
    )
    .option(
      '--sql-output-dir <dir>',
      'write every SQL statement the metrics stage runs to DIR, one file per table (DIR must be reachable by the workers)',
      (dir: string) => path.resolve(dir),
    );
  return command;
}

/** `contrail run --date D [--experiment SLUG]... [--period P]... [--metric M]... [--wait] [--force]`. */
export const registerRunCommand: RegisterCommand = (program, context) => {
  const command = program
    .command('run')
    .description(
      'plan the analyses due on a date and enqueue them (one job per experiment, window and metric)',
    )
    .requiredOption(
      '--date <date>',
      'run date: YYYY-MM-DD, today or yesterday (UTC); not after today',
      dateOption(context.now),
    )
    .option('--experiment <slug>', 'only this experiment (repeatable)', collect)
    .option('--period <period>', 'only this analysis period (repeatable)', parsePeriodOption)
    .option('--metric <metric>', 'only this metric (repeatable)', collect)
    .option('--wait', 'wait for the run, with progress; exit 1 if anything failed')
    .option('--force', 'recompute and replace windows that are already done')
    .option('--recreate-enrollments', 'drop and rebuild the enrollments tables')
    .option('--timeout <seconds>', 'with --wait: give up after this long', parsePositiveInt);
  addComputeOptions(command).action(async (options: RunOptions & { date: IsoDate }) => {
    // Loaded here, not at start-up: other commands do not pay for BullMQ and the warehouse.
    const { runDates } = await import('./run-dates.js');
    await runDates(context, program, [options.date], options);
  });
};
