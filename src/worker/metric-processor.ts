import type { AnalysisBasis } from '../analysis/analysis-period.js';
import { covariateMetricName } from '../analysis/covariate-adjustment.js';
import { computeStatistics } from '../stats/compute-statistics.js';
import { seedFor } from '../stats/random/seed-for.js';
import type { StatisticRow } from '../stats/statistic-row.js';
import type { StatisticSpec } from '../stats/statistic-spec.js';
import type { MetricJob } from '../queue/job-payloads.js';
import type { MetricValues } from '../warehouse/metric-read-spec.js';
import type { RowStage } from '../warehouse/staging/row-stage.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { metricsTableName } from '../analysis/table-names.js';
import { readMetricsTable } from '../warehouse/metrics-table/read-metrics-table.js';
import { covariateSuffix } from '../warehouse/metrics-table-spec.js';
import type { JobContext } from '../warehouse/warehouse.js';
import { ALL_SEGMENT, sliceForSegment, type SliceColumns } from './metric-slices.js';

/** One statistic that failed, with everything the logs table wants to know. */
export interface StatisticFailureRecord {
  readonly metric: string;
  readonly statistic: string;
  readonly segment: string;
  readonly basis: AnalysisBasis;
  readonly referenceBranch: string | null;
  readonly errorClass: string;
  readonly message: string;
}

/** A condition of the data worth a logs-table warning; the statistics still ran. */
export interface MetricWarning {
  readonly metric: string;
  readonly basis: AnalysisBasis;
  readonly code: 'InfiniteValues';
  readonly message: string;
}

/** What a metric job returns (small: the rows are staged in the warehouse). */
export interface MetricJobResult {
  readonly metric: string;
  /** Rows staged under (finalizeId, job id). */
  readonly rows: number;
  /** Clients read per basis. */
  readonly clients: Readonly<Partial<Record<AnalysisBasis, number>>>;
  readonly failures: readonly StatisticFailureRecord[];
  /** Data warnings (absent in results of older workers). */
  readonly warnings?: readonly MetricWarning[];
  /** Milliseconds spent reading from the warehouse and computing. */
  readonly readMs: number;
  readonly computeMs: number;
}

/** What a metric job needs; injected so the processor runs without threads or Redis in tests. */
export interface MetricProcessorDeps {
  readonly warehouse: Warehouse;
  readonly stage: RowStage;
  /** Monotonic clock in ms (for the timings in the result). */
  readonly now: () => number;
  /** Cancels the job's warehouse reads (a thread timeout, a shutdown). */
  readonly signal?: AbortSignal;
}

/**
 * The metric job (DESIGN.md data flow, step 4): read the metric's columns from the window's
 * metrics table of each basis (its values, dependencies or covariate, the branch index and the
 * segment masks; no telemetry) into typed arrays, compute every configured statistic per
 * (segment, basis) slice, stage the rows. A failing statistic is recorded, never fatal; a
 * failing read throws (and the job retries or fails visibly).
 */
export function createMetricProcessor(deps: MetricProcessorDeps) {
  return async function processMetricJob(job: MetricJob): Promise<MetricJobResult> {
    const rows: StatisticRow[] = [];
    const failures: StatisticFailureRecord[] = [];
    const warnings: MetricWarning[] = [];
    const clients: Partial<Record<AnalysisBasis, number>> = {};
    let readMs = 0;
    let computeMs = 0;
    const columns = sliceColumnsOf(job);
    for (const basis of job.bases) {
      const started = deps.now();
      const values = await readMetricsTable(
        deps.warehouse,
        {
          table: metricsTableName(job.experiment, basis, job.period, job.windowIndex),
          columns: readColumnsOf(columns),
          segments: job.read.segments,
        },
        jobContextOf(job, basis, deps.signal),
      );
      readMs += deps.now() - started;
      clients[basis] = values.clients;
      const infinite = infiniteWarning(job.metric, basis, values, columns.value);
      if (infinite !== null) warnings.push(infinite);
      const computing = deps.now();
      for (const segment of [ALL_SEGMENT, ...job.read.segments]) {
        const slice = sliceForSegment(values, segment, columns);
        if (slice.length === 0) continue;
        const result = computeStatistics({
          metric: job.metric,
          segment,
          basis,
          period: job.period,
          periodLength: job.analysisPeriodLength,
          slice,
          statistics: job.statistics,
          experimentBranches: job.experimentBranches,
          referenceBranch: null,
          seed: (spec: StatisticSpec, index: number) =>
            seedFor(statisticIdentity(job, spec, index, segment, basis)),
        });
        rows.push(...result.rows);
        for (const failure of result.failures) {
          failures.push({ metric: job.metric, segment, basis, ...failure });
        }
      }
      computeMs += deps.now() - computing;
    }
    await deps.stage.write(job.finalizeId, job.id, rows);
    return {
      metric: job.metric,
      rows: rows.length,
      clients,
      failures,
      ...(warnings.length === 0 ? {} : { warnings }),
      readMs,
      computeMs,
    };
  };
}

