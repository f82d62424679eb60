import { z } from 'zod';

import {
  analysisUnitSchema,
  basisSchema,
  dayWindowSchema,
  exposureSignalSchema,
  isoDateSchema,
  list,
  metricColumnSchema,
  periodSchema,
  segmentSchema,
  statisticSpecSchema,
} from './config-schemas.js';
import type { JobKind } from './queue-names.js';

/**
 * Typed payloads of every job (style.md habit 9: one map types every `add()` and processor).
 * Payloads carry the resolved configuration slice a job needs, so workers never read metric-hub
 * and a job computes exactly what was planned when it was enqueued (jetstream pins configs for
 * the same reason). They carry no data values: those stay in the warehouse.
 */

const slug = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, 'an experiment slug ([A-Za-z0-9_-])');
const jobId = z.string().min(1).max(400);

/** Identity shared by metric and finalize jobs: one window of one period of one experiment. */
const windowKey = {
  experiment: slug,
  date: isoDateSchema,
  period: periodSchema,
  windowIndex: z.number().int().positive(),
  window: dayWindowSchema,
};

/** The read of a metric job, minus the basis (the job reads every basis in `bases`). */
export const metricReadSchema = z.object({
  slug,
  analysisUnit: analysisUnitSchema,
  startDate: isoDateSchema,
  enrollmentPeriod: z.number().int().nonnegative(),
  branches: list(z.string().min(1), 1),
  window: dayWindowSchema,
  metrics: list(metricColumnSchema, 1),
  covariateWindow: dayWindowSchema.nullable(),
  segments: list(z.string().min(1)),
  exposureSignal: exposureSignalSchema.nullable(),
  lastDateOfData: isoDateSchema,
});

/** One metric of one window: read per-client values, compute every statistic, stage the rows. */
export const metricJobSchema = z.object({
  kind: z.literal('metric'),
  id: jobId,
  ...windowKey,
  metric: z.string().min(1),
  /** The finalize job (flow parent) and the key its rows are staged under. */
  finalizeId: jobId,
  read: metricReadSchema,
  bases: list(basisSchema, 1),
  statistics: list(statisticSpecSchema, 1),
  /** Analysis length in days for `normalize_over_analysis_period`. */
  analysisPeriodLength: z.number().int().positive(),
  /** Branches configured in the experiment (per_client_dau_impact keeps only these). */
  experimentBranches: list(z.string().min(1), 1),
  /** The run this job belongs to (job labels). */
  runId: z.string().min(1).optional(),
});

/**
 * One window's per-client metrics table on one basis (`<slug>_<basis>_<period>_<n>`): the only
 * job that reads telemetry, one scan per data source.
 */
export const metricsTableJobSchema = z.object({
  kind: z.literal('metrics-table'),
  id: jobId,
  ...windowKey,
  basis: basisSchema,
  spec: z.object({
    slug,
    analysisUnit: analysisUnitSchema,
    startDate: isoDateSchema,
    enrollmentPeriod: z.number().int().nonnegative(),
    branches: list(z.string().min(1), 1),
    basis: basisSchema,
    period: periodSchema,
    windowIndex: z.number().int().positive(),
    window: dayWindowSchema,
    metrics: list(metricColumnSchema),
    covariates: list(z.object({ window: dayWindowSchema, metrics: list(metricColumnSchema, 1) })),
    segments: list(z.string().min(1)),
    exposureSignal: exposureSignalSchema.nullable(),
    lastDateOfData: isoDateSchema,
    /** The scan shared with the experiment's other metrics tables of the date. */
    scan: z
      .object({
        /** Tells the scan's tables apart from another scan of the date (`g2`). */
        name: z
          .string()
          .regex(/^g[0-9]+$/)
          .optional(),
        slices: list(
          z.object({
            basis: basisSchema,
            period: periodSchema,
            windowIndex: z.number().int().positive(),
            window: dayWindowSchema,
          }),
          1,
        ),
        metrics: list(metricColumnSchema),
        covariates: list(
          z.object({ window: dayWindowSchema, metrics: list(metricColumnSchema, 1) }),
        ),
      })
      .nullable()
      .optional(),
  }),
  /** The run this job belongs to (job labels). */
  runId: z.string().min(1).optional(),
  /** Absolute folder to write every statement into, one file per table (`--sql-output-dir`). */
  sqlOutputDir: z
    .string()
    .refine((dir) => dir.startsWith('/') && !dir.includes('\u0000'), 'an absolute path')
    .optional(),
});

