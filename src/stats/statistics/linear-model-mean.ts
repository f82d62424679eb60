import jStat from 'jstat';

import { coerceError } from '../coerce-error.js';
import {
  COVARIATE_COLUMN,
  requireColumn,
  sliceHasColumn,
  sliceRowCount,
  VALUE_COLUMN,
} from '../slice/metric-slice.js';
import { DegenerateDataError } from '../statistic-error.js';
import type { StatisticRow } from '../statistic-row.js';
import type { StatisticParams } from '../statistic-spec.js';
import {
  fitLinearModel,
  relativeEffect,
  type BranchMoments,
  type LinearModelFit,
} from './linear-model-fit.js';
import {
  clippedMoments,
  clipThresholdInPlace,
  datagridCovariateMean,
  pooledModelCovariate,
  pooledNonNull,
  sampleStd,
} from './linear-model-data.js';
import type { StatisticContext, StatisticOutcome, StatisticPlan } from './statistic-plan.js';
import { makeRow } from './statistic-rows.js';

/** The linear model always reports 95% intervals (jetstream passes alphas [0.05]). */
const LM_CI = 0.95;
/** `np.isclose(std, 0)`: the target has no variation. */
const NO_VARIATION_STD = 1e-8;

type LinearModelParams = StatisticParams<'linear_model_mean'>;

/** Which output a linear-model statistic produces. */
type LinearModelVariant = 'mean_lm' | 'per_client_dau_impact';

/** Shared, reference-independent preparation of the slice. */
interface PreparedModel {
  /** Branches with model rows, in slice order, and their sufficient statistics. */
  readonly branches: readonly string[];
  readonly moments: readonly BranchMoments[];
  readonly adjusted: boolean;
  readonly covariateMean: number;
  /** Pooled threshold of y (jetstream's pre-check uses it too). */
  readonly yCap: number;
  readonly noVariation: boolean;
  readonly warnings: string[];
}

function usesCovariate(context: StatisticContext, params: LinearModelParams): boolean {
  if (params.covariate_adjustment === null) return false;
  if (context.period.startsWith('preenrollment')) return false;
  if (context.period === params.covariate_adjustment.period) return false;
  return true;
}

/** Pooled cap of a column (and, for y, whether it varies at all). */
function pooledCap(
  context: StatisticContext,
  column: string,
  t: number,
): { cap: number; std: number } {
  const pooled = pooledNonNull(context.slice.map((b) => requireColumn(b, column)));
  const std = column === VALUE_COLUMN ? sampleStd(pooled) : Number.NaN;
  return { cap: clipThresholdInPlace(pooled, t, context.isIntegerColumn(column)), std };
}

function prepareModel(context: StatisticContext, params: LinearModelParams): PreparedModel {
  const warnings: string[] = [];
  let adjusted = usesCovariate(context, params);
  if (adjusted && !sliceHasColumn(context.slice, COVARIATE_COLUMN)) {
    warnings.push(`covariate column '${COVARIATE_COLUMN}' not found: unadjusted inferences`);
    adjusted = false;
  }
  const t = 1 - params.drop_highest;
  const y = pooledCap(context, VALUE_COLUMN, t);
  const xCap = adjusted ? pooledCap(context, COVARIATE_COLUMN, t).cap : 0;
  const branches: string[] = [];
  const moments: BranchMoments[] = [];
  for (const branch of context.slice) {
    const m = clippedMoments({
      y: branch.columns[VALUE_COLUMN]!,
      x: adjusted ? branch.columns[COVARIATE_COLUMN] : undefined,
      yCap: y.cap,
      xCap,
    });
    if (m.n === 0) continue;
    branches.push(branch.branch);
    moments.push(m);
  }
  const covariateMean = adjusted
    ? datagridCovariateMean(
        pooledModelCovariate(context.slice, {
          yColumn: VALUE_COLUMN,
          xColumn: COVARIATE_COLUMN,
          yCap: y.cap,
          xCap,
        }),
      )
    : 0;
  return {
    branches,
    moments,
    adjusted,
    covariateMean,
    yCap: y.cap,
    noVariation: y.std <= NO_VARIATION_STD,
    warnings,
  };
}

/** jetstream's pre-check: the reference's non-null values (clipped at the pooled cap) are all 0. */
function referencePreCheck(context: StatisticContext, reference: string, yCap: number): void {
  const branch = context.slice.find((b) => b.branch === reference);
  const values = branch ? requireColumn(branch, VALUE_COLUMN) : new Float64Array(0);
  let rawNonZero = false;
  let clippedNonZero = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v) || v === 0) continue;
    rawNonZero = true;
    if (Math.min(v, yCap) !== 0) clippedNonZero = true;
  }
  if (!rawNonZero) {
    throw new DegenerateDataError(`all values of reference branch '${reference}' are zero`);
  }
  if (!clippedNonZero) {
    throw new DegenerateDataError(
      `all values of reference branch '${reference}' are zero after outlier trimming at ${yCap}`,
    );
  }
}

function individualRows(
  context: StatisticContext,
  model: PreparedModel,
  nulls: boolean,
): StatisticRow[] {
  const branches = nulls ? context.slice.map((b) => b.branch) : model.branches;
  return branches.map((branch, i) => {
    const m = model.moments[i];
    if (nulls || !m) {
      return makeRow(context, {
        statistic: 'mean_lm',
        branch,
        ciWidth: LM_CI,
        estimate: { point: Number.NaN },
      });
    }
    const half = jStat.studentt.inv(0.975, m.n - 1) * Math.sqrt(m.syy / (m.n - 1) / m.n);
    return makeRow(context, {
      statistic: 'mean_lm',
      branch,
      ciWidth: LM_CI,
      estimate: { point: m.meanY, lower: m.meanY - half, upper: m.meanY + half },
    });
  });
}

