import type { StatisticSpec } from '../stats/statistic-spec.js';
import type {
  AnalysisUnit,
  DataSource,
  MetricDefinition,
  MetricSummary,
} from './analysis-config.js';
import { didYouMean } from './closest-name.js';
import { joinKeyPath } from './config-error.js';
import type { EntryOrigin, MetricFields } from './config-layer.js';
import { dedent } from './dedent.js';
import { definedNames, mergeNamedEntries, type MergedEntry } from './merge-entries.js';
import { defaultAnalysisUnits } from './platforms.js';
import { renderOrReport, resolveDataSource } from './resolve-data-source.js';
import type { ResolutionScope } from './resolution-scope.js';
import { fillSqlPlaceholders } from './sql-placeholders.js';

/**
 * Resolves metric `name` referenced at `site`, with the statistics to compute on it.
 * @returns null after recording a problem (undefined metric, no statistics, invalid definition).
 */
export function resolveMetricSummary(
  scope: ResolutionScope,
  name: string,
  site: EntryOrigin,
): MetricSummary | null {
  const metric = resolveMetricDefinition(scope, name, site);
  if (metric === null) return null;
  const merged = lookUpMetric(scope, name, site);
  const statistics = merged?.fields.statistics ?? [];
  if (statistics.length === 0) {
    scope.problems.add({
      ...site,
      reason: `metric '${name}' has no statistics (add [metrics.${name}.statistics.<statistic>])`,
    });
    return null;
  }
  const statisticsOrigin = merged?.origins.statistics;
  const statisticsSite = statisticsOrigin
    ? { file: statisticsOrigin.file, keyPath: joinKeyPath(statisticsOrigin.keyPath, 'statistics') }
    : site;
  if (!checkRatioOperands(scope, name, statistics, statisticsSite)) return null;
  return { metric, statistics };
}

/**
 * Resolves the definition of metric `name` (no statistics needed): merged over the layers,
 * select expression rendered, data source resolved and checked to support the metric's
 * analysis units, `depends_on` metrics resolved.
 */
export function resolveMetricDefinition(
  scope: ResolutionScope,
  name: string,
  site: EntryOrigin,
  stack: readonly string[] = [],
): MetricDefinition | null {
  const cached = scope.cache.metrics.get(name);
  if (cached !== undefined) return cached;
  if (stack.includes(name)) {
    scope.problems.add({
      ...site,
      reason: `metric '${name}' depends on itself (${[...stack, name].join(' → ')})`,
    });
    return null;
  }
  const merged = lookUpMetric(scope, name, site);
  const resolved = merged === null ? null : buildDefinition(scope, merged, [...stack, name]);
  scope.cache.metrics.set(name, resolved);
  return resolved;
}

function lookUpMetric(
  scope: ResolutionScope,
  name: string,
  site: EntryOrigin,
): MergedEntry<MetricFields> | null {
  const result = mergeNamedEntries(name, 'metrics', scope.layers, (l) => l.metrics);
  if (result.kind === 'found') return result.entry;
  if (result.kind === 'broken') scope.problems.addAll(result.problems);
  else {
    const known = definedNames(scope.layers, (l) => l.metrics);
    scope.problems.add({
      ...site,
      reason: `metric '${name}' is not defined for platform '${scope.platform}'${didYouMean(name, known)}`,
    });
  }
  return null;
}

type DefinitionCommon = Omit<MetricDefinition, 'selectExpression' | 'dataSource'> & {
  readonly analysisUnits: readonly AnalysisUnit[];
};