/** One window's statistics table: gather staged rows and failures, add counts, replace atomically. */
export const finalizeJobSchema = z.object({
  kind: z.literal('finalize'),
  id: jobId,
  ...windowKey,
  /** `statistics_<slug>_<period>_<n>`. */
  table: z.string().min(1),
  /** Metrics this run recomputes; rows of other metrics already in the table are kept. */
  metrics: list(z.string().min(1)),
  branches: list(z.string().min(1), 1),
  segments: list(z.string().min(1)),
  bases: list(basisSchema, 1),
  /**
   * `tables`: the job's children are the window's metrics-table jobs, and on its first run it
   * adds `metricJobs` as further children and waits for them; `statistics`: its children are
   * the metric jobs (after that step, or in a `--statistics-only` run).
   */
  step: z.enum(['tables', 'statistics']).default('statistics'),
  /**
   * The metric jobs to add once the metrics tables are written (step `tables`). Each is
   * validated when it is added, so one bad payload fails alone (`parseMetricJobs`).
   */
  metricJobs: list(z.unknown()).default([]),
  /** Metric jobs not added because a metrics table lacks their columns, with the reason. */
  tableFailures: list(
    z.object({
      metric: z.string().min(1),
      jobId,
      reason: z.string(),
      basis: basisSchema.nullable(),
    }),
  ).default([]),
  /** BullMQ priority of the window's jobs (pre-enrollment windows first). */
  priority: z.number().int().min(1).default(2),
  /**
   * Hash of the configuration the window is computed with (its metrics, statistics, segments,
   * branches and dates), recorded in the statistics table's labels: a table computed with
   * another configuration is not done.
   */
  configHash: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .optional(),
});

/** Metadata of one metric, as the metadata export describes it. */
const metricMetadataSchema = z.object({
  friendlyName: z.string().nullable(),
  description: z.string().nullable(),
  biggerIsBetter: z.boolean(),
  analysisBases: list(basisSchema),
});

/** One experiment's exports after a run: statistics per period, metadata, errors. */
export const exportJobSchema = z.object({
  kind: z.literal('export'),
  id: jobId,
  experiment: slug,
  date: isoDateSchema,
  branches: list(z.object({ slug: z.string().min(1), ratio: z.number().nonnegative() }), 1),
  referenceBranch: z.string().nullable(),
  metrics: z.record(z.string(), metricMetadataSchema),
  outcomes: list(
    z.object({
      slug: z.string().min(1),
      friendlyName: z.string().nullable(),
      description: z.string().nullable(),
      metrics: z.array(z.string()),
      defaultMetrics: z.array(z.string()),
    }),
  ),
  externalConfig: z
    .object({
      referenceBranch: z.string().nullable(),
      endDate: z.string().nullable(),
      startDate: z.string().nullable(),
      enrollmentPeriod: z.number().nullable(),
      skip: z.boolean(),
      url: z.string(),
    })
    .nullable(),
  isPrivate: z.boolean(),
});

/**
 * One flow of the plan: a finalize job with one metrics-table child per basis (which then adds
 * the metric jobs), or — in a statistics-only run — one metric child per metric.
 */
const flowGroupSchema = z.object({
  finalize: finalizeJobSchema,
  metricsTables: list(metricsTableJobSchema),
  metrics: list(metricJobSchema),
  /** Pre-enrollment windows go first (BullMQ priority; lower runs earlier). */
  priority: z.number().int().min(1),
});

