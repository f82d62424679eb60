import { deriveSeed } from '../random/seed-for.js';
import type { ResampleRatioTask } from '../replicates/replicate-task.js';
import { compressPairs, interleave } from '../sample/compressed-pairs.js';
import { requireNonNull } from '../sample/require-non-null.js';
import { cappingQuantile, winsorize } from '../sample/winsorize.js';
import { requireColumn, VALUE_COLUMN, type BranchSlice } from '../slice/metric-slice.js';
import type { StatisticParams } from '../statistic-spec.js';
import { branchReplicateRows } from './comparison-rows.js';
import type { StatisticContext, StatisticPlan } from './statistic-plan.js';

/**
 * Multinomial resampling of distinct pairs costs a binomial draw (~30 row draws) per pair, so
 * it is used when there are fewer than rows/32 distinct pairs.
 */
const DISTINCT_PAIRS_DIVISOR = 32;

/**
 * The percentile-bootstrap task of one branch's (numerator, denominator) rows: nulls rejected,
 * each column winsorized at its own Q(t), then distinct pairs (multinomial mode) or all rows.
 */
export function resampleRatioTask(
  branch: BranchSlice,
  numeratorColumn: string,
  denominatorColumn: string,
  dropHighest: number,
  replicates: number,
  seed: number,
): ResampleRatioTask {
  let numerators = requireColumn(branch, numeratorColumn);
  let denominators = requireColumn(branch, denominatorColumn);
  requireNonNull(branch, numeratorColumn, numerators);
  requireNonNull(branch, denominatorColumn, denominators);
  const t = cappingQuantile(dropHighest);
  if (t !== undefined) {
    numerators = winsorize(numerators, t);
    denominators = winsorize(denominators, t);
  }
  const limit = Math.floor(numerators.length / DISTINCT_PAIRS_DIVISOR);
  const compressed = compressPairs(numerators, denominators, limit);
  if (compressed) return { kind: 'resample_ratio', replicates, seed, ...compressed };
  return {
    kind: 'resample_ratio',
    replicates,
    seed,
    pairs: interleave(numerators, denominators),
    counts: null,
  };
}

/**
 * population_ratio → `population_ratio`, spec §3.6: percentile bootstrap of
 * mean(numerator)/mean(denominator) over resampled clients.
 * @throws MissingColumnError when the metric, numerator or denominator column is missing.
 * @throws NullValuesError when a numerator or denominator is null.
 */
export function planPopulationRatio(
  context: StatisticContext,
  params: StatisticParams<'population_ratio'>,
): StatisticPlan {
  const tasks = context.slice.map((branch) => {
    requireColumn(branch, VALUE_COLUMN);
    return resampleRatioTask(
      branch,
      params.numerator,
      params.denominator,
      params.drop_highest,
      params.num_samples,
      deriveSeed(context.seed, 'branch', branch.branch),
    );
  });
  return {
    tasks,
    finish: (replicates) =>
      branchReplicateRows(context, replicates, {
        statistic: 'population_ratio',
        ci: params.confidence_interval,
        parameters: [null],
      }),
  };
}
