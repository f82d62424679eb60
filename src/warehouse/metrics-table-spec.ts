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
  /**
   * The scans this table shares with the experiment's other metrics tables of the same run date
   * (every window and basis); without it the table scans for itself alone.
   */
  readonly scan?: MetricsScan | null;
}

/** One metrics table served by a shared scan: a basis and a window. */
export interface ScanSlice {
  readonly basis: AnalysisBasis;
  readonly period: AnalysisPeriod;
  readonly windowIndex: number;
  readonly window: DayWindow;
}

/**
 * What the metrics tables of one experiment and run date read, together: one telemetry scan per
 * data source serves every slice (window × basis), and one per covariate window and data source
 * serves every table.
 */
export interface MetricsScan {
  /** Tells the scan's tables apart from another scan of the date (`g2`); none for the first. */
  readonly name?: string;
  /** Every slice, this table's included, in one order for all of them. */
  readonly slices: readonly ScanSlice[];
  /** The slices' metric columns (each column once). */
  readonly metrics: readonly MetricColumn[];
  /** The slices' covariate columns, one group per pre-enrollment window. */
  readonly covariates: readonly CovariateColumns[];
}

/** The key of a slice in a shared scan's table: `<basis>.<period>.<n>`. */
export function sliceKey(slice: ScanSlice): string {
  return `${slice.basis}.${slice.period}.${Math.trunc(slice.windowIndex)}`;
}

/** The scan a table reads: its shared scan, or one of its own (a single slice). */
export function scanOf(spec: MetricsTableSpec): MetricsScan {
  if (spec.scan) return spec.scan;
  return {
    slices: [
      {
        basis: spec.basis,
        period: spec.period,
        windowIndex: spec.windowIndex,
        window: spec.window,
      },
    ],
    metrics: spec.metrics,
    covariates: spec.covariates,
  };
}

/**
 * Suffix of a covariate column read over `window`: `_pre` for the pre-enrollment week (jetstream's
 * name), `_pre<days>` otherwise (`_pre28`).
 */
export function covariateSuffix(window: DayWindow): string {
  return window.start === -7 && window.end === -1 ? '_pre' : `_pre${-window.start}`;
}
