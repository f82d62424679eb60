import type { Command } from 'commander';

import { coerceError } from '../../analysis/coerce-error.js';
import {
  readStatisticInputFile,
  StatisticInputError,
  type StatisticInputTable,
} from '../../runtime/statistic-input-file.js';
import { StatsThreadPool } from '../../runtime/stats-thread-pool.js';
import {
  computeStatistics,
  computeStatisticsWith,
  parsePreTreatmentParams,
  parseStatisticParams,
  StatisticParameterError,
  type StatisticsResult,
} from '../../stats/index.js';
import type { StatisticName, StatisticSpec } from '../../stats/statistic-spec.js';
import type { CliContext } from '../cli-context.js';
import { CommandFailure, UsageError } from '../exit-codes.js';
import type { RegisterCommand } from './index.js';
import { overflowWarnings } from './stats-overflow.js';
import { checkReferenceBranch } from './stats-reference.js';
import {
  hasConfidenceInterval,
  parseConfidenceInterval,
  parseIntegerFlag,
  parseParamPairs,
  parsePreTreatmentFlag,
  parseStatisticName,
} from './stats-options.js';

interface StatsOptions {
  input: string;
  statistic: string;
  param: string[];
  preTreatment: string[];
  reference?: string;
  confidenceInterval?: string;
  seed?: string;
  metric: string;
  threads: string;
}

const HELP = `
Input: CSV with a header containing branch and value (optional covariate; population_ratio also
reads the columns named by its numerator and denominator params), or NDJSON with the same
fields. Empty cells, null and NaN are null; true/false are 1/0.

Params: --param key=value, repeatable; values are numbers, true/false, null or text. Nested
params use dots: --param covariate_adjustment.period=preenrollment_week
Pre-treatments: --pre-treatment NAME[:key=value,...], repeatable, applied in order, e.g.
  --pre-treatment remove_nulls --pre-treatment censor_highest_values:fraction=0.999

Numbers are decimal only (0x10, 1_000 are errors naming the line and column). num_samples is
capped at 1,000,000 and grid_size at 10,000; --threads at 64.

Output: the rows as one JSON array on stdout (segment "all", analysis_basis "enrollments").
Without --reference every branch is compared with every other branch. A row whose point or
bound is not finite (a statistic that overflowed, e.g. values near 1e308) prints null there, is
named in a warning on stderr and makes the exit code 1.
Exit codes: 0 ok, 1 bad input, a failed or overflowed statistic, 2 bad flags (and a --reference
that is not a branch of the input; nothing is printed on stdout then).

Example:
  contrail stats --input clients.csv --statistic bootstrap_mean --param num_samples=2000 \\
    --reference control --seed 7 --threads 2`;

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** The statistic spec of the flags, validated against the statistic's param schema. */
function specOf(name: StatisticName, options: StatsOptions): StatisticSpec {
  const params = parseParamPairs(options.param, '--param');
  if (options.confidenceInterval !== undefined) {
    if (!hasConfidenceInterval(name)) {
      throw new UsageError(`--confidence-interval does not apply to ${name}`);
    }
    params.confidence_interval = parseConfidenceInterval(options.confidenceInterval);
  }
  const preTreatments = options.preTreatment.map(parsePreTreatmentFlag);
  try {
    const parsed = parseStatisticParams(name, params);
    for (const p of preTreatments) parsePreTreatmentParams(p.name, p.params);
    return { name, params: parsed, preTreatments };
  } catch (e) {
    const error = coerceError(e);
    if (error instanceof StatisticParameterError) throw new CommandFailure(error.message);
    throw error;
  }
}

/** Columns the statistic reads from the file. */
function inputColumns(spec: StatisticSpec): { required: string[]; optional: string[] } {
  const required = ['value'];
  if (spec.name === 'population_ratio') {
    required.push(String(spec.params.numerator), String(spec.params.denominator));
  }
  return { required, optional: ['covariate'] };
}

function loadInput(path: string, spec: StatisticSpec): StatisticInputTable {
  try {
    return readStatisticInputFile(path, inputColumns(spec));
  } catch (e) {
    const error = coerceError(e);
    if (error instanceof StatisticInputError) throw new CommandFailure(error.message);
    throw error;
  }
}

/** Most worker threads `--threads` takes (each loads the statistics modules and its own heap). */
const MAX_THREADS = 64;

