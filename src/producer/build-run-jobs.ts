import type { AnalysisBasis, AnalysisPeriod } from '../analysis/analysis-period.js';
import { isPreenrollmentPeriod } from '../analysis/analysis-period.js';
import type { PlanExperiment, PlanGroup, PlanUnit } from '../analysis/analysis-plan.js';
import { windowLength, type AnalysisWindow } from '../analysis/analysis-window.js';
import { statisticsTableName } from '../analysis/table-names.js';
import { covariateMetricName, covariateWindowFor } from '../analysis/covariate-adjustment.js';
import type { AnalysisConfig, MetricDefinition, MetricSummary } from '../config/analysis-config.js';
import type { EffectiveExperiment } from '../experiments/effective-experiment.js';
import type { EnrollmentsJob, ExportJob, FinalizeJob, MetricJob } from '../queue/job-payloads.js';

/**
 * Turns one experiment's part of the plan into job payloads: the enrollments job that carries
 * the experiment's flow (export ← finalize per window ← metric per metric). Pure.
 */
export function buildEnrollmentsJob(
  unit: PlanUnit,
  item: PlanExperiment,
  options: { recreate: boolean; runId: string; sharedReads: boolean },
): EnrollmentsJob {
  const { experiment, config } = item;
  const startDate = requireStartDate(experiment);
  const branches = experiment.experiment.branches.map((b) => b.slug);
  return {
    kind: 'enrollments',
    id: unit.enrollmentsId,
    experiment: unit.experiment,
    date: dateOf(unit),
    recreate: options.recreate,
    spec: {
      slug: experiment.slug,
      startDate,
      enrollmentPeriod: experiment.enrollmentPeriod,
      branches,
      analysisUnit: experiment.analysisUnit,
      enrollmentsQueryType: experiment.enrollmentsQueryType,
      appDataset: experiment.appDataset,
      enrollmentQuery: config.experiment.enrollmentQuery ?? null,
      sampleSize: config.experiment.sampleSize ?? null,
      segments: [...config.segments],
      exposureSignal: config.experiment.exposureSignal ?? null,
      lastDateOfData: dateOf(unit),
    },
    export: buildExportJob(unit, item),
    groups: unit.groups.map((group) => ({
      finalize: buildFinalizeJob(group, item),
      metrics: shareReads(
        group.tasks.map((task) => buildMetricJob(group, task.id, task.metric, item)),
        group,
        item,
        options,
      ),
      priority: isPreenrollmentPeriod(group.period) ? 1 : 2,
    })),
  };
}

function shareReads(
  jobs: MetricJob[],
  group: PlanGroup,
  item: PlanExperiment,
  options: { runId: string; sharedReads: boolean },
): MetricJob[] {
  return options.sharedReads ? withSharedReads(jobs, group, item, options.runId) : jobs;
}

function dateOf(unit: PlanUnit): string {
  const first = unit.groups[0];
  if (first === undefined) throw new Error(`plan unit of ${unit.experiment} has no window`);
  return first.date;
}

function requireStartDate(experiment: EffectiveExperiment): string {
  if (experiment.startDate === null) {
    throw new Error(`experiment ${experiment.slug} has no start date`);
  }
  return experiment.startDate;
}

/** The finalize payload of one window. */
export function buildFinalizeJob(group: PlanGroup, item: PlanExperiment): FinalizeJob {
  const bases = new Set<AnalysisBasis>();
  for (const task of group.tasks) {
    for (const basis of summaryOf(item.config, group.period, task.metric).metric.analysisBases) {
      bases.add(basis);
    }
  }
  return {
    kind: 'finalize',
    id: group.id,
    experiment: group.experiment,
    date: group.date,
    period: group.period,
    windowIndex: group.windowIndex,
    window: group.window,
    table: statisticsTableName(group.experiment, group.period, group.windowIndex),
    metrics: group.tasks.map((task) => task.metric),
    branches: item.experiment.experiment.branches.map((b) => b.slug),
    segments: item.config.segments.map((segment) => segment.name),
    bases: bases.size > 0 ? [...bases] : ['enrollments', 'exposures'],
  };
}

/** The payload of one metric job. */
export function buildMetricJob(
  group: PlanGroup,
  id: string,
  metricName: string,
  item: PlanExperiment,
): MetricJob {
  const { experiment, config } = item;
  const summary = summaryOf(config, group.period, metricName);
  const branches = experiment.experiment.branches.map((b) => b.slug);
  return {
    kind: 'metric',
    id,
    experiment: group.experiment,
    date: group.date,
    period: group.period,
    windowIndex: group.windowIndex,
    window: group.window,
    metric: metricName,
    finalizeId: group.id,
    read: {
      slug: experiment.slug,
      analysisUnit: experiment.analysisUnit,
      startDate: requireStartDate(experiment),
      enrollmentPeriod: experiment.enrollmentPeriod,
      branches,
      window: group.window,
      metrics: metricColumns(summary, config),
      covariateWindow: covariateWindow(summary, group.period),
      segments: config.segments.map((segment) => segment.name),
      exposureSignal: config.experiment.exposureSignal ?? null,
      lastDateOfData: group.date,
    },
    bases: [...summary.metric.analysisBases],
    statistics: [...summary.statistics],
    analysisPeriodLength: windowLength(group.window),
    experimentBranches: branches,
  };
}

/**
 * Gives each metric job of a window its read group: the columns of every metric configured for
 * the period whose columns come from the same data sources over the same covariate window
 * (segments, window and dates are the window's). The group comes from the configuration, not from
 * the metrics this run computes, so a metric reads the same query whether the whole window runs
 * or only that metric is rerun: its values are bit-identical either way.
 */
