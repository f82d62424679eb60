import type { MetricColumn } from '../metric-read-spec.js';
import { covariateSuffix, scanOf, type MetricsTableSpec } from '../metrics-table-spec.js';
import type { MetricsPart } from '../sql/metrics-part-query.js';

/** Columns grouped by data source name, in first-seen order, without repeats. */
function bySource(metrics: readonly MetricColumn[]): MetricColumn[][] {
  const groups = new Map<string, MetricColumn[]>();
  for (const metric of metrics) {
    const group = groups.get(metric.dataSource.name) ?? [];
    if (!group.some((m) => m.name === metric.name)) group.push(metric);
    groups.set(metric.dataSource.name, group);
  }
  return [...groups.values()];
}

/**
 * The telemetry scans of one metrics table — shared with the other tables of its scan (every
 * window and basis of the experiment's run date): one analysis part per data source the slices'
 * metrics use, then one covariate part per (pre-enrollment window, data source).
 */
export function metricsParts(spec: MetricsTableSpec): MetricsPart[] {
  const scan = scanOf(spec);
  const parts: MetricsPart[] = bySource(scan.metrics).map((metrics) => ({
    dataSource: metrics[0]!.dataSource.name,
    role: 'analysis',
    window: spec.window,
    suffix: '',
    metrics,
    slices: scan.slices,
  }));
  for (const covariate of scan.covariates) {
    for (const metrics of bySource(covariate.metrics)) {
      parts.push({
        dataSource: metrics[0]!.dataSource.name,
        role: 'covariate',
        window: covariate.window,
        suffix: covariateSuffix(covariate.window),
        metrics,
        slices: [],
      });
    }
  }
  return parts;
}
