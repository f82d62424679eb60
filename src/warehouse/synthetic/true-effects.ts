import type { DuckDBConnection } from '@duckdb/node-api';

import type { AnalysisPeriod } from '../../analysis/analysis-period.js';
import { sqlString, PLATFORM_CODE } from './enrollment-tables.js';
import type { SyntheticPlatform } from './experiment-catalogue.js';
import { ENROLLMENT_DAY_TAG_RATE } from './model-macros.js';
import type { SeedPlan } from './seed-plan.js';
import {
  TRUE_EFFECT_METRICS,
  TRUE_EFFECT_RATIOS,
  type KnobSql,
  type TrueEffectMetric,
} from './true-effect-metrics.js';

/**
 * True effects: for every analysable experiment, window and metric, the expected mean of the
 * metric per branch, computed from the generating model without noise. Every enrolled client is
 * evaluated under every branch's knobs (a counterfactual), day by day: the probability of being
 * active times the expected value of the day, with the enrollment-day guard and the
 * enrollment-day tag applied as the analysis applies them. Relative uplifts are against the
 * reference (first) branch, on the enrollments basis, segment `all`.
 */

/** Expected value of a metric in one branch. */
export interface BranchExpectation {
  readonly expectedMean: number;
  /** Relative to the reference branch: mean / reference mean − 1 (0 for the reference). */
  readonly expectedRelativeUplift: number;
  /** mean − reference mean. */
  readonly expectedDifference: number;
}

/** The true effect of one metric in one window. */
export interface MetricTrueEffect {
  /** Output statistic the expectation compares with (`mean`, `binomial`, `population_ratio`). */
  readonly statistic: string;
  readonly branches: Readonly<Record<string, BranchExpectation>>;
}

/** True effects of one experiment in one analysis window. */
export interface WindowTrueEffects {
  readonly period: AnalysisPeriod;
  readonly window: number;
  /** Window bounds in days relative to each client's enrollment date. */
  readonly start: number;
  readonly end: number;
  readonly basis: 'enrollments';
  readonly segment: 'all';
  /** Enrolled clients the expectation is over. */
  readonly clients: number;
  readonly metrics: Readonly<Record<string, MetricTrueEffect>>;
}

const BASE: KnobSql = {
  hoursMean: 'hours_base',
  searchMean: 'search_base',
  adClick: '0.0',
  defaultBrowser: '0.0',
  tagged: '0.0',
};
const ARM: KnobSql = {
  hoursMean: 'hours_arm',
  searchMean: 'search_arm',
  adClick: 'k_ad',
  defaultBrowser: 'k_default',
  tagged: '1.0',
};

/** Client propensities the expectations read. */
const PROPENSITIES = `c.a, c.churn, c.first_t, c.zero_hours, c.mu_hours, c.uri_rate, c.uri_prob,
    c.default_prob, c.search_prob, c.mu_search, c.tagged_share, c.organic_prob, c.mu_organic,
    c.ad_ctr`;

/** `effect_windows`: the windows of every analysable experiment (possibly empty). */
export function createEffectWindowsSql(plan: SeedPlan): string {
  const rows = plan.experiments.flatMap((e, experimentIndex) =>
    e.effectWindows.map(
      (w) =>
        `(${experimentIndex}, ${sqlString(e.slug)}, '${w.period}', ${w.window}, ${w.start}, ${w.end})`,
    ),
  );
  const values = rows.length > 0 ? rows.join(', ') : "(-1, '', 'day', 0, 0, -1)";
  return `CREATE TABLE effect_windows AS
SELECT row_number() OVER (ORDER BY experiment_index, wstart, wend, period)::INTEGER AS window_id, *
FROM (VALUES ${values}) AS v(experiment_index, slug, period, window_index, wstart, wend)
WHERE wstart <= wend`;
}

/**
 * One day's expected contribution, as weight × untreated value + weight × treated value.
 * Before enrollment (k < 0): the untreated value times the activity probability. On the
 * enrollment day (active by construction): the tagged share with the treatment plus, where no
 * guard drops untagged rows, the rest untreated. Afterwards: the treated value times the treated
 * activity probability. The weights are columns of the query (`w_base_guarded`,
 * `w_base_unguarded`, `w_arm`).
 */
function contributionSql(metric: TrueEffectMetric): string {
  const base = metric.expectation(BASE);
  const arm = metric.expectation(ARM);
  const weight = metric.guarded ? 'w_base_guarded' : 'w_base_unguarded';
  return `${weight} * (${base}) + w_arm * (${arm})`;
}