async function compute(
  table: StatisticInputTable,
  spec: StatisticSpec,
  options: StatsOptions,
  pool: StatsThreadPool | null,
): Promise<StatisticsResult> {
  const input = {
    metric: options.metric,
    period: 'overall' as const,
    slice: table.slice,
    statistics: [spec],
    referenceBranch: options.reference ?? null,
    ...(options.seed === undefined
      ? {}
      : { seed: parseIntegerFlag(options.seed, '--seed', 0, 4294967295) }),
  };
  return pool === null ? computeStatistics(input) : computeStatisticsWith(input, pool.runner);
}

/**
 * Starts the worker threads (they load the statistics modules) while the caller loads the input;
 * null for one thread. A start-up failure is reported when the pool is awaited.
 */
function warmPool(threads: number): Promise<StatsThreadPool> | null {
  if (threads <= 1) return null;
  const starting = StatsThreadPool.create({ threads });
  starting.catch(() => undefined); // awaited (and its error reported) after the input loads
  return starting;
}

/** Closes a pool that was started, whether or not it started. */
async function closePool(starting: Promise<StatsThreadPool> | null): Promise<void> {
  if (starting === null) return;
  try {
    await (await starting).close();
  } catch (e) {
    coerceError(e); // a pool that failed to start has nothing to close
  }
}

async function runStats(
  program: Command,
  context: CliContext,
  options: StatsOptions,
): Promise<void> {
  const logger = context.logger(program);
  const threads = parseIntegerFlag(options.threads, '--threads', 1, MAX_THREADS);
  if (options.seed !== undefined) parseIntegerFlag(options.seed, '--seed', 0, 4294967295);
  const spec = specOf(parseStatisticName(options.statistic), options);
  const started = performance.now();
  const starting = warmPool(threads);
  let result: StatisticsResult;
  let table: StatisticInputTable;
  try {
    table = loadInput(options.input, spec);
    const loaded = performance.now();
    logger.info({ rows: table.rows, ms: Math.round(loaded - started) }, 'input loaded');
    checkReferenceBranch(options.reference, table.slice, options.input);
    result = await compute(table, spec, options, starting === null ? null : await starting);
    logger.info(
      { rows: result.rows.length, ms: Math.round(performance.now() - loaded) },
      'statistic computed',
    );
  } finally {
    await closePool(starting);
  }
  for (const warning of result.warnings) {
    logger.warn({ statistic: warning.statistic }, warning.message);
  }
  context.stdout.write(`${JSON.stringify(result.rows, null, 2)}\n`);
  const overflowed = overflowWarnings(result.rows, table.slice);
  for (const warning of overflowed) {
    context.stderr.write(`contrail: warning: ${options.input}: ${warning}\n`);
  }
  // Rows that should hold numbers but hold null were not computed: not a success (exit 1).
  if (overflowed.length > 0) context.setExitCode(1);
  for (const failure of result.failures) {
    const reference =
      failure.referenceBranch === null ? '' : ` (reference ${failure.referenceBranch})`;
    context.stderr.write(
      `contrail: ${options.input}: ${failure.statistic}${reference}: ${failure.errorClass}: ${failure.message}\n`,
    );
  }
  if (result.failures.length > 0) context.setExitCode(1);
}

/** `contrail stats`: one statistic on a CSV/NDJSON file of per-client values. */
export const registerStatsCommand: RegisterCommand = (program, context) => {
  program
    .command('stats')
    .description('compute one statistic on a CSV/NDJSON file of per-client values, rows as JSON')
    .requiredOption('--input <file>', 'CSV or NDJSON file with branch, value[, covariate] columns')
    .requiredOption('--statistic <name>', 'statistic config name, e.g. bootstrap_mean')
    .option(
      '--param <key=value>',
      'statistic parameter (repeatable, dotted keys nest)',
      collect,
      [],
    )
    .option('--pre-treatment <name[:key=value,...]>', 'pre-treatment (repeatable)', collect, [])
    .option('--reference <branch>', 'compare every branch with this one only')
    .option('--confidence-interval <width>', 'interval width, e.g. 0.95')
    .option('--seed <n>', 'seed (0..4294967295); default: a hash of metric and statistic')
    .option('--metric <name>', 'metric name written in the rows', 'value')
    .option('--threads <n>', 'worker threads for bootstraps (needs `npm run build`)', '1')
    .addHelpText('after', HELP)
    .action(async (options: StatsOptions) => runStats(program, context, options));
};
