import type { AnalysisPeriod } from '../analysis/analysis-period.js';
import type { StatisticSpec } from '../stats/statistic-spec.js';
import type { ConfigProblem } from './config-error.js';
import type {
  DataSourceEntryFields,
  ExperimentEntryFields,
  MetricEntryFields,
  ParameterEntryFields,
  SegmentDataSourceEntryFields,
  SegmentEntryFields,
} from './entry-schemas.js';

/** Where an entry was written: its file and the key path of its table. */
export interface EntryOrigin {
  readonly file: string;
  readonly keyPath: string;
}

/** One entry (a metric, a data source, ...) as one file writes it. */
export interface ConfigEntry<F> {
  readonly fields: F;
  readonly origin: EntryOrigin;
}

/** Metric fields including the strictly parsed statistics. */
export type MetricFields = MetricEntryFields & {
  readonly statistics: readonly StatisticSpec[] | undefined;
};

/** A `[metrics]` period list (`weekly = [...]`) of one file. */
export interface PeriodList {
  readonly period: AnalysisPeriod;
  readonly metrics: readonly string[];
  readonly origin: EntryOrigin;
}

/**
 * One metric-hub file after validation: the entries it defines, by kind. Entries whose table
 * failed validation are left out and their problems kept in `broken` (keyed
 * `<section>:<name>`), so a reference to them reports the real cause.
 */
export interface ConfigLayer {
  readonly file: string;
  /** Metric entries by key; a key may be a glob matching metrics of lower layers. */
  readonly metrics: ReadonlyMap<string, ConfigEntry<MetricFields>>;
  readonly periodLists: readonly PeriodList[];
  readonly dataSources: ReadonlyMap<string, ConfigEntry<DataSourceEntryFields>>;
  readonly segments: ReadonlyMap<string, ConfigEntry<SegmentEntryFields>>;
  readonly segmentDataSources: ReadonlyMap<string, ConfigEntry<SegmentDataSourceEntryFields>>;
  readonly experiment: ConfigEntry<ExperimentEntryFields> | null;
  readonly parameters: ReadonlyMap<string, ConfigEntry<ParameterEntryFields>>;
  readonly broken: ReadonlyMap<string, readonly ConfigProblem[]>;
  /** Outcome files: top-level `friendly_name`, `description` and `default_metrics`. */
  readonly friendlyName: string | null;
  readonly description: string | null;
  readonly defaultMetrics: readonly string[];
}

/** Key of {@link ConfigLayer.broken}. */
export function brokenKey(section: string, name: string): string {
  return `${section}:${name}`;
}
