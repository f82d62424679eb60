/**
 * The closed set of analysis periods, analysis bases and their names in configs, tables and views
 * (spec/analysis.md §2).
 */

/** Analysis periods, as they appear in table names (`statistics_<slug>_<period>_<n>`). */
export const ANALYSIS_PERIODS = [
  'day',
  'week',
  'days28',
  'overall',
  'preenrollment_week',
  'preenrollment_days28',
] as const;

/** One analysis period. */
export type AnalysisPeriod = (typeof ANALYSIS_PERIODS)[number];

/** Pre-enrollment periods: their windows end before each client's enrollment. */
export const PREENROLLMENT_PERIODS = ['preenrollment_week', 'preenrollment_days28'] as const;

/** Periods whose windows repeat (day 1, day 2, ...; week 1, week 2, ...). */
export const TIME_SERIES_PERIODS = ['day', 'week', 'days28'] as const;

/**
 * metric-hub's `[metrics]` list keys, mapped to periods. `28_day` is the key metric-hub writes;
 * `days28` is accepted as well because some configs use the period name.
 */
export const PERIOD_CONFIG_KEYS: Readonly<Record<string, AnalysisPeriod>> = {
  daily: 'day',
  weekly: 'week',
  '28_day': 'days28',
  days28: 'days28',
  overall: 'overall',
  preenrollment_weekly: 'preenrollment_week',
  preenrollment_days28: 'preenrollment_days28',
};

/** Suffix of the views jetstream builds over a period's window tables. */
export const PERIOD_VIEW_SUFFIX: Readonly<Record<AnalysisPeriod, string>> = {
  day: 'daily',
  week: 'weekly',
  days28: 'days28',
  overall: 'overall',
  preenrollment_week: 'preenrollment_weekly',
  preenrollment_days28: 'preenrollment_days28',
};

/** Analysis bases: every enrolled client, or only those with an exposure. */
export const ANALYSIS_BASES = ['enrollments', 'exposures'] as const;

/** One analysis basis. */
export type AnalysisBasis = (typeof ANALYSIS_BASES)[number];

/** True when `value` names an analysis period. */
export function isAnalysisPeriod(value: string): value is AnalysisPeriod {
  return (ANALYSIS_PERIODS as readonly string[]).includes(value);
}

/** True for the pre-enrollment periods. */
export function isPreenrollmentPeriod(period: AnalysisPeriod): boolean {
  return (PREENROLLMENT_PERIODS as readonly string[]).includes(period);
}
