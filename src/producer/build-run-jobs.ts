import type { AnalysisBasis, AnalysisPeriod } from '../analysis/analysis-period.js';
import { isPreenrollmentPeriod } from '../analysis/analysis-period.js';
import type { PlanExperiment, PlanGroup, PlanUnit } from '../analysis/analysis-plan.js';
import { windowLength, type AnalysisWindow } from '../analysis/analysis-window.js';
import { statisticsTableName } from '../analysis/table-names.js';
import { covariateMetricName, covariateWindowFor } from '../analysis/covariate-adjustment.js';
import type { AnalysisConfig, MetricDefinition, MetricSummary } from '../config/analysis-config.js';
import type { EffectiveExperiment } from '../experiments/effective-experiment.js';
import { taskId } from '../analysis/task-id.js';
import { attachSharedScan } from './attach-shared-scan.js';
import { windowConfigHash } from './window-config-hash.js';
import type {
  EnrollmentsJob,
  ExportJob,
  FinalizeJob,
  MetricJob,
  MetricsTableJob,
} from '../queue/job-payloads.js';

/**
 * Turns one experiment's part of the plan into job payloads: the enrollments job that carries
 * the experiment's flow (export ← finalize per window ← metric per metric). Pure.
 */
export function buildEnrollmentsJob(
  unit: PlanUnit,
  item: PlanExperiment,
  options: RunJobOptions,
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
    groups: withSharedScan(unit.groups.map((group) => buildFlowGroup(group, item, options))),
  };
}

/** The groups with one shared scan for all their metrics-table jobs (one experiment and date). */
function withSharedScan(groups: EnrollmentsJob['groups']): EnrollmentsJob['groups'] {
  const shared = attachSharedScan(groups.flatMap((group) => group.metricsTables));
  let next = 0;
  return groups.map((group) => ({
    ...group,
    metricsTables: group.metricsTables.map(() => shared[next++]!),
  }));
}

/** Options shared by every job of a run. */
export interface RunJobOptions {
  /** Drop and rebuild the enrollments tables. */
  readonly recreate: boolean;
  /** Identifies the run (job labels). */
  readonly runId: string;
  /** Recompute statistics from the existing metrics tables; no metrics-table jobs. */
  readonly statisticsOnly: boolean;
  /** Absolute folder the metrics-table jobs write their SQL into. */
  readonly sqlOutputDir?: string;
}

/**
 * One window's flow: the finalize job with one metrics-table child per basis, carrying the metric
 * jobs it adds once the tables are written; in a statistics-only run, the metric jobs are its
 * children from the start.
 */
export function buildFlowGroup(
  group: PlanGroup,
  item: PlanExperiment,
  options: Pick<RunJobOptions, 'runId' | 'statisticsOnly' | 'sqlOutputDir'>,
): EnrollmentsJob['groups'][number] {
  const priority = isPreenrollmentPeriod(group.period) ? 1 : 2;
  const metricJobs = group.tasks.map((task) =>
    buildMetricJob(group, task.id, task.metric, item, options.runId),
  );
  const finalize = buildFinalizeJob(group, item);
  if (options.statisticsOnly) {
    return {
      finalize: { ...finalize, priority },
      metricsTables: [],
      metrics: metricJobs,
      priority,
    };
  }
  return {
    finalize: { ...finalize, step: 'tables', metricJobs, priority },
    metricsTables: finalize.bases.map((basis) => ({
      ...buildMetricsTableJob(group, basis, item, options.runId),
      ...(options.sqlOutputDir === undefined ? {} : { sqlOutputDir: options.sqlOutputDir }),
    })),
    metrics: [],
    priority,
  };
}

