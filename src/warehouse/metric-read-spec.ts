import type { IsoDate } from '../analysis/iso-date.js';
import type { AnalysisBasis } from '../analysis/analysis-period.js';
import type { AnalysisUnit, DataSource, ExposureSignal } from '../config/analysis-config.js';

/** A window in days relative to each client's anchor date, both ends inclusive. */
export interface DayWindow {
  readonly start: number;
  readonly end: number;
}

/** One metric column to compute: a BigQuery aggregate over one client's rows of a data source. */
export interface MetricColumn {
  /** Output column name (the metric slug, `[A-Za-z0-9_]`). */
  readonly name: string;
  /** Rendered BigQuery aggregate, e.g. `COALESCE(SUM(active_hours_sum), 0)`. */
  readonly selectExpression: string;
  /** The data source the aggregate runs over. */
  readonly dataSource: DataSource;
}

/** What {@link Warehouse.readMetric} reads. */
export interface MetricReadSpec {
  /** Experiment slug; the enrollments table `enrollments_<slug>` must exist. */
  readonly slug: string;
  readonly analysisUnit: AnalysisUnit;
  /** First enrollment day. */
  readonly startDate: IsoDate;
  /** Enrollment dates are `startDate .. startDate + enrollmentPeriod`. */
  readonly enrollmentPeriod: number;
  /** Configured branches, in the order the branch indexes refer to. */
  readonly branches: readonly string[];
  readonly basis: AnalysisBasis;
  /** The analysis window (days relative to enrollment, or to exposure on the exposures basis). */
  readonly window: DayWindow;
  /** The metric, or a `depends_on` metric's dependencies: one output column each. */
  readonly metrics: readonly MetricColumn[];
  /**
   * Also compute `<metric>_pre` for each metric over this pre-enrollment window (enrollment
   * anchor, e.g. `{ start: -7, end: -1 }`), in the same query.
   */
  readonly covariateWindow?: DayWindow | null;
  /** Segment columns of the enrollments table to return as 0/1 masks. */
  readonly segments: readonly string[];
  /** The experiment's custom exposure signal, if any (exposures basis). */
  readonly exposureSignal?: ExposureSignal | null;
  /** Last day with complete data; no data after it is read. */
  readonly lastDateOfData: IsoDate;
}

/**
 * Per-client values, column-wise. Row `i` is one client: `branches[branch[i]]` is its branch,
 * `columns[m][i]` its value of metric `m` (NaN = NULL), `segments[s][i]` 1 when it is in segment
 * `s`.
 */
export interface MetricValues {
  /** Branch slugs; the configured ones first, then any others found in the data. */
  readonly branches: readonly string[];
  /** Branch index per client. */
  readonly branch: Uint16Array;
  /** One column per metric (and `<metric>_pre` covariate); NaN for NULL. */
  readonly columns: Readonly<Record<string, Float64Array>>;
  /** One 0/1 mask per requested segment. */
  readonly segments: Readonly<Record<string, Uint8Array>>;
  /** Number of clients (rows). */
  readonly clients: number;
}