function aggregateSql(metric: TrueEffectMetric, column: string): string {
  const contribution = contributionSql(metric);
  return metric.aggregation === 'sum'
    ? `sum(${contribution}) AS ${column}`
    : `1 - exp(sum(ln(greatest(1 - (${contribution}), 1e-300)))) AS ${column}`;
}

/**
 * CTEs up to `weights`: one row per (enrolled client, branch, day of its windows) with the
 * activity probabilities, the shared expectations and the contribution weights.
 */
function weightedDaysSql(platform: SyntheticPlatform): string {
  return `WITH spans AS (
  SELECT experiment_index, min(wstart) AS k_lo, max(wend) AS k_hi
  FROM effect_windows GROUP BY experiment_index
), client_days AS (
  SELECT x.experiment_index, e.ck, x.enroll_first_day, unnest(range(s.k_lo, s.k_hi + 1)) AS k, e.t_e
  FROM enrollments e JOIN experiments x USING (slug) JOIN spans s USING (experiment_index)
  WHERE x.platform = ${PLATFORM_CODE[platform]}
), arm_days AS (
  SELECT cd.experiment_index, cd.ck, cd.k, cd.t_e + cd.k AS t, cd.enroll_first_day, ${PROPENSITIES},
    CASE WHEN d.weekend THEN c.weekend_f ELSE c.weekday_f END AS day_f,
    CASE WHEN d.weekend THEN c.weekend_int ELSE 1.0 END AS day_int,
    b.branch_index, b.k_activity, b.k_intensity, b.k_search, b.k_ad, b.k_default
  FROM client_days cd JOIN clients c ON c.ck = cd.ck
  JOIN arms b ON b.experiment_index = cd.experiment_index
  JOIN days d ON d.t = cd.t_e + cd.k
), weighted AS (
  SELECT *,
    CASE WHEN t >= enroll_first_day THEN 0.0
         ELSE syn_activity(a, day_f, churn, first_t, t, 0.0) END AS p_base,
    syn_activity(a, day_f, churn, first_t, t, k_activity) AS p_arm,
    syn_hours_mean(mu_hours, day_int, 0.0) AS hours_base,
    syn_hours_mean(mu_hours, day_int, k_intensity) AS hours_arm,
    syn_search_mean(search_prob, mu_search, 0.0) AS search_base,
    syn_search_mean(search_prob, mu_search, k_search) AS search_arm,
    syn_organic_mean(organic_prob, mu_organic) AS organic_mean
  FROM arm_days
), weights AS (
  SELECT *,
    CASE WHEN k < 0 THEN p_base ELSE 0.0 END AS w_base_guarded,
    CASE WHEN k < 0 THEN p_base WHEN k = 0 THEN ${1 - ENROLLMENT_DAY_TAG_RATE} ELSE 0.0 END
      AS w_base_unguarded,
    CASE WHEN k = 0 THEN ${ENROLLMENT_DAY_TAG_RATE} WHEN k > 0 THEN p_arm ELSE 0.0 END AS w_arm
  FROM weighted
)`;
}

/** Per (window, branch) expected means of `metrics` for one platform's experiments. */
function expectationsSql(
  platform: SyntheticPlatform,
  metrics: readonly TrueEffectMetric[],
): string {
  return `${weightedDaysSql(platform)}, per_client AS (
  SELECT w.window_id, a.branch_index, a.ck,
    ${metrics.map((m, i) => aggregateSql(m, `m${i}`)).join(',\n    ')}
  FROM weights a JOIN effect_windows w
    ON w.experiment_index = a.experiment_index AND a.k BETWEEN w.wstart AND w.wend
  GROUP BY w.window_id, a.branch_index, a.ck
), per_branch AS (
  SELECT window_id, branch_index, count(*) AS clients,
    ${metrics.map((_, i) => `avg(m${i}) AS m${i}`).join(', ')}
  FROM per_client GROUP BY window_id, branch_index
)
SELECT w.slug, w.period, w.window_index, w.wstart, w.wend, b.branch, p.*
FROM per_branch p JOIN effect_windows w USING (window_id)
JOIN arms b ON b.experiment_index = w.experiment_index AND b.branch_index = p.branch_index
ORDER BY w.window_id, p.branch_index`;
}

