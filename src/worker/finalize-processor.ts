import { coerceError } from '../analysis/coerce-error.js';
import {
  statisticsTableDescription,
  parseStatisticsTableDescription,
} from '../analysis/statistics-table-description.js';
import { TABLE_LABELS } from '../analysis/table-labels.js';
import { statisticsTableName, statisticsViewName } from '../analysis/table-names.js';
import { replaceWindowView } from '../warehouse/metrics-table/replace-window-view.js';
import type { FinalizeJob } from '../queue/job-payloads.js';
import type { StatisticRow } from '../stats/statistic-row.js';
import type { LogRow } from '../warehouse/log-row.js';
import type { RowStage } from '../warehouse/staging/row-stage.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { TableInfo } from '../warehouse/table-info.js';
import type { MetricJobResult, MetricWarning, StatisticFailureRecord } from './metric-processor.js';

/** A metric job that failed for good (after its last attempt). */
export interface FailedMetric {
  readonly metric: string;
  readonly jobId: string;
  readonly reason: string;
}

/** The finalizer's view of its children, gathered from BullMQ by the wiring layer. */
export interface FinalizeChildren {
  /** Completed metric jobs: job id → return value. */
  readonly completed: ReadonlyMap<string, MetricJobResult>;
  /** Failed metric jobs. */
  readonly failed: readonly FailedMetric[];
}

/** What a finalize job returns. */
export interface FinalizeResult {
  readonly table: string;
  readonly rows: number;
  readonly failedMetrics: readonly FailedMetric[];
  readonly failedStatistics: readonly StatisticFailureRecord[];
}

/** What the finalizer needs. */
export interface FinalizeProcessorDeps {
  readonly warehouse: Warehouse;
  readonly stage: RowStage;
  /** Wall clock (ISO timestamps of log rows). */
  readonly now: () => Date;
  /** `source` column of log rows. @defaultValue 'contrail' */
  readonly logSource?: string;
}

/**
 * The finalize job (DESIGN.md data flow, step 4): gathers the staged rows of its completed metric
 * jobs and the failures, adds the identity counts, keeps rows of metrics this run did not
 * recompute, replaces the window's statistics table in one atomic write, and writes a logs row
 * with full context for each failure. Partial results land. Re-running it gives the same table
 * (it leaves the staged rows in place; the export job drops them).
 */
export function createFinalizeProcessor(deps: FinalizeProcessorDeps) {
  return async function processFinalizeJob(
    job: FinalizeJob,
    children: FinalizeChildren,
  ): Promise<FinalizeResult> {
    const staged = await deps.stage.read(job.id);
    const failedMetrics = [...children.failed];
    const rows: StatisticRow[] = [];
    const failedStatistics: StatisticFailureRecord[] = [];
    const warnings: MetricWarning[] = [];
    for (const [jobId, result] of [...children.completed].sort(([a], [b]) => a.localeCompare(b))) {
      const metricRows = staged.get(jobId);
      if (metricRows === undefined || metricRows.length !== result.rows) {
        failedMetrics.push({
          metric: result.metric,
          jobId,
          reason: 'staged rows are missing; rerun the metric',
        });
        continue;
      }
      rows.push(...metricRows);
      failedStatistics.push(...result.failures);
      warnings.push(...(result.warnings ?? []));
    }
    const failedNow = new Set(failedMetrics.map((f) => f.metric));
    const kept = await keptRows(deps.warehouse, job, failedNow);
    const counts = await identityCounts(deps.warehouse, job);
    const all = [...kept.rows, ...counts, ...rows];
    await deps.warehouse.replaceStatistics(job.table, all, {
      labels: {
        [TABLE_LABELS.schemaVersion]: '4',
        [TABLE_LABELS.complete]: String(
          kept.failedMetrics.length === 0 && kept.unreadable === undefined,
        ),
        ...(job.configHash === undefined ? {} : { [TABLE_LABELS.config]: job.configHash }),
      },
      description: statisticsTableDescription({
        experiment: job.experiment,
        failedMetrics: kept.failedMetrics,
      }),
    });
    const viewProblem = await replaceStatisticsView(deps.warehouse, job);
    const logs = [
      ...(viewProblem === null ? [] : [viewLog(deps, job, viewProblem)]),
      ...failedMetrics.map((f) => metricLog(deps, job, f)),
      ...kept.stale.map((metric) => staleLog(deps, job, metric)),
      ...(kept.unreadable === undefined ? [] : [unreadableLog(deps, job, kept.unreadable)]),
      ...failedStatistics.map((f) => statisticLog(deps, job, f)),
      ...warnings.map((w) => warningLog(deps, job, w)),
      ...emptyBranches(job, counts).map((branch) => emptyBranchLog(deps, job, branch)),
    ];
    if (logs.length > 0) await deps.warehouse.appendLogs(logs);
    // The staged rows stay: a retry of this job (a crash after the write, before BullMQ recorded
    // the completion) must find them again. The export job drops them once the window is final.
    return { table: job.table, rows: all.length, failedMetrics, failedStatistics };
  };
}

