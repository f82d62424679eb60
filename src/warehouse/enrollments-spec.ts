import type { IsoDate } from '../analysis/iso-date.js';
import type { AnalysisUnit, ExposureSignal, Segment } from '../config/analysis-config.js';

/** Enrollment sources the warehouse can query (spec/analysis.md §1.5). */
export const SUPPORTED_ENROLLMENTS_QUERY_TYPES = ['normandy', 'glean-event'] as const;

/** One supported enrollment source. */
export type EnrollmentsQueryType = (typeof SUPPORTED_ENROLLMENTS_QUERY_TYPES)[number];

/** Everything needed to build `enrollments_<slug>` for one experiment. */
export interface EnrollmentsSpec {
  /** Experiment slug (`[A-Za-z0-9_-]`); the table is `enrollments_<slug with - → _>`. */
  readonly slug: string;
  /** First enrollment day. */
  readonly startDate: IsoDate;
  /** Enrollment dates are `startDate .. startDate + enrollmentPeriod` (inclusive). */
  readonly enrollmentPeriod: number;
  /** Configured branch slugs. */
  readonly branches: readonly string[];
  /** Id column enrollments are keyed by (`analysis_id`). */
  readonly analysisUnit: AnalysisUnit;
  /**
   * `normandy` (desktop `telemetry.events`) or `glean-event` (`<appDataset>.events_stream`);
   * any other value is rejected unless `enrollmentQuery` is given.
   */
  readonly enrollmentsQueryType: string;
  /** Glean app dataset for `glean-event`, e.g. `org_mozilla_firefox`. */
  readonly appDataset?: string | null;
  /**
   * Custom enrollment query (BigQuery SQL, rendered) returning
   * `analysis_id, branch, enrollment_date, num_enrollment_events`.
   */
  readonly enrollmentQuery?: string | null;
  /** Keep clients with `sample_id < sampleSize` (0–100); absent keeps everyone. */
  readonly sampleSize?: number | null;
  /** Segments: one BOOL column each. */
  readonly segments: readonly Segment[];
  /** Custom exposure signal; absent uses the default normandy/Glean exposure events. */
  readonly exposureSignal?: ExposureSignal | null;
  /** Last day with complete data; no data after it is read. */
  readonly lastDateOfData: IsoDate;
}
