import jStat from 'jstat';

import { deriveSeed } from '../random/seed-for.js';
import type { BetaTask } from '../replicates/replicate-task.js';
import {
  describeRow,
  requireColumn,
  VALUE_COLUMN,
  type BranchSlice,
} from '../slice/metric-slice.js';
import { NonBinaryDataError } from '../statistic-error.js';
import type { StatisticParams } from '../statistic-spec.js';
import { criticalQuantile, type Estimate } from '../summary/summarize-replicates.js';
import { branchReplicateRows } from './comparison-rows.js';
import type { StatisticContext, StatisticPlan } from './statistic-plan.js';

/** Monte Carlo draws per branch for comparisons (fixed in mozanalysis). */
export const BINOMIAL_COMPARISON_DRAWS = 10_000;

/**
 * Successes k and trials n of a 0/1 column.
 * @throws NonBinaryDataError at the first value that is not 0 or 1 (a null included).
 */
export function countSuccesses(
  branch: BranchSlice,
  values: Float64Array,
): { k: number; n: number } {
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (x === 1) k++;
    else if (x !== 0) {
      throw new NonBinaryDataError(
        `binomial needs 0/1 values, got ${Number.isNaN(x) ? 'null' : x} (${describeRow(branch, i)})`,
      );
    }
  }
  return { k, n: values.length };
}

/** The exact posterior summary Beta(k + 1, n − k + 1): mean and equal-tailed interval. */
export function betaPosteriorEstimate(k: number, n: number, ci: number): Estimate {
  const a = k + 1;
  const b = n - k + 1;
  const critical = criticalQuantile(ci);
  return {
    point: a / (a + b),
    lower: jStat.beta.inv(critical, a, b),
    upper: jStat.beta.inv(1 - critical, a, b),
  };
}

/**
 * binomial → `binomial` (mozanalysis bayesian_stats.binary), spec §3.2: exact Beta posterior
 * rows per branch, Monte Carlo comparisons from 10 000 posterior draws per branch.
 */
export function planBinomial(
  context: StatisticContext,
  params: StatisticParams<'binomial'>,
): StatisticPlan {
  const counts = context.slice.map((branch) =>
    countSuccesses(branch, requireColumn(branch, VALUE_COLUMN)),
  );
  const tasks: BetaTask[] = context.slice.map((branch, i) => ({
    kind: 'beta',
    replicates: BINOMIAL_COMPARISON_DRAWS,
    seed: deriveSeed(context.seed, 'branch', branch.branch),
    alpha: counts[i]!.k + 1,
    beta: counts[i]!.n - counts[i]!.k + 1,
  }));
  const ci = params.confidence_interval;
  return {
    tasks,
    finish: (replicates) =>
      branchReplicateRows(context, replicates, {
        statistic: 'binomial',
        ci,
        parameters: [null],
        individual: (branch) => {
          const { k, n } = counts[context.slice.findIndex((b) => b.branch === branch)]!;
          return betaPosteriorEstimate(k, n, ci);
        },
      }),
  };
}
