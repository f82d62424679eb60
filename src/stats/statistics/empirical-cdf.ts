import { formatParameter } from '../format/python-float.js';
import type { CompressedSample } from '../sample/compressed-sample.js';
import type { BranchSlice } from '../slice/metric-slice.js';
import type { StatisticRow } from '../statistic-row.js';
import type { StatisticParams } from '../statistic-spec.js';
import { makeGrid } from './grid.js';
import { lowerBound } from './kernel-density.js';
import { finiteSample } from './kernel-density-estimate.js';
import type { StatisticContext, StatisticOutcome, StatisticPlan } from './statistic-plan.js';
import { makeRow } from './statistic-rows.js';

/** F(x) = #{xᵢ ≤ x}/n at each point (statsmodels ECDF, side "right"). */
export function empiricalCdf(sample: CompressedSample, points: Float64Array): Float64Array {
  const cumulative = new Float64Array(sample.counts.length + 1);
  for (let i = 0; i < sample.counts.length; i++) {
    cumulative[i + 1] = cumulative[i]! + sample.counts[i]!;
  }
  return points.map((x) => {
    let i = lowerBound(sample.values, x);
    if (i < sample.values.length && sample.values[i] === x) i++;
    return cumulative[i]! / sample.total;
  });
}

function branchRows(
  context: StatisticContext,
  branch: BranchSlice,
  params: StatisticParams<'empirical_cdf'>,
  warnings: string[],
): StatisticRow[] {
  const sample = finiteSample(branch, 'empirical_cdf');
  const grid = makeGrid(sample.values, params.grid_size, params.log_space);
  if (grid.warning) warnings.push(`branch '${branch.branch}': ${grid.warning}`);
  const common = { statistic: 'empirical_cdf', branch: branch.branch };
  const rows: StatisticRow[] = [];
  if (grid.geometric && sample.values[0] === 0) {
    const atZero = empiricalCdf(sample, Float64Array.of(0))[0]!;
    rows.push(
      makeRow(context, {
        ...common,
        parameter: formatParameter(0, true),
        estimate: { point: atZero },
      }),
    );
  }
  const cdf = empiricalCdf(sample, grid.points);
  grid.points.forEach((x, g) => {
    rows.push(
      makeRow(context, { ...common, parameter: formatParameter(x), estimate: { point: cdf[g]! } }),
    );
  });
  return rows;
}

/** empirical_cdf, spec §3.8: the ECDF per branch on the KDE grid; no intervals or comparisons. */
export function planEmpiricalCdf(
  context: StatisticContext,
  params: StatisticParams<'empirical_cdf'>,
): StatisticPlan {
  return {
    tasks: [],
    finish: (): StatisticOutcome => {
      const warnings: string[] = [];
      const rows = context.slice.flatMap((branch) => branchRows(context, branch, params, warnings));
      return { rows, failures: [], warnings };
    },
  };
}
