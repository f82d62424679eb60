import type { AnalysisBasis, AnalysisPeriod } from '../analysis/analysis-period.js';
import type { IsoDate } from '../analysis/iso-date.js';
import type { AnalysisUnit, ExposureSignal } from '../config/analysis-config.js';
import type { DayWindow, MetricColumn } from './metric-read-spec.js';

/** Covariate columns read over a pre-enrollment window (anchored on enrollment). */
export interface CovariateColumns {
  /** E.g. `{ start: -7, end: -1 }`; columns are named `<metric><covariateSuffix(window)>`. */
  readonly window: DayWindow;
  readonly metrics: readonly MetricColumn[];
}

/**
 * One per-client metrics table of jetstream's layout: `<slug>_<basis>_<period>_<n>`, every
 * metric the period computes on this basis (dependencies of `depends_on` metrics included), the
 * covariates, the segment BOOLs and the sanity columns, one row per client of the population.
 */
export interface MetricsTableSpec {
  readonly slug: string;
  readonly analysisUnit: AnalysisUnit;
  /** First enrollment day. */
  readonly startDate: IsoDate;
  /** Enrollment dates are `startDate .. startDate + enrollmentPeriod`. */
  readonly enrollmentPeriod: number;
  /** Configured branches, in the order their indexes refer to. */
  readonly branches: readonly string[];
  readonly basis: AnalysisBasis;
  readonly period: AnalysisPeriod;
  readonly windowIndex: number;
  /** The analysis window (days relative to enrollment, or to exposure on the exposures basis). */
  readonly window: DayWindow;
  /** Metric columns over the analysis window. */
  readonly metrics: readonly MetricColumn[];
  /** Covariate columns, one group per pre-enrollment window. */
  readonly covariates: readonly CovariateColumns[];
  /** Segment columns of the enrollments table. */
  readonly segments: readonly string[];
  readonly exposureSignal?: ExposureSignal | null;
  /** Last day with complete data; no data after it is read. */
  readonly lastDateOfData: IsoDate;
}

/**
 * Suffix of a covariate column read over `window`: `_pre` for the pre-enrollment week (jetstream's
 * name), `_pre<days>` otherwise (`_pre28`).
 */
export function covariateSuffix(window: DayWindow): string {
  return window.start === -7 && window.end === -1 ? '_pre' : `_pre${-window.start}`;
}
