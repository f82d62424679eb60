import { z } from 'zod';

/**
 * The ten statistics and nine pre-treatments jetstream knows (spec/statistics.md §2–3), with
 * their parameters, types and defaults. The config layer validates metric-hub `statistics`
 * tables against these schemas; the statistics engine receives the parsed, defaulted values.
 */

/** Statistic names as written in metric-hub configs. */
export const STATISTIC_NAMES = [
  'bootstrap_mean',
  'binomial',
  'deciles',
  'linear_model_mean',
  'per_client_dau_impact',
  'population_ratio',
  'kernel_density_estimate',
  'empirical_cdf',
  'count',
  'sum',
] as const;

/** One statistic's config name. */
export type StatisticName = (typeof STATISTIC_NAMES)[number];

/** Pre-treatment names as written in metric-hub configs. */
export const PRE_TREATMENT_NAMES = [
  'remove_nulls',
  'remove_indefinites',
  'censor_highest_values',
  'censor_lowest_values',
  'censor_values_below_threshold',
  'censor_values_above_threshold',
  'normalize_over_analysis_period',
  'log',
  'zero_fill',
] as const;

/** One pre-treatment's config name. */
export type PreTreatmentName = (typeof PRE_TREATMENT_NAMES)[number];

const confidenceInterval = z.number().gt(0).lt(1).default(0.95);
/** Largest `num_samples` (bootstrap replicates): 1,000,000 (jetstream's default is 10,000). */
export const MAX_NUM_SAMPLES = 1_000_000;
/** Largest `grid_size` of the KDE and ECDF grids (jetstream's default is 256). */
export const MAX_GRID_SIZE = 10_000;
const numSamples = z
  .number()
  .int()
  .positive()
  .max(MAX_NUM_SAMPLES, `num_samples is capped at ${MAX_NUM_SAMPLES.toLocaleString('en-US')}`)
  .default(10_000);
const gridSize = z
  .number()
  .int()
  .min(2)
  .max(MAX_GRID_SIZE, `grid_size is capped at ${MAX_GRID_SIZE.toLocaleString('en-US')}`)
  .default(256);
/** `drop_highest` must be a float in [0, 0.5] (winsorization at the 1 − drop_highest quantile). */
const dropHighest = (fallback: number) => z.number().min(0).max(0.5).default(fallback);
const covariatePeriod = z.enum(['preenrollment_week', 'preenrollment_days28']);
const covariateAdjustment = z
  .strictObject({ metric: z.string().min(1).optional(), period: covariatePeriod })
  .nullable()
  .default(null);

/** Parameter schemas per statistic; unknown keys are errors. `period` is injected, not configured. */
export const STATISTIC_PARAM_SCHEMAS = {
  bootstrap_mean: z.strictObject({
    num_samples: numSamples,
    drop_highest: dropHighest(0.005),
    confidence_interval: confidenceInterval,
  }),
  binomial: z.strictObject({ confidence_interval: confidenceInterval }),
  deciles: z.strictObject({ confidence_interval: confidenceInterval, num_samples: numSamples }),
  linear_model_mean: z.strictObject({
    drop_highest: dropHighest(0.005),
    covariate_adjustment: covariateAdjustment,
    confidence_interval: confidenceInterval,
  }),
  per_client_dau_impact: z.strictObject({
    drop_highest: dropHighest(0),
    covariate_adjustment: covariateAdjustment,
    confidence_interval: confidenceInterval,
  }),
  population_ratio: z.strictObject({
    numerator: z.string().min(1),
    denominator: z.string().min(1),
    confidence_interval: confidenceInterval,
    drop_highest: dropHighest(0.005),
    num_samples: numSamples,
  }),
  kernel_density_estimate: z.strictObject({
    bandwidth: z.union([z.enum(['scott', 'silverman']), z.number().positive()]).default('scott'),
    adjust: z.literal(1).default(1),
    kernel: z
      .enum(['gaussian', 'tophat', 'epanechnikov', 'exponential', 'linear', 'cosine'])
      .default('gaussian'),
    grid_size: gridSize,
    log_space: z.boolean().default(false),
  }),
  empirical_cdf: z.strictObject({
    grid_size: gridSize,
    log_space: z.boolean().default(false),
  }),
  count: z.strictObject({}),
  sum: z.strictObject({}),
} as const satisfies Record<StatisticName, z.ZodType>;

/** Parsed, defaulted parameters of statistic `N`. */
export type StatisticParams<N extends StatisticName> = z.output<
  (typeof STATISTIC_PARAM_SCHEMAS)[N]
>;

/** Parameter schemas per pre-treatment; unknown keys are errors. */
export const PRE_TREATMENT_PARAM_SCHEMAS = {
  remove_nulls: z.strictObject({}),
  remove_indefinites: z.strictObject({}),
  censor_highest_values: z.strictObject({
    fraction: z
      .number()
      .gt(0)
      .lt(1)
      .default(1 - 1e-5),
  }),
  censor_lowest_values: z.strictObject({ fraction: z.number().gt(0).lt(1).default(1e-5) }),
  censor_values_below_threshold: z.strictObject({ threshold: z.number() }),
  censor_values_above_threshold: z.strictObject({ threshold: z.number() }),
  // Injected from the analysis period's length in days when not configured.
  normalize_over_analysis_period: z.strictObject({
    analysis_period_length: z.number().positive().optional(),
  }),
  log: z.strictObject({ base: z.number().positive().nullable().default(10) }),
  zero_fill: z.strictObject({}),
} as const satisfies Record<PreTreatmentName, z.ZodType>;

/** A pre-treatment with its parsed parameters. */
export interface PreTreatmentSpec {
  readonly name: PreTreatmentName;
  readonly params: Readonly<Record<string, unknown>>;
}

/** A configured statistic: name, parsed parameters (defaults applied) and pre-treatments in order. */
export interface StatisticSpec {
  readonly name: StatisticName;
  readonly params: Readonly<Record<string, unknown>>;
  readonly preTreatments: readonly PreTreatmentSpec[];
}

/** True when `value` names a statistic. */
export function isStatisticName(value: string): value is StatisticName {
  return (STATISTIC_NAMES as readonly string[]).includes(value);
}

/** True when `value` names a pre-treatment. */
export function isPreTreatmentName(value: string): value is PreTreatmentName {
  return (PRE_TREATMENT_NAMES as readonly string[]).includes(value);
}
