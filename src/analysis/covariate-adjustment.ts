import { isPreenrollmentPeriod, type AnalysisPeriod } from './analysis-period.js';
import type { AnalysisWindow } from './analysis-window.js';

/**
 * Covariate adjustment of the linear model (spec/statistics.md §3.4): the statistic's
 * `covariate_adjustment` names a pre-enrollment period and optionally another metric.
 */
interface CovariateAdjustment {
  /** The covariate metric; '' means "this metric". */
  readonly metric: string;
  readonly period: 'preenrollment_week' | 'preenrollment_days28';
}

/** The covariate adjustment in a statistic's params, or null when there is none. */
export function covariateAdjustmentOf(
  params: Readonly<Record<string, unknown>>,
): CovariateAdjustment | null {
  const adjustment = params['covariate_adjustment'];
  if (adjustment === null || typeof adjustment !== 'object') return null;
  const fields = adjustment as Record<string, unknown>;
  const metric = typeof fields['metric'] === 'string' ? fields['metric'] : '';
  const period =
    fields['period'] === 'preenrollment_days28' ? 'preenrollment_days28' : 'preenrollment_week';
  return { metric, period };
}

/** The metric named by a statistic's covariate adjustment ('' = itself), or null. */
export function covariateMetricName(params: Readonly<Record<string, unknown>>): string | null {
  return covariateAdjustmentOf(params)?.metric ?? null;
}

/**
 * The pre-enrollment window a covariate is read over, or null when `period` takes no
 * covariate (a pre-enrollment period itself, as in jetstream).
 */
export function covariateWindowFor(
  params: Readonly<Record<string, unknown>>,
  period: AnalysisPeriod,
): AnalysisWindow | null {
  const adjustment = covariateAdjustmentOf(params);
  if (adjustment === null || isPreenrollmentPeriod(period)) return null;
  return adjustment.period === 'preenrollment_days28'
    ? { start: -28, end: -1 }
    : { start: -7, end: -1 };
}
