import type {
  AnalysisConfig,
  DataSource,
  MetricDefinition,
  MetricSummary,
} from '../config/analysis-config.js';
import type { AnalysisPeriod } from './analysis-period.js';
import type { PlanGroup } from './analysis-plan.js';
import { covariateMetricName, covariateWindowFor } from './covariate-adjustment.js';

/**
 * The telemetry data sources one window reads: those of its metrics (or of the metrics they
 * depend on), of their covariates, and of the custom exposure signal; each once (same table and
 * date column), in config order. These are what must have rows for the window's last day
 * (`dataTo`) before it is computed. Pure.
 */
export function windowDataSources(
  group: Pick<PlanGroup, 'period' | 'tasks'>,
  config: AnalysisConfig,
): DataSource[] {
  const found = new Map<string, DataSource>();
  const add = (source: DataSource | null | undefined) => {
    if (source === null || source === undefined) return;
    const key = dataSourceKey(source);
    if (!found.has(key)) found.set(key, source);
  };
  const summaries = config.periods[group.period] ?? [];
  for (const task of group.tasks) {
    const summary = summaries.find((s) => s.metric.name === task.metric);
    if (summary === undefined) continue;
    for (const definition of readDefinitions(summary)) add(definition.dataSource);
    for (const definition of covariateDefinitions(summary, group.period, config)) {
      add(definition.dataSource);
    }
  }
  add(config.experiment.exposureSignal?.dataSource);
  return [...found.values()];
}

/** What identifies a data source's rows: its `from_expression` and date column. */
export function dataSourceKey(
  source: Pick<DataSource, 'fromExpression' | 'submissionDateColumn'>,
): string {
  return `${source.fromExpression}\u0000${source.submissionDateColumn}`;
}

/** The definitions a summary's values come from: its `depends_on` metrics, else itself. */
function readDefinitions(summary: MetricSummary): readonly MetricDefinition[] {
  return summary.metric.dependsOn.length > 0
    ? (summary.metric.dependencies ?? [])
    : [summary.metric];
}

/** The covariate metrics of a summary's covariate-adjusted statistics (itself when unnamed). */
function covariateDefinitions(
  summary: MetricSummary,
  period: AnalysisPeriod,
  config: AnalysisConfig,
): MetricDefinition[] {
  const out: MetricDefinition[] = [];
  for (const statistic of summary.statistics) {
    if (covariateWindowFor(statistic.params, period) === null) continue;
    const name = covariateMetricName(statistic.params);
    const definition =
      name === null || name === '' || name === summary.metric.name
        ? summary.metric
        : definitionNamed(config, name);
    if (definition !== null) out.push(definition);
  }
  return out;
}

function definitionNamed(config: AnalysisConfig, name: string): MetricDefinition | null {
  for (const summaries of Object.values(config.periods)) {
    const found = summaries.find((s) => s.metric.name === name);
    if (found !== undefined) return found.metric;
  }
  return null;
}
