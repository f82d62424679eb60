import { z } from 'zod';

import { ANALYSIS_BASES } from '../analysis/analysis-period.js';
import { isIsoDate } from '../analysis/iso-date.js';

/**
 * zod schemas of the tables metric-hub files contain, one per kind of entry. They are tolerant
 * of informational keys real files carry (`owner`, `deprecated`, `level`, `joins`, ...): those
 * are accepted and dropped. Keys that change behaviour are typed; statistics are checked
 * separately and strictly (parse-statistics.ts). Outputs are camel-cased and optional: merging
 * (merge-entries.ts) fills gaps from lower layers, and resolution applies the defaults.
 */

const text = z.string();

/**
 * Longest SQL snippet (select, from, enrollment query) accepted: BigQuery rejects queries longer
 * than 1 MB, and every snippet travels in job payloads through Redis.
 */
export const MAX_SQL_SNIPPET_LENGTH = 1_000_000;

const sql = z
  .string()
  .max(
    MAX_SQL_SNIPPET_LENGTH,
    `longer than ${MAX_SQL_SNIPPET_LENGTH} characters (BigQuery's query length limit)`,
  );
const names = z.array(z.string().min(1));
const analysisUnit = z.enum(['client_id', 'profile_group_id']);
const isoDate = z.string().refine(isIsoDate, { message: 'expected a date written YYYY-MM-DD' });
const experimentsColumnType = z
  .string()
  .transform((v) => (v.toLowerCase() === 'none' ? 'none' : v))
  .pipe(z.enum(['simple', 'native', 'glean', 'events_stream', 'none']));

/** `[metrics.<name>]` (statistics are parsed by parse-statistics.ts). */
export const metricEntrySchema = z
  .looseObject({
    select_expression: sql.optional(),
    data_source: text.optional(),
    friendly_name: text.optional(),
    description: text.optional(),
    bigger_is_better: z.boolean().optional(),
    analysis_bases: z.array(z.enum(ANALYSIS_BASES)).optional(),
    analysis_units: z.array(analysisUnit).optional(),
    depends_on: names.optional(),
    category: text.optional(),
    type: text.optional(),
    owner: z.union([text, z.array(text)]).optional(),
    deprecated: z.boolean().optional(),
    level: text.optional(),
    statistics: z.unknown().optional(),
  })
  .transform((m) => ({
    selectExpression: m.select_expression,
    dataSource: m.data_source,
    friendlyName: m.friendly_name,
    description: m.description,
    biggerIsBetter: m.bigger_is_better,
    analysisBases: m.analysis_bases,
    analysisUnits: m.analysis_units,
    dependsOn: m.depends_on,
    category: m.category,
    type: m.type,
  }));

/** `[data_sources.<name>]`. */
export const dataSourceEntrySchema = z
  .looseObject({
    from_expression: sql.optional(),
    client_id_column: text.optional(),
    group_id_column: text.optional(),
    submission_date_column: text.optional(),
    experiments_column_type: experimentsColumnType.optional(),
    analysis_units: z.array(analysisUnit).optional(),
    default_dataset: text.optional(),
    friendly_name: text.optional(),
    description: text.optional(),
    build_id_column: text.optional(),
    columns_as_dimensions: z.boolean().optional(),
    joins: z.record(z.string(), z.unknown()).optional(),
    deprecated: z.boolean().optional(),
  })
  .transform((d) => ({
    fromExpression: d.from_expression,
    clientIdColumn: d.client_id_column,
    groupIdColumn: d.group_id_column,
    submissionDateColumn: d.submission_date_column,
    experimentsColumnType: d.experiments_column_type,
    analysisUnits: d.analysis_units,
    defaultDataset: d.default_dataset,
    friendlyName: d.friendly_name,
    description: d.description,
  }));

/** `[segments.<name>]`. Window keys here are accepted but ignored (see parse-config-layer.ts). */
export const segmentEntrySchema = z
  .looseObject({
    select_expression: sql.optional(),
    data_source: text.optional(),
    friendly_name: text.optional(),
    description: text.optional(),
  })
  .transform((s) => ({
    selectExpression: s.select_expression,
    dataSource: s.data_source,
    friendlyName: s.friendly_name,
    description: s.description,
  }));

/** `[segments.data_sources.<name>]`. */
export const segmentDataSourceEntrySchema = z
  .looseObject({
    from_expression: sql.optional(),
    window_start: z.number().int().optional(),
    window_end: z.number().int().optional(),
    client_id_column: text.optional(),
    group_id_column: text.optional(),
    submission_date_column: text.optional(),
    default_dataset: text.optional(),
    friendly_name: text.optional(),
    description: text.optional(),
  })
  .transform((s) => ({
    fromExpression: s.from_expression,
    windowStart: s.window_start,
    windowEnd: s.window_end,
    clientIdColumn: s.client_id_column,
    groupIdColumn: s.group_id_column,
    submissionDateColumn: s.submission_date_column,
    defaultDataset: s.default_dataset,
    friendlyName: s.friendly_name,
    description: s.description,
  }));