/** The metrics-table job of one window and basis: every metric the period computes on it. */
export function buildMetricsTableJob(
  group: PlanGroup,
  basis: AnalysisBasis,
  item: PlanExperiment,
  runId: string,
): MetricsTableJob {
  const { experiment, config } = item;
  const metrics: MetricColumn[] = [];
  const covariates = new Map<string, { window: AnalysisWindow; metrics: MetricColumn[] }>();
  for (const summary of config.periods[group.period] ?? []) {
    if (!summary.metric.analysisBases.includes(basis)) continue;
    addColumns(metrics, computableColumns(summary) ?? []);
    const covariate = covariateOf(summary, group.period, config);
    if (covariate === null) continue;
    const key = `${covariate.window.start}:${covariate.window.end}`;
    const entry = covariates.get(key) ?? { window: covariate.window, metrics: [] };
    addColumns(entry.metrics, [covariate.column]);
    covariates.set(key, entry);
  }
  return {
    kind: 'metrics-table',
    id: taskId({
      kind: 'metrics-table',
      experiment: group.experiment,
      date: group.date,
      period: group.period,
      windowIndex: group.windowIndex,
      basis,
    }),
    experiment: group.experiment,
    date: group.date,
    period: group.period,
    windowIndex: group.windowIndex,
    window: group.window,
    basis,
    spec: {
      slug: experiment.slug,
      analysisUnit: experiment.analysisUnit,
      startDate: requireStartDate(experiment),
      enrollmentPeriod: experiment.enrollmentPeriod,
      branches: experiment.experiment.branches.map((b) => b.slug),
      basis,
      period: group.period,
      windowIndex: group.windowIndex,
      window: group.window,
      metrics,
      covariates: [...covariates.values()],
      segments: config.segments.map((segment) => segment.name),
      exposureSignal: config.experiment.exposureSignal ?? null,
      lastDateOfData: group.date,
    },
    runId,
  };
}

type MetricColumn = MetricJob['read']['metrics'][number];

function addColumns(into: MetricColumn[], columns: readonly MetricColumn[]): void {
  for (const column of columns) {
    if (!into.some((c) => c.name === column.name)) into.push(column);
  }
}

/** A summary's covariate: the pre-enrollment window and the covariate metric's column. */
function covariateOf(
  summary: MetricSummary,
  period: AnalysisPeriod,
  config: AnalysisConfig,
): { window: AnalysisWindow; column: MetricColumn } | null {
  const window = covariateWindow(summary, period);
  if (window === null) return null;
  const name = covariateName(summary);
  try {
    const definition = name === summary.metric.name ? summary.metric : definitionOf(config, name);
    return { window, column: toColumn(definition) };
  } catch {
    return null; // the metric job reports the missing covariate
  }
}

/** The covariate metric of a summary's first covariate-adjusted statistic (itself when unnamed). */
function covariateName(summary: MetricSummary): string {
  for (const statistic of summary.statistics) {
    const name = covariateMetricName(statistic.params);
    if (name !== null) return name === '' ? summary.metric.name : name;
  }
  return summary.metric.name;
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
    step: 'statistics',
    metricJobs: [],
    tableFailures: [],
    priority: isPreenrollmentPeriod(group.period) ? 1 : 2,
    configHash: windowConfigHash(group, item),
  };
}

/** The payload of one metric job. */
export function buildMetricJob(
  group: PlanGroup,
  id: string,
  metricName: string,
  item: PlanExperiment,
  runId: string,
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
      metrics: ownColumns(summary),
      covariateWindow: covariateWindow(summary, group.period),
      segments: config.segments.map((segment) => segment.name),
      exposureSignal: config.experiment.exposureSignal ?? null,
      lastDateOfData: group.date,
    },
    bases: [...summary.metric.analysisBases],
    statistics: [...summary.statistics],
    analysisPeriodLength: windowLength(group.window),
    experimentBranches: branches,
    runId,
  };
}

/** The columns a metric reads, or null when it has none to compute (no select expression). */
function computableColumns(summary: MetricSummary): MetricColumn[] | null {
  try {
    return ownColumns(summary);
  } catch {
    return null;
  }
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

/** The columns a metric's statistics read: the metric itself, or its `depends_on` metrics. */
function ownColumns(summary: MetricSummary): MetricColumn[] {
  const own =
    summary.metric.dependsOn.length > 0 ? (summary.metric.dependencies ?? []) : [summary.metric];
  return own.map(toColumn);
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
