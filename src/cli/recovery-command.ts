import type { RunOptions } from './commands/run.js';

/** `value` as one shell word (quoted only when it needs to be). */
function shellWord(value: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The `contrail run` command line that enqueues again what a run lost (issue 13, case 8): the
 * same date, the experiments that lost jobs, and the options of the original command that
 * decide what is computed (periods, metrics, `--force`, `--statistics-only`, ...), with `--wait`.
 * Windows that finished before the loss are left alone unless the original run forced them.
 */
export function recoveryCommand(
  date: string,
  experiments: readonly string[],
  options: RunOptions,
): string {
  const words = ['contrail', 'run', '--date', date];
  for (const slug of experiments) words.push('--experiment', slug);
  for (const period of options.period ?? []) words.push('--period', period);
  for (const metric of options.metric ?? []) words.push('--metric', metric);
  if (options.force === true) words.push('--force');
  if (options.recreateEnrollments === true) words.push('--recreate-enrollments');
  if (options.statisticsOnly === true) words.push('--statistics-only');
  if (options.sqlOutputDir !== undefined) words.push('--sql-output-dir', options.sqlOutputDir);
  words.push('--wait');
  if (options.timeout !== undefined) words.push('--timeout', String(options.timeout));
  return words.map(shellWord).join(' ');
}
