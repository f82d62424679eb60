import { formatParameter } from '../format/python-float.js';
import { compressSample, type CompressedSample } from '../sample/compressed-sample.js';
import {
  describeRow,
  requireColumn,
  VALUE_COLUMN,
  type BranchSlice,
} from '../slice/metric-slice.js';
import { NullValuesError } from '../statistic-error.js';
import type { StatisticRow } from '../statistic-row.js';
import type { StatisticParams } from '../statistic-spec.js';
import { makeGrid } from './grid.js';
import { kernelSumDirect, kernelSumsOnUniformGrid } from './kernel-density.js';
import type { StatisticContext, StatisticOutcome, StatisticPlan } from './statistic-plan.js';
import { makeRow } from './statistic-rows.js';

type KdeParams = StatisticParams<'kernel_density_estimate'>;

/**
 * The branch's values compressed; KDE and ECDF accept neither nulls nor infinities.
 * @throws NullValuesError naming the first bad row.
 */
export function finiteSample(branch: BranchSlice, statistic: string): CompressedSample {
  const values = requireColumn(branch, VALUE_COLUMN);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      throw new NullValuesError(
        `${statistic} needs finite values, got ${values[i]} (${describeRow(branch, i)})`,
      );
    }
  }
  return compressSample(values);
}

/** scikit-learn's bandwidth: "scott" n^(−1/5), "silverman" (3n/4)^(−1/5), or the number given. */
export function kdeBandwidth(bandwidth: KdeParams['bandwidth'], n: number): number {
  if (bandwidth === 'scott') return Math.pow(n, -0.2);
  if (bandwidth === 'silverman') return Math.pow((n * 3) / 4, -0.2);
  return bandwidth;
}

/** Density f(x) = Σ K((x − xᵢ)/h)/(n h) at every grid point. */
export function kernelDensity(
  sample: CompressedSample,
  h: number,
  kernel: KdeParams['kernel'],
  grid: Float64Array,
  uniform: boolean,
): Float64Array {
  const sums =
    uniform && (kernel === 'gaussian' || kernel === 'exponential') && grid.length > 1
      ? kernelSumsOnUniformGrid(sample, h, kernel, grid)
      : grid.map((x) => kernelSumDirect(sample, h, kernel, x));
  const scale = 1 / (sample.total * h);
  return sums.map((s) => s * scale);
}

function branchRows(
  context: StatisticContext,
  branch: BranchSlice,
  params: KdeParams,
  warnings: string[],
): StatisticRow[] {
  const sample = finiteSample(branch, 'kernel_density_estimate');
  const h = kdeBandwidth(params.bandwidth, sample.total);
  const grid = makeGrid(sample.values, params.grid_size, params.log_space);
  if (grid.warning) warnings.push(`branch '${branch.branch}': ${grid.warning}`);
  const density = kernelDensity(sample, h, params.kernel, grid.points, !grid.geometric);
  const rows: StatisticRow[] = [];
  const common = { statistic: 'kernel_density_estimate', branch: branch.branch };
  if (grid.geometric && sample.values[0] === 0) {
    const atZero = kernelSumDirect(sample, h, params.kernel, 0) / (sample.total * h);
    rows.push(
      makeRow(context, {
        ...common,
        parameter: formatParameter(0, true),
        estimate: { point: atZero },
      }),
    );
  }
  grid.points.forEach((x, g) => {
    rows.push(
      makeRow(context, {
        ...common,
        parameter: formatParameter(x),
        estimate: { point: density[g]! },
      }),
    );
  });
  return rows;
}

/**
 * kernel_density_estimate, spec §3.7: scikit-learn KernelDensity per branch, evaluated exactly
 * (no binning) on the branch's grid; no intervals, no comparisons.
 */
export function planKernelDensityEstimate(
  context: StatisticContext,
  params: KdeParams,
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
