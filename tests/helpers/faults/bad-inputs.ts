import type { FaultsScale } from './faults-scale.js';
import {
  borrowedEnrollmentsToml,
  copyExperiment,
  coreExperimentToml,
  CORE_EXPERIMENT,
  readExperiments,
  writeExperimentConfig,
  writeExperiments,
} from './fault-workload.js';

/**
 * The bad inputs of issue #7, planted into a copy of the core workload. Config-level ones come
 * as extra experiments (each fails on its own); metric-level ones are extra metrics of the core
 * experiment, whose other metrics must still equal the undisturbed run's.
 */

/** One bad input and the logs-table row it must leave. */
export interface BadInput {
  /** What the issue calls it. */
  readonly name: string;
  /** The experiment the logs row belongs to. */
  readonly experiment: string;
  /** The metric the logs row names, when the input is one metric. */
  readonly metric?: string;
  readonly exceptionType: string;
  /** The logs row's message must match. */
  readonly message: RegExp;
}

/** An experiment slug that tries SQL injection (a real table's name). */
export const INJECTION_SLUG = `evil'; DROP TABLE enrollments_tab_groups_srm; --`;
/** A metric name that tries SQL injection. */
export const INJECTION_METRIC = `x"; DROP TABLE statistics_tab_groups_srm_week_1; --`;
/** A select expression of 10 MB. */
const HUGE_EXPRESSION = `0${' + 0'.repeat((10 * 1024 * 1024) / 4)}`;

/** Metric-level bad inputs, added to the core experiment's weekly metrics. */
const BAD_METRICS: Readonly<Record<string, string>> = {
  sql_error_metric: 'SUM(no_such_column_anywhere)',
  all_null_metric: 'CAST(NULL AS FLOAT64)',
  nan_metric: `IF(SUM(active_hours_sum) > 1, CAST('NaN' AS FLOAT64), SUM(active_hours_sum))`,
  infinite_metric: `IF(SUM(active_hours_sum) > 2, CAST('inf' AS FLOAT64), SUM(active_hours_sum))`,
};

/** Metrics of the core experiment whose rows are not compared with the undisturbed run. */
export const BAD_METRIC_NAMES: readonly string[] = [...Object.keys(BAD_METRICS), INJECTION_METRIC];

/** Experiments added next to the core one, with their configs (null: no config file). */
interface BadExperiment {
  readonly slug: string;
  readonly toml: string | null;
  readonly edit?: (entry: Record<string, unknown>) => void;
}

const BORROWED = borrowedEnrollmentsToml();

const BAD_EXPERIMENTS: readonly BadExperiment[] = [
  { slug: 'bad-toml', toml: `${BORROWED}[metrics\nweekly = ["active_hours"\n` },
  {
    slug: 'bad-statistic',
    toml: `${BORROWED}[metrics]\nweekly = ["active_hours"]\n[metrics.active_hours.statistics.no_such_statistic]\n`,
  },
  {
    slug: 'bad-parameter',
    toml: `${BORROWED}[metrics]\nweekly = ["active_hours"]\n[metrics.active_hours.statistics.bootstrap_mean]\nnum_samples = "lots"\n`,
  },
  {
    slug: 'huge-expression',
    toml: `${BORROWED}[metrics]\nweekly = ["huge"]\n[metrics.huge]\nselect_expression = "${HUGE_EXPRESSION}"\ndata_source = "clients_daily"\n[metrics.huge.statistics.binomial]\n`,
  },
  {
    slug: 'empty-branch',
    toml: BORROWED,
    edit: (e) => {
      const branches = e['branches'] as Record<string, unknown>[];
      branches.push({ ...structuredClone(branches[0]!), slug: 'ghost' });
    },
  },
  {
    slug: 'single-branch',
    toml: BORROWED,
    edit: (e) => (e['branches'] = (e['branches'] as unknown[]).slice(0, 1)),
  },
  { slug: 'missing-reference', toml: BORROWED, edit: (e) => (e['referenceBranch'] = 'nope') },
  {
    slug: 'missing-fields',
    toml: null,
    edit: (e) => {
      delete e['branches'];
      delete e['startDate'];
    },
  },
  { slug: INJECTION_SLUG, toml: null },
];