/** Difference and relative rows of branch b against the fit's reference (null values without fit). */
function comparativeRows(
  context: StatisticContext,
  statistic: string,
  branch: string,
  reference: string,
  estimates:
    | {
        difference: { point: number; lower: number; upper: number };
        relative: { point: number; lower: number; upper: number };
      }
    | undefined,
): StatisticRow[] {
  const nan = { point: Number.NaN };
  const common = { statistic, branch, comparisonToBranch: reference, ciWidth: LM_CI };
  return [
    makeRow(context, {
      ...common,
      comparison: 'difference',
      estimate: estimates?.difference ?? nan,
    }),
    makeRow(context, {
      ...common,
      comparison: 'relative_uplift',
      estimate: estimates?.relative ?? nan,
    }),
  ];
}

function effectEstimates(fit: LinearModelFit, b: number, covariateMean: number) {
  const beta = fit.effect(b);
  const halfWidth = jStat.studentt.inv(0.975, fit.dfResid) * Math.sqrt(fit.covariance(b)[1]);
  const z = jStat.normal.inv(0.975, 0, 1);
  const { ratio, seLog } = relativeEffect(fit, b, covariateMean);
  const g = Math.log(ratio);
  return {
    difference: { point: beta, lower: beta - halfWidth, upper: beta + halfWidth },
    relative: {
      point: ratio - 1,
      lower: Math.exp(g - z * seLog) - 1,
      upper: Math.exp(g + z * seLog) - 1,
    },
  };
}

/** Fits against reference index r, falling back to the unadjusted model when XᵀX is singular. */
function fitWithFallback(model: PreparedModel, r: number): LinearModelFit | undefined {
  const fit = fitLinearModel(model.moments, r, model.adjusted);
  if (fit || !model.adjusted) return fit;
  model.warnings.push('singular covariate: fell back to unadjusted inferences');
  return fitLinearModel(model.moments, r, false);
}

function referenceRows(
  context: StatisticContext,
  model: PreparedModel,
  reference: string,
  statistic: string,
): StatisticRow[] {
  if (model.noVariation) {
    return context.slice
      .filter((b) => b.branch !== reference)
      .flatMap((b) => comparativeRows(context, statistic, b.branch, reference, undefined));
  }
  const r = model.branches.indexOf(reference);
  if (r < 0) throw new DegenerateDataError(`reference branch '${reference}' has no non-null rows`);
  const fit = fitWithFallback(model, r);
  const usable = fit !== undefined && fit.rss > 0;
  return model.branches.flatMap((b, i) =>
    i === r
      ? []
      : comparativeRows(
          context,
          statistic,
          b,
          reference,
          usable ? effectEstimates(fit, i, model.covariateMean) : undefined,
        ),
  );
}

function runLinearModel(
  context: StatisticContext,
  params: LinearModelParams,
  variant: LinearModelVariant,
): StatisticOutcome {
  const model = prepareModel(context, params);
  const rows: StatisticRow[] = [];
  const failures: { referenceBranch: string | null; error: Error }[] = [];
  let anySucceeded = false;
  for (const reference of context.references) {
    try {
      referencePreCheck(context, reference, model.yCap);
      rows.push(...referenceRows(context, model, reference, variant));
      anySucceeded = true;
    } catch (e) {
      failures.push({ referenceBranch: reference, error: coerceError(e) });
    }
  }
  if (variant === 'per_client_dau_impact') {
    return { rows: dauRows(context, rows), failures, warnings: model.warnings };
  }
  const individual = anySucceeded ? individualRows(context, model, model.noVariation) : [];
  return { rows: [...individual, ...rows], failures, warnings: model.warnings };
}

/** per_client_dau_impact: configured branches only; differences scaled by the slice's rows. */
function dauRows(context: StatisticContext, rows: readonly StatisticRow[]): StatisticRow[] {
  const n = sliceRowCount(context.slice);
  const configured = context.experimentBranches;
  return rows
    .filter((row) => configured === undefined || configured.includes(row.branch))
    .map((row) =>
      row.comparison === 'difference'
        ? {
            ...row,
            point: row.point === null ? null : row.point * n,
            lower: row.lower === null ? null : row.lower * n,
            upper: row.upper === null ? null : row.upper * n,
          }
        : row,
    );
}

/**
 * linear_model_mean → `mean_lm`, spec §3.4: per-branch t intervals and OLS comparisons (with the
 * optional CUPED-style covariate), clipped once per slice (decision §0.4). Always 95%.
 */
export function planLinearModelMean(
  context: StatisticContext,
  params: LinearModelParams,
): StatisticPlan {
  return { tasks: [], finish: () => runLinearModel(context, params, 'mean_lm') };
}

/**
 * per_client_dau_impact, spec §3.5: the linear model without capping; only comparative rows of
 * configured branches; differences multiplied by the number of rows in the slice.
 */
export function planPerClientDauImpact(
  context: StatisticContext,
  params: StatisticParams<'per_client_dau_impact'>,
): StatisticPlan {
  return { tasks: [], finish: () => runLinearModel(context, params, 'per_client_dau_impact') };
}