/**
 * A warning when clients have a ±Infinity value of the metric: statistics over them come out
 * null (statistics.md: NaN or ±∞ in a numeric field becomes null), which would otherwise go
 * unexplained. NaN values need no warning: statistics that reject nulls fail with their own error.
 */
function infiniteWarning(
  metric: string,
  basis: AnalysisBasis,
  values: MetricValues,
  column: string | null,
): MetricWarning | null {
  const data = column === null ? undefined : values.columns[column];
  if (data === undefined) return null;
  let infinite = 0;
  for (let i = 0; i < values.clients; i++) {
    if (data[i] === Infinity || data[i] === -Infinity) infinite++;
  }
  if (infinite === 0) return null;
  return {
    metric,
    basis,
    code: 'InfiniteValues',
    message:
      `${infinite} of ${values.clients} clients have an infinite value of ${metric} ` +
      `(basis ${basis}); statistics over them come out null`,
  };
}

/**
 * A statistic's identity, hashed into its seed (statistics.md §0.1): the same statistic of the
 * same window gets the same seed on every worker, retry and rerun — the run date is not part of it.
 */
export function statisticIdentity(
  job: MetricJob,
  spec: StatisticSpec,
  index: number,
  segment: string,
  basis: AnalysisBasis,
): string[] {
  return [
    job.experiment,
    job.period,
    String(job.windowIndex),
    job.metric,
    spec.name,
    String(index),
    segment,
    basis,
  ];
}

/** Which metrics-table columns feed the slice: the metric (or its dependencies) and the covariate. */
export function sliceColumnsOf(job: MetricJob): SliceColumns {
  const own = job.read.metrics.some((m) => m.name === job.metric);
  const extra = own ? [] : job.read.metrics.map((m) => m.name);
  const covariateSource = job.statistics
    .map((s) => covariateMetricName(s.params))
    .find((name): name is string => name !== null);
  const covariate =
    job.read.covariateWindow === null || covariateSource === undefined
      ? null
      : `${covariateSource === '' ? job.metric : covariateSource}${covariateSuffix(job.read.covariateWindow)}`;
  return { value: own ? job.metric : (extra[0] ?? null), covariate, extra };
}

/** The metrics-table columns a slice needs, each once. */
export function readColumnsOf(columns: SliceColumns): string[] {
  const names = [columns.value, columns.covariate, ...columns.extra];
  return [...new Set(names.filter((name): name is string => name !== null))];
}

/** Labels and key of a metric job's warehouse reads. */
function jobContextOf(job: MetricJob, basis: AnalysisBasis, signal?: AbortSignal): JobContext {
  return {
    labels: {
      experiment: job.experiment,
      period: job.period,
      window: String(job.windowIndex),
      basis,
      metric: job.metric,
      kind: 'metric',
      ...(job.runId === undefined ? {} : { run: job.runId }),
    },
    jobKey: `${job.id}.${basis}${job.runId === undefined ? '' : `.${job.runId}`}`,
    ...(signal === undefined ? {} : { signal }),
  };
}
