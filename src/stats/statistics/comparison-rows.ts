import { SingleBranchError } from '../statistic-error.js';
import type { StatisticRow } from '../statistic-row.js';
import {
  summarizeComparison,
  summarizeIndividual,
  type Estimate,
} from '../summary/summarize-replicates.js';
import type { StatisticContext, StatisticOutcome } from './statistic-plan.js';
import { makeRow } from './statistic-rows.js';

/** Replicates of one branch: one array per parameter (one array when there is no parameter). */
export interface BranchReplicates {
  readonly branch: string;
  readonly perParameter: readonly Float64Array[];
}

/** How to turn per-branch replicates into rows. */
export interface ComparisonRowsOptions {
  /** Output statistic name (`mean`, `deciles`, ...). */
  readonly statistic: string;
  /** Confidence interval width for every row (decision §0.2). */
  readonly ci: number;
  /** Parameter label per replicate array; [null] when the statistic has none. */
  readonly parameters: readonly (string | null)[];
  /** Individual estimates other than the replicate summary (binomial's exact Beta rows). */
  readonly individual?: (branch: string, parameter: number) => Estimate;
}

function individualRows(
  context: StatisticContext,
  replicates: readonly BranchReplicates[],
  options: ComparisonRowsOptions,
): StatisticRow[] {
  const rows: StatisticRow[] = [];
  for (const { branch, perParameter } of replicates) {
    options.parameters.forEach((parameter, p) => {
      const estimate = options.individual
        ? options.individual(branch, p)
        : summarizeIndividual(perParameter[p]!, options.ci);
      rows.push(
        makeRow(context, {
          statistic: options.statistic,
          branch,
          parameter,
          ciWidth: options.ci,
          estimate,
        }),
      );
    });
  }
  return rows;
}

function comparisonRows(
  context: StatisticContext,
  b: BranchReplicates,
  r: BranchReplicates,
  options: ComparisonRowsOptions,
): StatisticRow[] {
  const summaries = options.parameters.map((_, p) =>
    summarizeComparison(b.perParameter[p]!, r.perParameter[p]!, options.ci),
  );
  const common = {
    statistic: options.statistic,
    branch: b.branch,
    comparisonToBranch: r.branch,
    ciWidth: options.ci,
  };
  return [
    ...summaries.map((s, p) =>
      makeRow(context, {
        ...common,
        parameter: options.parameters[p] ?? null,
        comparison: 'difference',
        estimate: s.difference,
      }),
    ),
    ...summaries.map((s, p) =>
      makeRow(context, {
        ...common,
        parameter: options.parameters[p] ?? null,
        comparison: 'relative_uplift',
        estimate: s.relative,
      }),
    ),
  ];
}

/**
 * Rows of a replicate-based statistic: individual rows per branch, then every branch against
 * each reference of the context. Each branch was bootstrapped once; its replicates are reused
 * for every reference (decision §0.3). A slice with one branch gets its individual rows and a
 * SingleBranchError failure.
 */
export function replicateComparisonRows(
  context: StatisticContext,
  replicates: readonly BranchReplicates[],
  options: ComparisonRowsOptions,
): StatisticOutcome {
  const rows = individualRows(context, replicates, options);
  const failures: { referenceBranch: string | null; error: Error }[] = [];
  if (replicates.length < 2) {
    failures.push({
      referenceBranch: replicates[0]?.branch ?? null,
      error: new SingleBranchError(
        `only branch '${replicates[0]?.branch ?? ''}' has data: no comparisons`,
      ),
    });
  }
  for (const reference of context.references) {
    const r = replicates.find((x) => x.branch === reference);
    if (!r) continue;
    for (const b of replicates) {
      if (b !== r) rows.push(...comparisonRows(context, b, r, options));
    }
  }
  return { rows, failures, warnings: [] };
}

/**
 * {@link replicateComparisonRows} for a statistic with one replicate set per branch (no
 * parameter axis): `replicates[i]` belongs to the context's i-th branch.
 */
export function branchReplicateRows(
  context: StatisticContext,
  replicates: readonly Float64Array[],
  options: ComparisonRowsOptions,
): StatisticOutcome {
  return replicateComparisonRows(
    context,
    context.slice.map((branch, i) => ({ branch: branch.branch, perParameter: [replicates[i]!] })),
    options,
  );
}
