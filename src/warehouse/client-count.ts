import type { AnalysisBasis } from '../analysis/analysis-period.js';

/** What {@link Warehouse.countClients} counts. */
export interface ClientCountSpec {
  /** Experiment slug; a missing `enrollments_<slug>` counts as no enrollments. */
  readonly slug: string;
  /** Configured branches: each gets a row per (basis, segment), 0 when nobody enrolled. */
  readonly branches: readonly string[];
  /** Segment columns of the enrollments table; `all` is always counted as well. */
  readonly segments: readonly string[];
  /**
   * Bases to count. Enrollments: every enrolled client; exposures: clients with an exposure.
   * @defaultValue both bases
   */
  readonly bases?: readonly AnalysisBasis[];
}

/** Enrolled clients of one branch in one (basis, segment): the `identity` count statistic. */
export interface ClientCount {
  readonly basis: AnalysisBasis;
  /** Segment name, `all` for everyone. */
  readonly segment: string;
  readonly branch: string;
  readonly clients: number;
}