export function withSharedReads(
  jobs: readonly MetricJob[],
  group: PlanGroup,
  item: PlanExperiment,
  runId: string,
): MetricJob[] {
  const groups = new Map<string, MetricJob['read']['metrics'][number][]>();
  for (const summary of item.config.periods[group.period] ?? []) {
    const metrics = computableColumns(summary, item.config);
    if (metrics === null) continue;
    const key = readGroupKey(metrics, covariateWindow(summary, group.period));
    const columns = groups.get(key) ?? [];
    for (const column of metrics) {
      if (!columns.some((c) => c.name === column.name)) columns.push(column);
    }
    groups.set(key, columns);
  }
  return jobs.map((job) => {
    const columns = groups.get(readGroupKey(job.read.metrics, job.read.covariateWindow));
    return columns === undefined ? job : { ...job, sharedRead: { columns, runId } };
  });
}

/** The columns a metric reads, or null when it has none to compute (no select expression). */
function computableColumns(
  summary: MetricSummary,
  config: AnalysisConfig,
): MetricJob['read']['metrics'] | null {
  try {
    return metricColumns(summary, config);
  } catch {
    return null;
  }
}

function readGroupKey(
  metrics: MetricJob['read']['metrics'],
  covariate: MetricJob['read']['covariateWindow'],
): string {
  const sources = [...new Set(metrics.map((m) => m.dataSource.name))].sort();
  return JSON.stringify([sources, covariate === null ? null : [covariate.start, covariate.end]]);
}

function summaryOf(config: AnalysisConfig, period: AnalysisPeriod, metric: string): MetricSummary {
  const summary = config.periods[period]?.find((s) => s.metric.name === metric);
  if (summary === undefined) {
    throw new Error(
      `metric ${metric} is not configured for period ${period} of ${config.experimentSlug}`,
    );
  }
  return summary;
}

/** The columns to read: the metric itself, or its `depends_on` metrics, plus covariate sources. */
function metricColumns(
  summary: MetricSummary,
  config: AnalysisConfig,
): MetricJob['read']['metrics'] {
  const own =
    summary.metric.dependsOn.length > 0 ? (summary.metric.dependencies ?? []) : [summary.metric];
  const covariates = summary.statistics
    .map((s) => covariateMetricName(s.params))
    .filter((name): name is string => name !== null && name !== '' && name !== summary.metric.name)
    .map((name) => definitionOf(config, name));
  const columns = [...own, ...covariates].map(toColumn);
  const seen = new Set<string>();
  return columns.filter((column) => !seen.has(column.name) && seen.add(column.name));
}

function toColumn(definition: MetricDefinition): MetricJob['read']['metrics'][number] {
  if (definition.selectExpression === null || definition.dataSource === null) {
    throw new Error(`metric ${definition.name} has no select expression to compute`);
  }
  return {
    name: definition.name,
    selectExpression: definition.selectExpression,
    dataSource: definition.dataSource,
  };
}

function definitionOf(config: AnalysisConfig, name: string): MetricDefinition {
  for (const summaries of Object.values(config.periods)) {
    const found = summaries.find((s) => s.metric.name === name);
    if (found !== undefined) return found.metric;
  }
  throw new Error(`covariate metric ${name} is not defined in ${config.experimentSlug}'s config`);
}

/** The pre-enrollment window of the first covariate-adjusted statistic (none in pre-enrollment periods). */
function covariateWindow(summary: MetricSummary, period: AnalysisPeriod): AnalysisWindow | null {
  for (const statistic of summary.statistics) {
    const window = covariateWindowFor(statistic.params, period);
    if (window !== null) return window;
  }
  return null;
}

/** The export payload of one experiment. */
export function buildExportJob(unit: PlanUnit, item: PlanExperiment): ExportJob {
  const { experiment, config } = item;
  const metrics: ExportJob['metrics'] = {};
  for (const summaries of Object.values(config.periods)) {
    for (const { metric } of summaries) {
      metrics[metric.name] = {
        friendlyName: metric.friendlyName,
        description: metric.description,
        biggerIsBetter: metric.biggerIsBetter,
        analysisBases: [...metric.analysisBases],
      };
    }
  }
  return {
    kind: 'export',
    id: unit.exportId,
    experiment: unit.experiment,
    date: dateOf(unit),
    branches: experiment.experiment.branches.map((b) => ({ slug: b.slug, ratio: b.ratio })),
    referenceBranch: experiment.referenceBranch,
    metrics,
    outcomes: config.outcomes.map((outcome) => ({
      slug: outcome.slug,
      friendlyName: outcome.friendlyName,
      description: outcome.description,
      metrics: [...outcome.metrics],
      defaultMetrics: [...outcome.defaultMetrics],
    })),
    externalConfig: externalConfigOf(config),
    isPrivate: config.experiment.isPrivate,
  };
}

function externalConfigOf(config: AnalysisConfig): ExportJob['externalConfig'] {
  const o = config.experiment;
  const overridden =
    o.referenceBranch !== undefined ||
    o.endDate !== undefined ||
    o.startDate !== undefined ||
    o.enrollmentPeriod !== undefined ||
    o.skip;
  if (!overridden) return null;
  return {
    referenceBranch: o.referenceBranch ?? null,
    endDate: o.endDate ?? null,
    startDate: o.startDate ?? null,
    enrollmentPeriod: o.enrollmentPeriod ?? null,
    skip: o.skip,
    url: `jetstream/${config.experimentSlug}.toml`,
  };
}
