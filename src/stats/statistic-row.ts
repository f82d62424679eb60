/**
 * One result row, in jetstream's statistics-table schema (spec/analysis.md §3, spec/statistics.md
 * §1). Field names are snake_case on purpose: rows go to the warehouse and to JSON exports as is.
 */
export interface StatisticRow {
  /** Metric slug; `identity` for the per-branch client counts. */
  metric: string;
  /** Output statistic name (`mean`, `binomial`, `deciles`, `mean_lm`, ...), not the config name. */
  statistic: string;
  /** Python `str(round(v, 6))` of a numeric parameter, a decile label, or null. */
  parameter: string | null;
  branch: string;
  /** null for individual rows. */
  comparison: 'difference' | 'relative_uplift' | null;
  /** The reference branch of a comparative row; null for individual rows. */
  comparison_to_branch: string | null;
  ci_width: number | null;
  /** NaN and ±∞ become null. */
  point: number | null;
  lower: number | null;
  upper: number | null;
  /** Segment slug; `all` for the whole population. */
  segment: string;
  analysis_basis: 'enrollments' | 'exposures';
}

/** Output statistic names per config name. */
export const OUTPUT_STATISTIC_NAME = {
  bootstrap_mean: 'mean',
  binomial: 'binomial',
  deciles: 'deciles',
  linear_model_mean: 'mean_lm',
  per_client_dau_impact: 'per_client_dau_impact',
  population_ratio: 'population_ratio',
  kernel_density_estimate: 'kernel_density_estimate',
  empirical_cdf: 'empirical_cdf',
  count: 'count',
  sum: 'sum',
} as const;
