import type { Estimate } from '../summary/summarize-replicates.js';
import type { StatisticRow } from '../statistic-row.js';
import type { StatisticContext } from './statistic-plan.js';

/** NaN and ±∞ become null (jetstream's `suppress_infinites`). */
export function finiteOrNull(x: number | null | undefined): number | null {
  return x !== null && x !== undefined && Number.isFinite(x) ? x : null;
}

/** The parts of a row that vary; the rest comes from the context. */
export interface RowFields {
  readonly statistic: string;
  readonly branch: string;
  readonly parameter?: string | null;
  readonly comparison?: StatisticRow['comparison'];
  readonly comparisonToBranch?: string | null;
  readonly ciWidth?: number | null;
  readonly estimate: Partial<Estimate> & { readonly point: number };
}

/** One output row in jetstream's schema. */
export function makeRow(context: StatisticContext, fields: RowFields): StatisticRow {
  return {
    metric: context.metric,
    statistic: fields.statistic,
    parameter: fields.parameter ?? null,
    branch: fields.branch,
    comparison: fields.comparison ?? null,
    comparison_to_branch: fields.comparisonToBranch ?? null,
    ci_width: finiteOrNull(fields.ciWidth),
    point: finiteOrNull(fields.estimate.point),
    lower: finiteOrNull(fields.estimate.lower),
    upper: finiteOrNull(fields.estimate.upper),
    segment: context.segment,
    analysis_basis: context.basis,
  };
}