/** Every bad input planted by {@link plantBadInputs}, with the logs row it must leave. */
export const BAD_INPUTS: readonly BadInput[] = [
  {
    name: 'malformed TOML',
    experiment: 'bad-toml',
    exceptionType: 'ConfigError',
    message: /bad-toml\.toml: line \d+, column \d+: TOML syntax error/,
  },
  {
    name: 'unknown statistic',
    experiment: 'bad-statistic',
    exceptionType: 'ConfigError',
    message: /unknown statistic 'no_such_statistic'/,
  },
  {
    name: 'parameter of the wrong type',
    experiment: 'bad-parameter',
    exceptionType: 'ConfigError',
    message: /bootstrap_mean\.num_samples: expected integer, got string/,
  },
  {
    name: 'metric SQL error',
    experiment: CORE_EXPERIMENT,
    metric: 'sql_error_metric',
    exceptionType: 'WarehouseQueryError',
    message: /sql_error_metric.*no_such_column_anywhere/s,
  },
  {
    name: 'metric whose values are all null',
    experiment: CORE_EXPERIMENT,
    metric: 'all_null_metric',
    exceptionType: 'NullValuesError',
    message: /all_null_metric failed: 'data' contains null values/,
  },
  {
    name: 'branch with 0 clients',
    experiment: 'empty-branch',
    exceptionType: 'EmptyBranch',
    message: /branch ghost of empty-branch has no enrolled clients/,
  },
  {
    name: 'single-branch experiment',
    experiment: 'single-branch',
    exceptionType: 'SingleBranch',
    message: /single-branch has 1 branch \(control\)/,
  },
  {
    name: 'reference branch that does not exist',
    experiment: 'missing-reference',
    exceptionType: 'UnknownReferenceBranch',
    message: /reference branch "nope" of experiment missing-reference is not one of its branches/,
  },
  {
    name: 'NaN values',
    experiment: CORE_EXPERIMENT,
    metric: 'nan_metric',
    exceptionType: 'NullValuesError',
    message: /nan_metric failed: 'data' contains null values/,
  },
  {
    name: 'Infinity values',
    experiment: CORE_EXPERIMENT,
    metric: 'infinite_metric',
    exceptionType: 'InfiniteValues',
    message: /\d+ of \d+ clients have an infinite value of infinite_metric/,
  },
  {
    name: 'experiment entry with missing fields',
    experiment: 'missing-fields',
    exceptionType: 'ExperimentParseError',
    message: /missing-fields.*branches: Invalid input/,
  },
  {
    name: 'injection attempt in a slug',
    experiment: INJECTION_SLUG,
    exceptionType: 'ExperimentParseError',
    message: /is not a slug/,
  },
  {
    name: 'injection attempt in a metric name',
    experiment: CORE_EXPERIMENT,
    metric: INJECTION_METRIC,
    exceptionType: 'UnsafeIdentifier',
    message: /is not an identifier/,
  },
  {
    name: '10 MB select expression',
    experiment: 'huge-expression',
    exceptionType: 'ConfigError',
    message: /huge\.select_expression: longer than 1000000 characters/,
  },
];

/** Plants every bad input of {@link BAD_INPUTS} into a core workload's warehouse folder. */
export function plantBadInputs(warehouseDir: string, scale: FaultsScale): void {
  const [core] = readExperiments(warehouseDir);
  if (core?.slug !== CORE_EXPERIMENT) throw new Error('plant bad inputs into the core workload');
  const entries: Record<string, unknown>[] = [core];
  for (const bad of BAD_EXPERIMENTS) {
    const entry = copyExperiment(core, bad.slug);
    bad.edit?.(entry);
    entries.push(entry);
    if (bad.toml !== null) writeExperimentConfig(warehouseDir, bad.slug, bad.toml);
  }
  writeExperiments(warehouseDir, entries);
  const definitions = Object.entries(BAD_METRICS).map(([metric, select]) =>
    metricToml(metric, select),
  );
  definitions.push(metricToml(INJECTION_METRIC, '1'));
  writeExperimentConfig(
    warehouseDir,
    CORE_EXPERIMENT,
    coreExperimentToml(scale, BAD_METRIC_NAMES, definitions.join('\n')),
  );
}

function metricToml(metric: string, select: string): string {
  const key = /^\w+$/.test(metric) ? metric : JSON.stringify(metric);
  return [
    `[metrics.${key}]`,
    `select_expression = ${JSON.stringify(select)}`,
    'data_source = "clients_daily"',
    `[metrics.${key}.statistics.bootstrap_mean]`,
    '',
  ].join('\n');
}
