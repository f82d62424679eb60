import type { ExperimentBranch } from '../../experiments/experiment.js';
import {
  sampleRatioMismatch,
  type SampleRatioMismatchTest,
} from '../../stats/sample-ratio-mismatch.js';
import type { StatisticRow } from '../../stats/statistic-row.js';
import { clientCounts } from './metric-results.js';
import type { StatisticsTable } from './statistics-table.js';

/** The sample ratio test of one window, with the counts it was computed from. */
export interface SampleRatioCheck {
  readonly table: StatisticsTable;
  readonly branches: readonly {
    readonly slug: string;
    readonly ratio: number;
    readonly observed: number;
    /** null when nothing could be tested. */
    readonly expected: number | null;
  }[];
  /** null when nothing can be tested (one branch, no clients). */
  readonly test: SampleRatioMismatchTest | null;
}

/**
 * Tests one window's enrolled clients (identity counts, segment `all`, basis `enrollments`)
 * against the configured branch ratios. Branches missing from the counts count as 0.
 */
export function sampleRatioCheck(
  table: StatisticsTable,
  rows: readonly StatisticRow[],
  branches: readonly ExperimentBranch[],
): SampleRatioCheck {
  const counts = clientCounts(rows, 'all', 'enrollments');
  const observed = branches.map((b) => counts.get(b.slug) ?? 0);
  const test = sampleRatioMismatch(
    observed,
    branches.map((b) => b.ratio),
  );
  return {
    table,
    branches: branches.map((b, i) => ({
      slug: b.slug,
      ratio: b.ratio,
      observed: observed[i]!,
      expected: test?.expected[i] ?? null,
    })),
    test,
  };
}
