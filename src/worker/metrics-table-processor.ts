import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { MetricsTableJob } from '../queue/job-payloads.js';
import type { SqlQuery } from '../warehouse/sql/sql-query.js';
import {
  writeMetricsTable,
  type MetricColumnFailure,
} from '../warehouse/metrics-table/write-metrics-table.js';
import type { JobContext, QueryCost, Warehouse } from '../warehouse/warehouse.js';

/** What a metrics-table job returns (small: the table itself is in the warehouse). */
export interface MetricsTableJobResult {
  readonly kind: 'metrics-table';
  readonly table: string;
  readonly basis: MetricsTableJob['basis'];
  readonly clients: number;
  readonly branches: readonly string[];
  /** Telemetry scans run. */
  readonly scans: number;
  /** Metric columns that could not be computed (the others are in the table). */
  readonly failures: readonly MetricColumnFailure[];
  /** Problems that cost no result (a view that could not be made). */
  readonly warnings: readonly string[];
  readonly cost: QueryCost;
  /** Milliseconds the job took. */
  readonly ms: number;
}

/** What a metrics-table job needs. */
export interface MetricsTableProcessorDeps {
  readonly warehouse: Warehouse;
  /** Monotonic clock in ms. */
  readonly now: () => number;
  /** Cancels the job's warehouse queries. */
  readonly signal?: AbortSignal;
}

/**
 * The metrics-table job (DESIGN.md data flow, step 3): writes the window's per-client metrics
 * table of one basis — one telemetry scan per data source (and per covariate window), broken
 * metrics isolated — and, when the payload names an SQL output folder, every statement it runs
 * there, one file per table.
 */
export function createMetricsTableProcessor(deps: MetricsTableProcessorDeps) {
  return async function processMetricsTableJob(
    job: MetricsTableJob,
  ): Promise<MetricsTableJobResult> {
    const started = deps.now();
    const result = await writeMetricsTable(deps.warehouse, job.spec, {
      tables: deps.warehouse.tables,
      job: jobContextOf(job, deps.signal),
      labels: { experiment: job.experiment, period: job.period, window: String(job.windowIndex) },
      scanLabels: { experiment: job.experiment },
      ...(job.runId === undefined
        ? {}
        : {
            runKey: job.runId,
            scanJobKey: `metrics-scan.${job.experiment}.${job.date}.${job.runId}`,
          }),
      ...(job.sqlOutputDir === undefined ? {} : { onSql: sqlWriter(job.sqlOutputDir) }),
    });
    return {
      kind: 'metrics-table',
      table: result.table,
      basis: job.basis,
      clients: result.clients,
      branches: result.branches,
      scans: result.scans,
      failures: result.failures,
      warnings: result.warnings,
      cost: result.cost,
      ms: deps.now() - started,
    };
  };
}

function jobContextOf(job: MetricsTableJob, signal?: AbortSignal): JobContext {
  return {
    labels: {
      experiment: job.experiment,
      period: job.period,
      window: String(job.windowIndex),
      basis: job.basis,
      kind: 'metrics-table',
      ...(job.runId === undefined ? {} : { run: job.runId }),
    },
    // The run id keeps a forced rerun from reusing the finished warehouse jobs of an earlier run.
    jobKey: job.runId === undefined ? job.id : `${job.id}.${job.runId}`,
    ...(signal === undefined ? {} : { signal }),
  };
}

/** Writes each statement to `<dir>/<table>.sql`, parameters listed in a header comment. */
function sqlWriter(dir: string): (table: string, query: SqlQuery) => Promise<void> {
  return async (table, query) => {
    await mkdir(dir, { recursive: true });
    const params = Object.entries(query.params)
      .map(([name, value]) => `-- @${name} = ${JSON.stringify(value)}`)
      .join('\n');
    await writeFile(path.join(dir, `${table}.sql`), `${params}${params ? '\n' : ''}${query.sql}\n`);
  };
}
