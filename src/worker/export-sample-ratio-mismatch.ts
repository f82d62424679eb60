import type { AnalysisPeriod } from '../analysis/analysis-period.js';
import { SRM_P_VALUE_THRESHOLD, sampleRatioMismatch } from '../stats/sample-ratio-mismatch.js';

/** The metadata export's `sample_ratio_mismatch[period]` entry (snake_case, like jetstream's JSON). */
export interface ExportedSampleRatioMismatch {
  /** The window whose enrollment counts were tested (the period's latest). */
  readonly window_index: number;
  readonly segment: 'all';
  readonly analysis_basis: 'enrollments';
  /** Per branch: configured ratio, enrolled clients, expected clients under the ratios. */
  readonly branches: Readonly<
    Record<string, { ratio: number; observed: number; expected: number }>
  >;
  /** Pearson's χ²; null when infinite (clients in a branch configured with ratio 0). */
  readonly chi_square: number | null;
  readonly degrees_of_freedom: number;
  readonly p_value: number;
  readonly threshold: number;
  /** `p_value < threshold`. */
  readonly mismatch: boolean;
}

/** What {@link sampleRatioMismatchByPeriod} reads from an exported statistics row. */
type CountRow = Readonly<Record<string, string | number>>;

/** Clients per branch in the `identity`/`count` rows of one window (segment all, enrollments). */
function enrolledCounts(rows: readonly CountRow[], windowIndex: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) {
    if (
      row['metric'] === 'identity' &&
      row['statistic'] === 'count' &&
      row['segment'] === 'all' &&
      row['analysis_basis'] === 'enrollments' &&
      row['window_index'] === windowIndex &&
      typeof row['branch'] === 'string' &&
      typeof row['point'] === 'number'
    ) {
      counts.set(row['branch'], row['point']);
    }
  }
  return counts;
}

function latestWindow(rows: readonly CountRow[]): string | null {
  let latest: number | null = null;
  for (const row of rows) {
    const n = Number(row['window_index']);
    if (row['metric'] === 'identity' && (latest === null || n > latest)) latest = n;
  }
  return latest === null ? null : String(latest);
}

/**
 * Sample ratio mismatch test per period (issue #8): the enrolled clients per branch of the
 * period's latest window (identity counts, segment `all`, basis `enrollments`) against the
 * branch ratios of the export payload. Periods without identity counts, or with nothing to test
 * (one branch, no clients), are left out.
 */
export function sampleRatioMismatchByPeriod(
  rowsByPeriod: ReadonlyMap<AnalysisPeriod, readonly CountRow[]>,
  branches: readonly { readonly slug: string; readonly ratio: number }[],
): Partial<Record<AnalysisPeriod, ExportedSampleRatioMismatch>> {
  const out: Partial<Record<AnalysisPeriod, ExportedSampleRatioMismatch>> = {};
  for (const [period, rows] of rowsByPeriod) {
    const window = latestWindow(rows);
    if (window === null) continue;
    const counts = enrolledCounts(rows, window);
    const observed = branches.map((b) => counts.get(b.slug) ?? 0);
    const test = sampleRatioMismatch(
      observed,
      branches.map((b) => b.ratio),
    );
    if (test === null) continue;
    out[period] = {
      window_index: Number(window),
      segment: 'all',
      analysis_basis: 'enrollments',
      branches: Object.fromEntries(
        branches.map((b, i) => [
          b.slug,
          { ratio: b.ratio, observed: observed[i]!, expected: test.expected[i]! },
        ]),
      ),
      chi_square: Number.isFinite(test.chiSquare) ? test.chiSquare : null,
      degrees_of_freedom: test.degreesOfFreedom,
      p_value: test.pValue,
      threshold: SRM_P_VALUE_THRESHOLD,
      mismatch: test.mismatch,
    };
  }
  return out;
}