/**
 * The period's statistics view `statistics_<slug>_<suffix>` over its window tables, with
 * `window_index` (jetstream's view). A view that cannot be made is a warning, not a failure.
 * @returns the problem, or null.
 */
async function replaceStatisticsView(
  warehouse: Warehouse,
  job: FinalizeJob,
): Promise<string | null> {
  const view = statisticsViewName(job.experiment, job.period);
  try {
    await replaceWindowView(warehouse, {
      slug: job.experiment,
      view,
      tableOf: (n) => statisticsTableName(job.experiment, job.period, n),
    });
    return null;
  } catch (e) {
    return `view ${view} could not be made: ${coerceError(e).message}`;
  }
}

/** A WARNING row of the finalize step itself (`metric` when it concerns one). */
function finalizeWarning(
  deps: FinalizeProcessorDeps,
  job: FinalizeJob,
  warning: { message: string; exceptionType: string; metric?: string },
): LogRow {
  return {
    ...baseLog(deps, job),
    ...(warning.metric === undefined ? {} : { metric: warning.metric }),
    message: warning.message,
    log_level: 'WARNING',
    exception: warning.message,
    func_name: 'finalize',
    exception_type: warning.exceptionType,
  };
}

function viewLog(deps: FinalizeProcessorDeps, job: FinalizeJob, message: string): LogRow {
  return finalizeWarning(deps, job, { message, exceptionType: 'ViewError' });
}

/** What the window's new table keeps of the existing one. */
interface KeptRows {
  /** Rows of metrics this run did not compute: not selected (a metric-level rerun) or failed. */
  readonly rows: StatisticRow[];
  /** Failed metrics whose earlier rows are kept (stale until a run computes them). */
  readonly stale: readonly string[];
  /** Metrics of the window whose rows are missing or stale after this run. */
  readonly failedMetrics: readonly string[];
  /** Why the existing table could not be read (it is replaced; the window stays incomplete). */
  readonly unreadable?: string;
}

/**
 * Rows of the existing table for metrics this run does not recompute — those it did not select
 * and those that failed now: a failure never removes rows an earlier run wrote. The window's
 * failed metrics are the earlier ones this run did not compute, and this run's.
 */
async function keptRows(
  warehouse: Warehouse,
  job: FinalizeJob,
  failedNow: ReadonlySet<string>,
): Promise<KeptRows> {
  let info: TableInfo | null;
  let existing: StatisticRow[];
  try {
    info = await warehouse.tableInfo(job.table);
    existing = info === null ? [] : await warehouse.readStatistics(job.table);
  } catch (e) {
    const error = coerceError(e);
    if ((error as { retryable?: unknown }).retryable === true) throw error;
    // The table cannot be read (a corrupt file): this run's rows replace it, and the window stays
    // incomplete, so the next plain run recomputes it whole.
    return { rows: [], stale: [], failedMetrics: [...failedNow], unreadable: error.message };
  }
  if (info === null) return { rows: [], stale: [], failedMetrics: [...failedNow] };
  const computed = new Set(job.metrics.filter((m) => !failedNow.has(m)));
  const rows = existing.filter((row) => row.metric !== 'identity' && !computed.has(row.metric));
  const present = new Set(rows.map((row) => row.metric));
  const earlier = parseStatisticsTableDescription(info.description)?.failedMetrics;
  // A table written before failed metrics were recorded, and not complete: its failed metrics
  // are unknown, so every metric of it this run did not compute counts as failed.
  const unknown =
    earlier === null || earlier === undefined
      ? info.labels[TABLE_LABELS.complete] === 'false'
        ? [...present]
        : []
      : earlier;
  const failed = new Set([...unknown.filter((m) => !computed.has(m)), ...failedNow]);
  return {
    rows,
    stale: [...failedNow].filter((m) => present.has(m)).sort(),
    failedMetrics: [...failed].sort(),
  };
}

