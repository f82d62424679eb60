import type { AnalysisBasis, AnalysisPeriod } from '../analysis/analysis-period.js';
import type { IsoDate } from '../analysis/iso-date.js';
import type { StatisticSpec } from '../stats/statistic-spec.js';

/**
 * The fully resolved analysis configuration of one experiment: what metric-hub's defaults,
 * definitions, outcomes and the experiment's own override file say, merged (spec/analysis.md
 * §1.3). Every SQL fragment here is BigQuery SQL with its Jinja templates already rendered.
 */
export interface AnalysisConfig {
  /** The experiment slug this config resolves. */
  readonly experimentSlug: string;
  /** metric-hub platform (`firefox_desktop`, `fenix`, ...) whose definitions were used. */
  readonly platform: string;
  /** The `[experiment]` section after merging defaults and the override file. */
  readonly experiment: ExperimentOverrides;
  /** Metrics per period, each with its statistics; only periods with at least one metric appear. */
  readonly periods: Readonly<Partial<Record<AnalysisPeriod, readonly MetricSummary[]>>>;
  /** Segments to analyse besides the implicit `all`. */
  readonly segments: readonly Segment[];
  /** Outcomes whose metrics were added to the weekly and overall periods. */
  readonly outcomes: readonly Outcome[];
  /** Files that contributed, in merge order (for error messages and metadata). */
  readonly sources: readonly string[];
}

/**
 * `[experiment]` keys of a metric-hub config. Every field is optional: absent means "take the
 * value from Experimenter" (see `effectiveExperiment` in src/experiments).
 */
export interface ExperimentOverrides {
  readonly startDate?: IsoDate;
  readonly endDate?: IsoDate;
  readonly enrollmentPeriod?: number;
  readonly referenceBranch?: string;
  readonly analysisUnit?: AnalysisUnit;
  /** Custom enrollment query (BigQuery SQL, rendered). */
  readonly enrollmentQuery?: string;
  /** `normandy`, `glean-event`, `fenix-fallback`, `cirrus`, ... */
  readonly enrollmentsQueryType?: string;
  readonly exposureSignal?: ExposureSignal;
  readonly skip: boolean;
  readonly isPrivate: boolean;
  readonly datasetId?: string;
  /** Keep clients with `sample_id < sampleSize` (0–100). */
  readonly sampleSize?: number;
  /** Segment slugs named in the config (merged with Experimenter's). */
  readonly segments: readonly string[];
  /** Outcome slugs named in the config (merged with Experimenter's). */
  readonly outcomes: readonly string[];
}

/** Unit of analysis: the id column the enrollments and metrics are keyed by. */
export type AnalysisUnit = 'client_id' | 'profile_group_id';

/** Where a data source keeps the experiment enrollment tag used by the enrollment-day guard. */
export type ExperimentsColumnType = 'simple' | 'native' | 'glean' | 'events_stream' | 'none';

/** A table (or sub-select) that metrics and segments aggregate over. */
export interface DataSource {
  readonly name: string;
  /** A table name or a parenthesised sub-select, BigQuery SQL, rendered. */
  readonly fromExpression: string;
  /** Column holding the analysis id; default `client_id`. */
  readonly clientIdColumn: string;
  /** Column holding the profile group id; default `profile_group_id`. */
  readonly groupIdColumn: string;
  /** Column holding the day of the row; default `submission_date`. */
  readonly submissionDateColumn: string;
  /** Default `simple`. */
  readonly experimentsColumnType: ExperimentsColumnType;
  /**
   * Analysis units the source can be joined on; default both on firefox_desktop, `client_id`
   * elsewhere (metric-config-parser).
   */
  readonly analysisUnits: readonly AnalysisUnit[];
  readonly friendlyName: string | null;
  readonly description: string | null;
}

/** A metric definition after merging. */
export interface MetricDefinition {
  readonly name: string;
  /** Rendered BigQuery aggregate over one client's rows; null for `depends_on` metrics. */
  readonly selectExpression: string | null;
  /** null only for `depends_on` metrics. */
  readonly dataSource: DataSource | null;
  readonly friendlyName: string | null;
  readonly description: string | null;
  /** Default true. */
  readonly biggerIsBetter: boolean;
  /** Default both bases. */
  readonly analysisBases: readonly AnalysisBasis[];
  /** Metrics this one is derived from (population ratios); empty otherwise. */
  readonly dependsOn: readonly string[];
  /** The resolved definitions of `dependsOn`, in the same order (empty otherwise). */
  readonly dependencies?: readonly MetricDefinition[];
  /**
   * Analysis units the metric can be computed for; default both on firefox_desktop,
   * `client_id` elsewhere. Always set (and supported by its data source) by
   * `resolveAnalysisConfig`; optional only so that hand-built definitions may omit it.
   */
  readonly analysisUnits?: readonly AnalysisUnit[];
  readonly category: string | null;
  readonly type: string | null;
}

/** One metric of a period with the statistics to compute on it. */
export interface MetricSummary {
  readonly metric: MetricDefinition;
  readonly statistics: readonly StatisticSpec[];
}

/** A segment's data source: aggregated over [windowStart, windowEnd] days around enrollment. */
export interface SegmentDataSource {
  readonly name: string;
  readonly fromExpression: string;
  readonly clientIdColumn: string;
  readonly submissionDateColumn: string;
  /** Days relative to enrollment; default 0. */
  readonly windowStart: number;
  /** Days relative to enrollment; default 0. */
  readonly windowEnd: number;
}

/** A boolean sub-population computed per client at enrollment. */
export interface Segment {
  readonly name: string;
  /** Rendered boolean aggregate. */
  readonly selectExpression: string;
  readonly dataSource: SegmentDataSource;
  readonly friendlyName: string | null;
  readonly description: string | null;
}

/** A window bound of an exposure signal: days relative to enrollment, or a keyword. */
export type ExposureWindowBound =
  number | 'enrollment_start' | 'enrollment_end' | 'analysis_window_start' | 'analysis_window_end';

/** A custom exposure signal (`[experiment.exposure_signal]`). */
export interface ExposureSignal {
  readonly name: string;
  readonly selectExpression: string;
  readonly dataSource: DataSource;
  readonly windowStart: ExposureWindowBound | null;
  readonly windowEnd: ExposureWindowBound | null;
  readonly friendlyName: string | null;
  readonly description: string | null;
}

/** An outcome: a named bundle of metrics, from `jetstream/outcomes/<platform>/<slug>.toml`. */
export interface Outcome {
  readonly slug: string;
  readonly platform: string;
  readonly friendlyName: string | null;
  readonly description: string | null;
  readonly metrics: readonly string[];
  readonly defaultMetrics: readonly string[];
}
