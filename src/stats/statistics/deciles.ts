import { binomialTableRange } from '../random/binomial-table.js';
import { deriveSeed } from '../random/seed-for.js';
import type { OrderStatisticsTask } from '../replicates/replicate-task.js';
import { orderAtRanks } from '../sample/order-at-ranks.js';
import { requireNonNull } from '../sample/require-non-null.js';
import { requireColumn, VALUE_COLUMN } from '../slice/metric-slice.js';
import type { StatisticParams } from '../statistic-spec.js';
import { replicateColumn } from '../summary/summarize-replicates.js';
import { replicateComparisonRows } from './comparison-rows.js';
import type { StatisticContext, StatisticPlan } from './statistic-plan.js';

/** The deciles 0.1 … 0.9 as numpy's `np.arange(1, 10) * 0.1` computes them. */
export const DECILES = Array.from({ length: 9 }, (_, i) => (i + 1) * 0.1);
/** Their labels, Python `f"{q:.1}"`: "0.1" … "0.9". */
export const DECILE_LABELS = DECILES.map((q) => q.toPrecision(1));

/**
 * deciles → `deciles`, spec §3.3: per branch and decile q, replicates x₍K₎ of the sorted values
 * with K ~ Binomial(n − 1, q) (resampling-free quantile bootstrap); no outlier capping.
 * @throws NullValuesError when a branch has a null value.
 */
export function planDeciles(
  context: StatisticContext,
  params: StatisticParams<'deciles'>,
): StatisticPlan {
  const tasks: OrderStatisticsTask[] = context.slice.map((branch) => {
    const values = requireColumn(branch, VALUE_COLUMN);
    requireNonNull(branch, VALUE_COLUMN, values);
    return {
      kind: 'order_statistics',
      replicates: params.num_samples,
      seed: deriveSeed(context.seed, 'branch', branch.branch),
      sorted: orderAtRanks(
        values,
        DECILES.map((q) => binomialTableRange(values.length - 1, q)),
      ),
      probabilities: Float64Array.from(DECILES),
    };
  });
  return {
    tasks,
    finish: (replicates) =>
      replicateComparisonRows(
        context,
        context.slice.map((branch, i) => ({
          branch: branch.branch,
          perParameter: DECILES.map((_, d) => replicateColumn(replicates[i]!, DECILES.length, d)),
        })),
        { statistic: 'deciles', ci: params.confidence_interval, parameters: DECILE_LABELS },
      ),
  };
}
