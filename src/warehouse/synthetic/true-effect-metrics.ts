import type { SyntheticPlatform } from './experiment-catalogue.js';
import { ADS_SHARE, FOLLOW_ON_SHARE, HOUR_TICKS } from './model-macros.js';

/**
 * The metrics the manifest states true effects for, each as the expectation of one day's
 * contribution given that the client is active that day, written over `clients` columns and
 * a branch's knobs. Names match the generated metric-hub definitions.
 */

/** How a metric aggregates a client's days: a sum (or count) of days, or "any day". */
export type TrueEffectAggregation = 'sum' | 'any';

/**
 * SQL (column names or literals) for the arm being evaluated: the untreated client or a branch.
 * The expensive shared expectations are precomputed columns of the true-effect query.
 */
export interface KnobSql {
  /** Mean raw active hours of an active day with a non-zero draw (`syn_hours_mean`). */
  readonly hoursMean: string;
  /** Expected search-access-point searches of an active day (`syn_search_mean`). */
  readonly searchMean: string;
  readonly adClick: string;
  readonly defaultBrowser: string;
  /** 1.0 when the row is tagged with the experiment (treatment), 0.0 before enrollment. */
  readonly tagged: string;
}

/** One metric with a computable expectation. */
export interface TrueEffectMetric {
  readonly name: string;
  readonly platform: SyntheticPlatform;
  /** The output statistic whose point estimate this expectation is comparable with. */
  readonly statistic: 'mean' | 'binomial';
  readonly aggregation: TrueEffectAggregation;
  /** True when the data source has an experiments column, so the enrollment-day guard applies. */
  readonly guarded: boolean;
  /** E[contribution | active] (sum) or P(condition | active) (any), as SQL. */
  readonly expectation: (knobs: KnobSql) => string;
  /** Only for these experiments (custom metrics of their metric-hub override); default all. */
  readonly onlyFor?: readonly string[];
}

const hoursMean = (k: KnobSql) => k.hoursMean;
const qualified = () => '(1 - zero_hours) * uri_prob';
const sapMean = (k: KnobSql) => k.searchMean;

function desktop(
  name: string,
  aggregation: TrueEffectAggregation,
  guarded: boolean,
  expectation: (knobs: KnobSql) => string,
  onlyFor?: readonly string[],
): TrueEffectMetric {
  const statistic = aggregation === 'any' ? 'binomial' : 'mean';
  return {
    name,
    platform: 'firefox_desktop',
    statistic,
    aggregation,
    guarded,
    expectation,
    ...(onlyFor ? { onlyFor } : {}),
  };
}

/** Every metric with a true effect in the manifest. */
export const TRUE_EFFECT_METRICS: readonly TrueEffectMetric[] = [
  desktop(
    'active_hours',
    'sum',
    true,
    (k) => `(1 - zero_hours) * (${hoursMean(k)} + ${1 / HOUR_TICKS})`,
  ),
  desktop('uri_count', 'sum', true, (k) => `${qualified()} * (1 + ${hoursMean(k)} * uri_rate)`),
  desktop('days_of_use', 'sum', true, () => '1.0'),
  desktop('qualified_cumulative_days_of_use', 'sum', true, qualified),
  desktop(
    'is_default_browser',
    'any',
    true,
    (k) => `syn_clamp01(default_prob + ${k.defaultBrowser})`,
  ),
  desktop('retained', 'any', true, () => '1.0'),
  desktop('retained_dau', 'any', false, qualified),
  desktop('client_level_daily_active_users_v2', 'sum', false, qualified),
  desktop('search_count', 'sum', false, sapMean),
  desktop('tagged_search_count', 'sum', false, (k) => `tagged_share * ${sapMean(k)}`),
  desktop(
    'tagged_follow_on_search_count',
    'sum',
    false,
    (k) => `${FOLLOW_ON_SHARE} * tagged_share * ${sapMean(k)}`,
  ),
  desktop('organic_search_count', 'sum', false, () => 'organic_mean'),
  desktop('searches_with_ads', 'sum', false, (k) => `${ADS_SHARE} * ${sapMean(k)}`),
  desktop(
    'ad_clicks',
    'sum',
    false,
    (k) => `ad_ctr * (1 + ${k.adClick}) * ${ADS_SHARE} * ${sapMean(k)}`,
  ),
  desktop('days_with_searches', 'sum', false, () => 'search_prob', ['search-bar-three-way']),
  desktop('days_in_experiment', 'sum', true, (k) => k.tagged, ['new-tab-layout-v2']),
  {
    name: 'active_hours',
    platform: 'fenix',
    statistic: 'mean',
    aggregation: 'sum',
    guarded: true,
    expectation: (k) => `(1 - zero_hours) * ${hoursMean(k)}`,
  },
  {
    name: 'days_of_use',
    platform: 'fenix',
    statistic: 'mean',
    aggregation: 'sum',
    guarded: true,
    expectation: () => '1.0',
  },
  {
    name: 'retained',
    platform: 'fenix',
    statistic: 'binomial',
    aggregation: 'any',
    guarded: true,
    expectation: () => '1.0',
  },
];

/** Population ratios with true effects: numerator and denominator metric names. */
export const TRUE_EFFECT_RATIOS = [
  {
    name: 'ad_click_rate',
    numerator: 'ad_clicks',
    denominator: 'search_count',
    onlyFor: ['search-bar-three-way'],
  },
] as const;