const windowBound = z.union([
  z.number().int(),
  z.enum(['enrollment_start', 'enrollment_end', 'analysis_window_start', 'analysis_window_end']),
]);

/** `[experiment.exposure_signal]`. */
export const exposureSignalEntrySchema = z
  .looseObject({
    name: text,
    data_source: text,
    select_expression: sql,
    friendly_name: text.optional(),
    description: text.optional(),
    window_start: windowBound.optional(),
    window_end: windowBound.optional(),
  })
  .transform((e) => ({
    name: e.name,
    dataSource: e.data_source,
    selectExpression: e.select_expression,
    friendlyName: e.friendly_name,
    description: e.description,
    windowStart: e.window_start,
    windowEnd: e.window_end,
  }));

/** Keys `[experiment]` knows; anything else gets a warning (it would be silently ignored). */
export const EXPERIMENT_KEYS = [
  'start_date',
  'end_date',
  'enrollment_period',
  'reference_branch',
  'analysis_unit',
  'enrollment_query',
  'enrollments_query_type',
  'exposure_signal',
  'skip',
  'is_private',
  'dataset_id',
  'sample_size',
  'segments',
  'outcomes',
] as const;

/** `[experiment]`. */
export const experimentEntrySchema = z
  .looseObject({
    start_date: isoDate.optional(),
    end_date: isoDate.optional(),
    enrollment_period: z.number().int().min(0).optional(),
    reference_branch: text.optional(),
    analysis_unit: analysisUnit.optional(),
    enrollment_query: sql.optional(),
    enrollments_query_type: text.optional(),
    exposure_signal: exposureSignalEntrySchema.optional(),
    skip: z.boolean().optional(),
    is_private: z.boolean().optional(),
    dataset_id: text.optional(),
    sample_size: z.number().min(0).max(100).optional(),
    segments: names.optional(),
    outcomes: names.optional(),
  })
  .transform((e) => ({
    startDate: e.start_date,
    endDate: e.end_date,
    enrollmentPeriod: e.enrollment_period,
    referenceBranch: e.reference_branch,
    analysisUnit: e.analysis_unit,
    enrollmentQuery: e.enrollment_query,
    enrollmentsQueryType: e.enrollments_query_type,
    exposureSignal: e.exposure_signal,
    skip: e.skip,
    isPrivate: e.is_private,
    datasetId: e.dataset_id,
    sampleSize: e.sample_size,
    segments: e.segments,
    outcomes: e.outcomes,
  }));

const parameterValue = z.union([
  z.string(),
  z.number(),
  z.record(z.string(), z.union([z.string(), z.number()])),
]);

/** `[parameters.<name>]` (outcomes and experiment overrides). */
export const parameterEntrySchema = z
  .looseObject({
    friendly_name: text.optional(),
    description: text.optional(),
    value: parameterValue.optional(),
    default: parameterValue.optional(),
    distinct_by_branch: z.boolean().optional(),
  })
  .transform((p) => ({
    friendlyName: p.friendly_name,
    description: p.description,
    value: p.value,
    default: p.default,
    distinctByBranch: p.distinct_by_branch,
  }));

/** `[functions.<name>]`. */
export const functionEntrySchema = z
  .looseObject({ definition: text, friendly_name: text.optional(), description: text.optional() })
  .transform((f) => ({
    definition: f.definition,
    friendlyName: f.friendly_name,
    description: f.description,
  }));

/** Parsed `[metrics.<name>]` fields (statistics added by the layer parser). */
export type MetricEntryFields = z.output<typeof metricEntrySchema>;
/** Parsed `[data_sources.<name>]` fields. */
export type DataSourceEntryFields = z.output<typeof dataSourceEntrySchema>;
/** Parsed `[segments.<name>]` fields. */
export type SegmentEntryFields = z.output<typeof segmentEntrySchema>;
/** Parsed `[segments.data_sources.<name>]` fields. */
export type SegmentDataSourceEntryFields = z.output<typeof segmentDataSourceEntrySchema>;
/** Parsed `[experiment.exposure_signal]` fields. */
export type ExposureSignalEntryFields = z.output<typeof exposureSignalEntrySchema>;
/** Parsed `[experiment]` fields. */
export type ExperimentEntryFields = z.output<typeof experimentEntrySchema>;
/** Parsed `[parameters.<name>]` fields. */
export type ParameterEntryFields = z.output<typeof parameterEntrySchema>;
/** A parameter value: one string for all branches, or a branch → value table. */
export type ParameterValue = z.output<typeof parameterValue>;
/** Parsed `[functions.<name>]` fields. */
export type FunctionEntryFields = z.output<typeof functionEntrySchema>;