/** A row of {@link expectationsSql}. */
interface ExpectationRow {
  readonly slug: string;
  readonly period: AnalysisPeriod;
  readonly window: number;
  readonly start: number;
  readonly end: number;
  readonly branch: string;
  readonly clients: number;
  readonly means: readonly number[];
}

/**
 * Computes the true effects of every analysable experiment, keyed by slug. Needs the
 * generator's working tables (`clients`, `days`, `experiments`, `arms`, `enrollments`) and
 * `effect_windows`.
 */
export async function computeTrueEffects(
  connection: DuckDBConnection,
): Promise<Map<string, WindowTrueEffects[]>> {
  const effects = new Map<string, WindowTrueEffects[]>();
  for (const platform of ['firefox_desktop', 'fenix'] as const) {
    const metrics = TRUE_EFFECT_METRICS.filter((m) => m.platform === platform);
    const reader = await connection.runAndReadAll(expectationsSql(platform, metrics));
    const rows = reader.getRowObjectsJS().map((r) => toExpectationRow(r, metrics.length));
    for (const [slug, windows] of groupWindows(rows, metrics)) effects.set(slug, windows);
  }
  return effects;
}

function toExpectationRow(row: Record<string, unknown>, metricCount: number): ExpectationRow {
  return {
    slug: String(row['slug']),
    period: String(row['period']) as AnalysisPeriod,
    window: Number(row['window_index']),
    start: Number(row['wstart']),
    end: Number(row['wend']),
    branch: String(row['branch']),
    clients: Number(row['clients']),
    means: Array.from({ length: metricCount }, (_, i) => Number(row[`m${i}`])),
  };
}

function groupWindows(
  rows: readonly ExpectationRow[],
  metrics: readonly TrueEffectMetric[],
): Map<string, WindowTrueEffects[]> {
  const groups = new Map<string, ExpectationRow[]>();
  for (const row of rows) {
    const key = `${row.slug}\u0000${row.period}\u0000${row.window}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const bySlug = new Map<string, WindowTrueEffects[]>();
  for (const branchRows of groups.values()) {
    const first = branchRows[0];
    if (!first) continue;
    const windows = bySlug.get(first.slug) ?? [];
    windows.push(windowEffects(branchRows, first, metrics));
    bySlug.set(first.slug, windows);
  }
  return bySlug;
}

function windowEffects(
  branchRows: readonly ExpectationRow[],
  first: ExpectationRow,
  metrics: readonly TrueEffectMetric[],
): WindowTrueEffects {
  const result: Record<string, MetricTrueEffect> = {};
  metrics.forEach((metric, i) => {
    if (metric.onlyFor && !metric.onlyFor.includes(first.slug)) return;
    result[metric.name] = {
      statistic: metric.statistic,
      branches: compareBranches(branchRows.map((r) => [r.branch, r.means[i] ?? Number.NaN])),
    };
  });
  for (const ratio of TRUE_EFFECT_RATIOS) {
    if (!(ratio.onlyFor as readonly string[]).includes(first.slug)) continue;
    const num = metrics.findIndex((m) => m.name === ratio.numerator);
    const den = metrics.findIndex((m) => m.name === ratio.denominator);
    result[ratio.name] = {
      statistic: 'population_ratio',
      branches: compareBranches(
        branchRows.map((r) => [
          r.branch,
          (r.means[num] ?? Number.NaN) / (r.means[den] ?? Number.NaN),
        ]),
      ),
    };
  }
  return {
    period: first.period,
    window: first.window,
    start: first.start,
    end: first.end,
    basis: 'enrollments',
    segment: 'all',
    clients: first.clients,
    metrics: result,
  };
}

/**
 * Expectations per branch against the first (reference) branch. Means are rounded first, so that
 * identical branches (A/A, pre-enrollment windows) compare as exactly 0.
 */
function compareBranches(
  means: readonly (readonly [string, number])[],
): Record<string, BranchExpectation> {
  const reference = round(means[0]?.[1] ?? Number.NaN);
  const result: Record<string, BranchExpectation> = {};
  for (const [branch, raw] of means) {
    const mean = round(raw);
    result[branch] = {
      expectedMean: mean,
      expectedRelativeUplift: round(mean / reference - 1),
      expectedDifference: round(mean - reference),
    };
  }
  return result;
}

/**
 * Rounds to 10 significant digits (and values within 1e-12 of 0 to 0): parallel aggregation may
 * sum in a different order from run to run, and the manifest must stay identical for a seed.
 */
function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  if (Math.abs(value) < 1e-12) return 0;
  return Number(value.toPrecision(10));
}
