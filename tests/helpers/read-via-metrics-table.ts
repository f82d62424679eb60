import type { AnalysisPeriod } from '../../src/analysis/analysis-period.js';
import type { MetricReadSpec, MetricValues } from '../../src/warehouse/metric-read-spec.js';
import { readMetricsTable } from '../../src/warehouse/metrics-table/read-metrics-table.js';
import {
  writeMetricsTable,
  type MetricsTableResult,
} from '../../src/warehouse/metrics-table/write-metrics-table.js';
import { covariateSuffix, type MetricsTableSpec } from '../../src/warehouse/metrics-table-spec.js';
import { WarehouseQueryError } from '../../src/warehouse/warehouse-errors.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';

/** A metric read as the metrics stage and a metric job do it: table, then columns. */
export interface StagedRead {
  readonly values: MetricValues;
  readonly stage: MetricsTableResult;
}

/** The metrics-table spec of a read (one window of `period`, index `windowIndex`). */
export function metricsTableSpecOf(
  spec: MetricReadSpec,
  period: AnalysisPeriod = 'week',
  windowIndex = 1,
): MetricsTableSpec {
  const covariate = spec.covariateWindow ?? null;
  return {
    ...spec,
    period,
    windowIndex,
    covariates: covariate === null ? [] : [{ window: covariate, metrics: spec.metrics }],
  };
}

/**
 * Writes the metrics table of `spec` through the metrics stage and reads its columns back as a
 * metric job does. A column the stage could not compute is thrown as the stage's error, so
 * contract cases written against one read keep their meaning.
 */
export async function stagedRead(
  warehouse: Warehouse,
  spec: MetricReadSpec,
  period: AnalysisPeriod = 'week',
  windowIndex = 1,
): Promise<StagedRead> {
  const tableSpec = metricsTableSpecOf(spec, period, windowIndex);
  const stage = await writeMetricsTable(warehouse, tableSpec, { tables: warehouse.tables });
  const failure = stage.failures[0];
  if (failure !== undefined) {
    throw new WarehouseQueryError(
      `${failure.errorClass}: column ${failure.column} (${failure.dataSource}): ${failure.message}`,
    );
  }
  const names = spec.metrics.map((m) => m.name);
  const covariate = spec.covariateWindow ?? null;
  const columns =
    covariate === null
      ? names
      : [...names, ...names.map((n) => `${n}${covariateSuffix(covariate)}`)];
  const values = await readMetricsTable(warehouse, {
    table: stage.table,
    columns,
    segments: spec.segments,
  });
  return { values, stage };
}

/** {@link stagedRead}'s values. */
export async function readViaMetricsTable(
  warehouse: Warehouse,
  spec: MetricReadSpec,
): Promise<MetricValues> {
  return (await stagedRead(warehouse, spec)).values;
}
