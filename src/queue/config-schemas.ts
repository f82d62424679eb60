import { z } from 'zod';

import { ANALYSIS_BASES, ANALYSIS_PERIODS } from '../analysis/analysis-period.js';
import { isIsoDate } from '../analysis/iso-date.js';
import type { DataSource, ExposureSignal, Segment } from '../config/analysis-config.js';
import {
  PRE_TREATMENT_NAMES,
  STATISTIC_NAMES,
  type StatisticSpec,
} from '../stats/statistic-spec.js';

/**
 * zod mirrors of the resolved-config types that travel inside job payloads. A job is validated
 * when a worker receives it, so a payload written by another version (or by hand in Bull Board)
 * fails with a clear message instead of deep inside a query.
 */

/** A read-only array (payload types match the read-only config types they carry). */
export function list<T extends z.ZodType>(item: T, minLength = 0) {
  return z.array(item).min(minLength).readonly();
}

/** `YYYY-MM-DD`, a real day. */
export const isoDateSchema = z.string().refine(isIsoDate, 'expected a date YYYY-MM-DD');

/** An analysis period name. */
export const periodSchema = z.enum(ANALYSIS_PERIODS);

/** An analysis basis. */
export const basisSchema = z.enum(ANALYSIS_BASES);

/** A window in days relative to the anchor, both ends inclusive. */
export const dayWindowSchema = z.object({ start: z.number().int(), end: z.number().int() });

const analysisUnitSchema = z.enum(['client_id', 'profile_group_id']);
const nullableText = z.string().nullable();

/** {@link DataSource}. */
export const dataSourceSchema = z.object({
  name: z.string().min(1),
  fromExpression: z.string().min(1),
  clientIdColumn: z.string().min(1),
  groupIdColumn: z.string().min(1),
  submissionDateColumn: z.string().min(1),
  experimentsColumnType: z.enum(['simple', 'native', 'glean', 'events_stream', 'none']),
  analysisUnits: list(analysisUnitSchema),
  friendlyName: nullableText,
  description: nullableText,
}) satisfies z.ZodType<DataSource>;

const windowBoundSchema = z.union([
  z.number().int(),
  z.enum(['enrollment_start', 'enrollment_end', 'analysis_window_start', 'analysis_window_end']),
]);

/** {@link ExposureSignal}. */
export const exposureSignalSchema = z.object({
  name: z.string().min(1),
  selectExpression: z.string().min(1),
  dataSource: dataSourceSchema,
  windowStart: windowBoundSchema.nullable(),
  windowEnd: windowBoundSchema.nullable(),
  friendlyName: nullableText,
  description: nullableText,
}) satisfies z.ZodType<ExposureSignal>;

/** {@link Segment}. */
export const segmentSchema = z.object({
  name: z.string().min(1),
  selectExpression: z.string().min(1),
  dataSource: z.object({
    name: z.string().min(1),
    fromExpression: z.string().min(1),
    clientIdColumn: z.string().min(1),
    submissionDateColumn: z.string().min(1),
    windowStart: z.number().int(),
    windowEnd: z.number().int(),
  }),
  friendlyName: nullableText,
  description: nullableText,
}) satisfies z.ZodType<Segment>;

/** {@link StatisticSpec}; parameters were validated by the config layer and are passed through. */
export const statisticSpecSchema = z.object({
  name: z.enum(STATISTIC_NAMES),
  params: z.record(z.string(), z.unknown()),
  preTreatments: list(
    z.object({ name: z.enum(PRE_TREATMENT_NAMES), params: z.record(z.string(), z.unknown()) }),
  ),
}) satisfies z.ZodType<StatisticSpec>;

/** One metric column of a read: a BigQuery aggregate over a data source. */
export const metricColumnSchema = z.object({
  name: z.string().min(1),
  selectExpression: z.string().min(1),
  dataSource: dataSourceSchema,
});

export { analysisUnitSchema };