/**
 * Ensures the experiment's enrollments table, then adds the experiment's flow: the export job
 * as root, one finalize child per due window, one metric grandchild per metric.
 */
export const enrollmentsJobSchema = z.object({
  kind: z.literal('enrollments'),
  id: jobId,
  experiment: slug,
  date: isoDateSchema,
  recreate: z.boolean(),
  spec: z.object({
    slug,
    startDate: isoDateSchema,
    enrollmentPeriod: z.number().int().nonnegative(),
    branches: list(z.string().min(1), 1),
    analysisUnit: analysisUnitSchema,
    enrollmentsQueryType: z.string().min(1),
    appDataset: z.string().nullable(),
    enrollmentQuery: z.string().nullable(),
    sampleSize: z.number().nullable(),
    segments: list(segmentSchema),
    exposureSignal: exposureSignalSchema.nullable(),
    lastDateOfData: isoDateSchema,
  }),
  export: exportJobSchema,
  groups: list(flowGroupSchema),
});

/** The scheduler's daily job: plan and enqueue yesterday's run (relative to the slot time). */
export const dailyRunJobSchema = z.object({
  kind: z.literal('daily-run'),
  /** Days before the slot's UTC day to analyse. @defaultValue 1 (yesterday) */
  lagDays: z.number().int().nonnegative().default(1),
});

/** Payload schema per job kind. */
export const JOB_SCHEMAS = {
  'daily-run': dailyRunJobSchema,
  enrollments: enrollmentsJobSchema,
  'metrics-table': metricsTableJobSchema,
  metric: metricJobSchema,
  finalize: finalizeJobSchema,
  export: exportJobSchema,
} as const satisfies Record<JobKind, z.ZodType>;

/** Payload type of job kind `K`. */
export type JobPayload<K extends JobKind> = z.output<(typeof JOB_SCHEMAS)[K]>;

export type MetricJob = JobPayload<'metric'>;
export type MetricsTableJob = JobPayload<'metrics-table'>;
export type FinalizeJob = JobPayload<'finalize'>;
export type ExportJob = JobPayload<'export'>;
export type EnrollmentsJob = JobPayload<'enrollments'>;
export type DailyRunJob = JobPayload<'daily-run'>;

/**
 * The metric jobs a finalize job carries, each validated on its own: the valid ones, and for
 * each invalid one its id (when readable) and the error.
 */
export function parseMetricJobs(payloads: readonly unknown[]): {
  readonly valid: MetricJob[];
  readonly invalid: { readonly id: string; readonly metric: string; readonly error: Error }[];
} {
  const valid: MetricJob[] = [];
  const invalid: { id: string; metric: string; error: Error }[] = [];
  for (const payload of payloads) {
    try {
      valid.push(parseJobPayload('metric', payload));
    } catch (e) {
      const fields = (payload ?? {}) as { id?: unknown; metric?: unknown };
      const id = typeof fields.id === 'string' ? fields.id : '?';
      const metric = typeof fields.metric === 'string' ? fields.metric : id;
      invalid.push({ id, metric, error: e instanceof Error ? e : new Error(String(e)) });
    }
  }
  return { valid, invalid };
}

/** A payload failed validation; the job cannot succeed on retry. */
export class InvalidJobPayloadError extends Error {
  override readonly name = 'InvalidJobPayloadError';
}

/**
 * Validates a received payload.
 * @throws InvalidJobPayloadError listing each bad field (path: reason).
 */
export function parseJobPayload<K extends JobKind>(kind: K, data: unknown): JobPayload<K> {
  const result = JOB_SCHEMAS[kind].safeParse(data);
  if (result.success) return result.data as JobPayload<K>;
  const issues = result.error.issues
    .slice(0, 10)
    .map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`);
  throw new InvalidJobPayloadError(`invalid ${kind} job payload: ${issues.join('; ')}`);
}
