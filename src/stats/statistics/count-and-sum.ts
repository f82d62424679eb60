import { branchRowCount, requireColumn, VALUE_COLUMN } from '../slice/metric-slice.js';
import type { StatisticContext, StatisticPlan } from './statistic-plan.js';
import { deterministicPlan, rowsOutcome } from './statistic-plan.js';
import { makeRow } from './statistic-rows.js';

/** count → `count`, spec §3.9: rows per branch, null metric values included. */
export function planCount(context: StatisticContext): StatisticPlan {
  return deterministicPlan(() =>
    rowsOutcome(
      context.slice.map((branch) =>
        makeRow(context, {
          statistic: 'count',
          branch: branch.branch,
          estimate: { point: branchRowCount(branch) },
        }),
      ),
    ),
  );
}

/** sum → `sum`, spec §3.9: the sum of the non-null values per branch, as a float. */
export function planSum(context: StatisticContext): StatisticPlan {
  return deterministicPlan(() =>
    rowsOutcome(
      context.slice.map((branch) => {
        let total = 0;
        const values = requireColumn(branch, VALUE_COLUMN);
        for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) total += values[i]!;
        return makeRow(context, {
          statistic: 'sum',
          branch: branch.branch,
          estimate: { point: total },
        });
      }),
    ),
  );
}
