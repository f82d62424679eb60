import type { AnalysisBasis } from '../analysis/analysis-period.js';
import { parseMetricJobs, type FinalizeJob, type MetricJob } from '../queue/job-payloads.js';
import { readColumnsOf, sliceColumnsOf } from './metric-processor.js';
import type { MetricsTableJobResult } from './metrics-table-processor.js';

/** A metrics-table job that failed for good. */
export interface FailedMetricsTable {
  readonly basis: AnalysisBasis | null;
  readonly reason: string;
}

/** Which metric jobs a window can run once its metrics tables are written, and which it cannot. */
export interface MetricJobsAfterTables {
  readonly add: readonly MetricJob[];
  readonly failures: FinalizeJob['tableFailures'];
}

/**
 * Decides, once a window's metrics-table jobs are done, which of its metric jobs to add: a metric
 * whose columns are missing from a table it reads (its data source or its SQL failed, or the
 * whole table job failed) is not run; it is recorded as a failure with the reason instead, so
 * the finalizer logs it with full context and the window is not done. Pure.
 */
export function metricJobsAfterTables(
  finalize: Pick<FinalizeJob, 'metricJobs'>,
  tables: {
    readonly completed: readonly MetricsTableJobResult[];
    readonly failed: readonly FailedMetricsTable[];
  },
): MetricJobsAfterTables {
  const add: MetricJob[] = [];
  const failures: FinalizeJob['tableFailures'][number][] = [];
  const { valid, invalid } = parseMetricJobs(finalize.metricJobs);
  for (const bad of invalid) {
    failures.push({
      metric: bad.metric,
      jobId: bad.id,
      basis: null,
      reason: `${bad.error.name}: ${bad.error.message}`,
    });
  }
  for (const job of valid) {
    const failure = failureOf(job, tables);
    if (failure === null) add.push(job);
    else failures.push({ metric: job.metric, jobId: job.id, ...failure });
  }
  return { add, failures };
}

function failureOf(
  job: MetricJob,
  tables: {
    readonly completed: readonly MetricsTableJobResult[];
    readonly failed: readonly FailedMetricsTable[];
  },
): { reason: string; basis: AnalysisBasis | null } | null {
  const columns = readColumnsOf(sliceColumnsOf(job));
  for (const basis of job.bases) {
    const failedTable = tables.failed.find((t) => t.basis === basis || t.basis === null);
    if (failedTable !== undefined) {
      return { basis, reason: `metrics table (${basis}) failed: ${failedTable.reason}` };
    }
    const table = tables.completed.find((t) => t.basis === basis);
    if (table === undefined) {
      return { basis, reason: `no metrics table was written for basis ${basis}` };
    }
    const broken = table.failures.find((f) => columns.includes(f.column));
    if (broken !== undefined) {
      return {
        basis,
        reason: `${broken.errorClass}: column ${broken.column} of ${table.table} (data source ${broken.dataSource}) could not be computed: ${broken.message}`,
      };
    }
  }
  return null;
}