function unreadableLog(deps: FinalizeProcessorDeps, job: FinalizeJob, cause: string): LogRow {
  const message =
    `statistics table ${job.table} could not be read, so it was replaced with this run's rows ` +
    `and the window left incomplete: the next run recomputes it (${cause})`;
  return finalizeWarning(deps, job, { message, exceptionType: 'UnreadableTable' });
}

function staleLog(deps: FinalizeProcessorDeps, job: FinalizeJob, metric: string): LogRow {
  const message =
    `metric ${metric} failed for ${job.experiment} ${job.period} window ${job.windowIndex} on ` +
    `${job.date}; the rows of an earlier run are kept (stale) until a run computes it`;
  return finalizeWarning(deps, job, { message, exceptionType: 'StaleResults', metric });
}

/** `identity`/`count` rows: enrolled clients per (basis, segment, branch), 0 for empty branches. */
async function identityCounts(warehouse: Warehouse, job: FinalizeJob): Promise<StatisticRow[]> {
  const counts = await warehouse.countClients({
    slug: job.experiment,
    branches: job.branches,
    segments: job.segments,
    bases: job.bases,
  });
  return counts.map((count) => ({
    metric: 'identity',
    statistic: 'count',
    parameter: null,
    branch: count.branch,
    comparison: null,
    comparison_to_branch: null,
    ci_width: null,
    point: count.clients,
    lower: null,
    upper: null,
    segment: count.segment,
    analysis_basis: count.basis,
  }));
}

/** Configured branches without a single enrolled client (basis enrollments, segment all). */
function emptyBranches(job: FinalizeJob, counts: readonly StatisticRow[]): string[] {
  const enrolled = (branch: string) =>
    counts.find(
      (r) => r.branch === branch && r.segment === 'all' && r.analysis_basis === 'enrollments',
    )?.point ?? 0;
  return job.bases.includes('enrollments') ? job.branches.filter((b) => enrolled(b) === 0) : [];
}

function warningLog(deps: FinalizeProcessorDeps, job: FinalizeJob, warning: MetricWarning): LogRow {
  return {
    ...baseLog(deps, job),
    metric: warning.metric,
    analysis_basis: warning.basis,
    message: warning.message,
    log_level: 'WARNING',
    exception: warning.message,
    func_name: 'metric',
    exception_type: warning.code,
  };
}

function emptyBranchLog(deps: FinalizeProcessorDeps, job: FinalizeJob, branch: string): LogRow {
  const message =
    `branch ${branch} of ${job.experiment} has no enrolled clients in ${job.period} window ` +
    `${job.windowIndex} on ${job.date}: no statistics for it, no comparison against it`;
  return {
    ...baseLog(deps, job),
    message,
    log_level: 'WARNING',
    exception: message,
    func_name: 'finalize',
    exception_type: 'EmptyBranch',
  };
}

function baseLog(deps: FinalizeProcessorDeps, job: FinalizeJob): LogRow {
  return {
    timestamp: deps.now().toISOString(),
    source: deps.logSource ?? 'contrail',
    experiment: job.experiment,
    metric: null,
    statistic: null,
    analysis_basis: null,
    segment: null,
    analysis_period: job.period,
    message: null,
    log_level: 'ERROR',
    exception: null,
    filename: null,
    func_name: null,
    exception_type: null,
  };
}

function metricLog(deps: FinalizeProcessorDeps, job: FinalizeJob, failure: FailedMetric): LogRow {
  return {
    ...baseLog(deps, job),
    metric: failure.metric,
    message: `metric ${failure.metric} failed for ${job.experiment} ${job.period} window ${job.windowIndex} on ${job.date}: ${failure.reason}`,
    exception: failure.reason,
    func_name: 'metric',
    exception_type: exceptionTypeOf(failure.reason),
  };
}

function statisticLog(
  deps: FinalizeProcessorDeps,
  job: FinalizeJob,
  failure: StatisticFailureRecord,
): LogRow {
  const against = failure.referenceBranch === null ? '' : ` (reference ${failure.referenceBranch})`;
  return {
    ...baseLog(deps, job),
    metric: failure.metric,
    statistic: failure.statistic,
    analysis_basis: failure.basis,
    segment: failure.segment,
    message: `statistic ${failure.statistic} of ${failure.metric}${against} failed: ${failure.message}`,
    exception: failure.message,
    func_name: 'statistic',
    exception_type: failure.errorClass,
  };
}

/** `SomethingError: ...` → `SomethingError`; otherwise `Error`. */
function exceptionTypeOf(reason: string): string {
  const match = /^([A-Za-z]+Error)\b/.exec(reason);
  return match?.[1] ?? 'Error';
}