function buildDefinition(
  scope: ResolutionScope,
  merged: MergedEntry<MetricFields>,
  stack: readonly string[],
): MetricDefinition | null {
  const { fields, origins, origin, name } = merged;
  const common = commonFields(scope, merged);
  if (common.dependsOn.length > 0) {
    const at = origins.dependsOn ?? origin;
    const site = { file: at.file, keyPath: joinKeyPath(at.keyPath, 'depends_on') };
    const upstream = common.dependsOn.map((dep) =>
      resolveMetricDefinition(scope, dep, site, stack),
    );
    const dependencies = upstream.filter((m): m is MetricDefinition => m !== null);
    if (dependencies.length < upstream.length) return null;
    return { ...common, selectExpression: null, dataSource: null, dependencies };
  }
  if (fields.selectExpression === undefined || fields.dataSource === undefined) {
    const what = fields.selectExpression === undefined ? 'select_expression' : 'data_source';
    scope.problems.add({ ...origin, reason: `metric '${name}' has no ${what}` });
    return null;
  }
  const dataSourceOrigin = origins.dataSource ?? origin;
  const dataSource = resolveDataSource(scope, fields.dataSource, {
    file: dataSourceOrigin.file,
    keyPath: joinKeyPath(dataSourceOrigin.keyPath, 'data_source'),
  });
  const selectOrigin = origins.selectExpression ?? origin;
  const rendered = renderOrReport(scope, fields.selectExpression, {
    file: selectOrigin.file,
    keyPath: joinKeyPath(selectOrigin.keyPath, 'select_expression'),
  });
  if (dataSource === null || rendered === null) return null;
  if (!supportsUnits(scope, merged, common.analysisUnits, dataSource)) return null;
  const selectExpression = fillSqlPlaceholders(rendered, {
    experiment_slug: scope.experiment.slug,
  });
  return { ...common, selectExpression, dataSource };
}

/** The fields every metric has, with metric-config-parser's defaults. */
function commonFields(scope: ResolutionScope, merged: MergedEntry<MetricFields>): DefinitionCommon {
  const { fields, name } = merged;
  return {
    name,
    friendlyName: fields.friendlyName === undefined ? null : dedent(fields.friendlyName),
    description: fields.description === undefined ? null : dedent(fields.description),
    biggerIsBetter: fields.biggerIsBetter ?? true,
    analysisBases: fields.analysisBases ?? ['enrollments', 'exposures'],
    analysisUnits: fields.analysisUnits ?? defaultAnalysisUnits(scope.platform),
    dependsOn: fields.dependsOn ?? [],
    category: fields.category ?? null,
    type: fields.type ?? 'scalar',
  };
}

/** Every analysis unit of the metric must be supported by its data source. */
function supportsUnits(
  scope: ResolutionScope,
  merged: MergedEntry<MetricFields>,
  analysisUnits: readonly AnalysisUnit[],
  dataSource: DataSource,
): boolean {
  if (analysisUnits.every((u) => dataSource.analysisUnits.includes(u))) return true;
  const unitsOrigin = merged.origins.analysisUnits;
  const at = unitsOrigin ?? merged.origins.dataSource ?? merged.origin;
  scope.problems.add({
    file: at.file,
    keyPath: joinKeyPath(at.keyPath, unitsOrigin ? 'analysis_units' : 'data_source'),
    reason: `metric '${merged.name}' needs analysis units [${analysisUnits.join(', ')}] but data source '${dataSource.name}' supports [${dataSource.analysisUnits.join(', ')}]`,
  });
  return false;
}

/** population_ratio's numerator and denominator must name metrics that resolve. */
function checkRatioOperands(
  scope: ResolutionScope,
  name: string,
  statistics: readonly StatisticSpec[],
  site: EntryOrigin,
): boolean {
  let ok = true;
  for (const statistic of statistics) {
    if (statistic.name !== 'population_ratio') continue;
    for (const key of ['numerator', 'denominator'] as const) {
      const operand = statistic.params[key];
      if (typeof operand !== 'string') continue;
      const at = { file: site.file, keyPath: joinKeyPath(site.keyPath, 'population_ratio', key) };
      if (resolveMetricDefinition(scope, operand, at, [name]) === null) ok = false;
    }
  }
  return ok;
}
