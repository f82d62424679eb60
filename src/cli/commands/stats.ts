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

Output: the rows as one JSON array on stdout (segment "all", analysis_basis "enrollments").
Without --reference every branch is compared with every other branch.
Exit codes: 0 ok, 1 bad input or a failed statistic, 2 bad flags.

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

async function compute(
  table: StatisticInputTable,
  spec: StatisticSpec,
  options: StatsOptions,
  threads: number,
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
  if (threads <= 1) return computeStatistics(input);
  const pool = await StatsThreadPool.create({ threads });
  try {
    return await computeStatisticsWith(input, pool.runner);
  } finally {
    await pool.close();
  }
}

async function runStats(
  program: Command,
  context: CliContext,
  options: StatsOptions,
): Promise<void> {
  const logger = context.logger(program);
  const threads = parseIntegerFlag(options.threads, '--threads', 1, 256);
  if (options.seed !== undefined) parseIntegerFlag(options.seed, '--seed', 0, 4294967295);
  const spec = specOf(parseStatisticName(options.statistic), options);
  const started = performance.now();
  const table = loadInput(options.input, spec);
  const loaded = performance.now();
  logger.info({ rows: table.rows, ms: Math.round(loaded - started) }, 'input loaded');
  const result = await compute(table, spec, options, threads);
  logger.info(
    { rows: result.rows.length, ms: Math.round(performance.now() - loaded) },
    'statistic computed',
  );
  for (const warning of result.warnings) {
    logger.warn({ statistic: warning.statistic }, warning.message);
  }
  context.stdout.write(`${JSON.stringify(result.rows, null, 2)}\n`);
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
