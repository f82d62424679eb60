import { deriveSeed } from '../random/seed-for.js';
import type { BayesianBootstrapTask } from '../replicates/replicate-task.js';
import {
  capCompressed,
  quantileCompressed,
  tallySample,
  type CompressedSample,
} from '../sample/compressed-sample.js';
import { requireNonNull } from '../sample/require-non-null.js';
import { cappingQuantile, winsorize } from '../sample/winsorize.js';
import { requireColumn, VALUE_COLUMN } from '../slice/metric-slice.js';
import type { StatisticParams } from '../statistic-spec.js';
import { branchReplicateRows } from './comparison-rows.js';
import type { StatisticContext, StatisticPlan } from './statistic-plan.js';

/**
 * The Bayesian-bootstrap task of one branch's values: nulls rejected, values above Q(t) capped
 * (`filter_outliers`), compressed to distinct values with counts and split into values seen once
 * (Exp(1) weights) and repeated values (Gamma(count) weights).
 *
 * A continuous sample (too many distinct values to tally, see `tallySample`) is not compressed:
 * every row keeps its own Exp(1) weight, which is the same Dirichlet(1, …, 1) distribution without
 * the O(n log n) sort that finding its few repeated values would cost.
 */
export function bayesianBootstrapTask(
  values: Float64Array,
  dropHighest: number,
  replicates: number,
  seed: number,
): BayesianBootstrapTask {
  const t = cappingQuantile(dropHighest);
  const tallied = tallySample(values);
  if (tallied === undefined) {
    const rows = t === undefined ? values.slice() : winsorize(values, t);
    const none = new Float64Array(0);
    return {
      kind: 'bayesian_bootstrap',
      replicates,
      seed,
      singles: rows,
      values: none,
      counts: none,
    };
  }
  let sample: CompressedSample = tallied;
  if (t !== undefined) sample = capCompressed(sample, quantileCompressed(sample, t));
  let singles = 0;
  for (let j = 0; j < sample.counts.length; j++) if (sample.counts[j] === 1) singles++;
  const single = new Float64Array(singles);
  const repeated = new Float64Array(sample.values.length - singles);
  const counts = new Float64Array(sample.values.length - singles);
  let s = 0;
  let m = 0;
  for (let j = 0; j < sample.values.length; j++) {
    if (sample.counts[j] === 1) {
      single[s++] = sample.values[j]!;
    } else {
      repeated[m] = sample.values[j]!;
      counts[m++] = sample.counts[j]!;
    }
  }
  return {
    kind: 'bayesian_bootstrap',
    replicates,
    seed,
    singles: single,
    values: repeated,
    counts,
  };
}

/**
 * bootstrap_mean → `mean`: Bayesian bootstrap of each branch's mean (mozanalysis
 * bayesian_stats.bayesian_bootstrap), spec/statistics.md §3.1.
 * @throws NullValuesError when a branch has a null value.
 */
export function planBootstrapMean(
  context: StatisticContext,
  params: StatisticParams<'bootstrap_mean'>,
): StatisticPlan {
  const tasks = context.slice.map((branch) => {
    const values = requireColumn(branch, VALUE_COLUMN);
    requireNonNull(branch, VALUE_COLUMN, values);
    const seed = deriveSeed(context.seed, 'branch', branch.branch);
    return bayesianBootstrapTask(values, params.drop_highest, params.num_samples, seed);
  });
  return {
    tasks,
    finish: (replicates) =>
      branchReplicateRows(context, replicates, {
        statistic: 'mean',
        ci: params.confidence_interval,
        parameters: [null],
      }),
  };
}
