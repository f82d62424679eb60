import { ANALYSIS_PERIODS, type AnalysisPeriod } from '../analysis/analysis-period.js';
import type { Experiment } from '../experiments/experiment.js';
import type { StatisticSpec } from '../stats/statistic-spec.js';
import type { AnalysisConfig, MetricSummary, Outcome, Segment } from './analysis-config.js';
import { ConfigError, type ConfigProblem, toConfigError } from './config-error.js';
import type { ConfigLayer, EntryOrigin } from './config-layer.js';
import { isGlobPattern } from './glob-pattern.js';
import { loadLayer, type MetricHub, type MetricHubFile } from './metric-hub.js';
import { resolveExperimentOverrides } from './resolve-experiment-overrides.js';
import { resolveMetricSummary } from './resolve-metric.js';
import { resolveSegment } from './resolve-segment.js';
import { createResolutionScope, type ResolutionScope } from './resolution-scope.js';

/** The outcome of resolving one experiment: the config, or every problem found. */
export interface ResolutionResult {
  /** null when any problem was found. */
  readonly config: AnalysisConfig | null;
  readonly problems: readonly ConfigError[];
  /** Warnings of the override file given (the hub's own are in `hub.warnings`). */
  readonly warnings: readonly ConfigProblem[];
}

/** How to find an experiment's own config. */
export type OverrideSource =
  /** A file to use instead of `jetstream/<slug>.toml` (jetstream's `--config-file`). */
  | MetricHubFile
  /** An already parsed layer; null means "no override at all". */
  | { readonly layer: ConfigLayer | null };

/**
 * Resolves an experiment's analysis config (spec/analysis.md §1.3) and throws on the first
 * problem. Merge order: platform defaults, experiment-type defaults, the override
 * (`override`, else `jetstream/<slug>.toml`); metric definitions come from the override, the
 * outcomes, `jetstream/definitions/<platform>.toml` and `definitions/<platform>.toml`.
 * @throws ConfigError naming the file, key path and reason of the first problem.
 */
export function resolveAnalysisConfig(
  hub: MetricHub,
  experiment: Experiment,
  override?: OverrideSource,
): AnalysisConfig {
  const result = tryResolveAnalysisConfig(hub, experiment, override);
  const [first] = result.problems;
  if (first !== undefined || result.config === null) {
    throw first ?? new ConfigError(experiment.slug, '', 'configuration could not be resolved');
  }
  return result.config;
}

/** Like {@link resolveAnalysisConfig}, but collects every problem instead of throwing. */
export function tryResolveAnalysisConfig(
  hub: MetricHub,
  experiment: Experiment,
  override?: OverrideSource,
): ResolutionResult {
  const { layer, problems: loadProblems, warnings } = overrideLayer(override);
  const scope = createResolutionScope(hub, experiment, layer);
  scope.problems.addAll(loadProblems);
  const periods = resolvePeriods(scope);
  const segments = resolveSegments(scope);
  const experimentOverrides = resolveExperimentOverrides(scope);
  const problems = scope.problems.list().map(toConfigError);
  if (problems.length > 0) return { config: null, problems, warnings };
  const config: AnalysisConfig = {
    experimentSlug: experiment.slug,
    platform: scope.platform,
    experiment: experimentOverrides,
    periods,
    segments,
    outcomes: scope.outcomeLayers.map(({ slug, layer }) => outcomeOf(slug, scope.platform, layer)),
    sources: scope.layers.map((l) => l.file),
  };
  return { config, problems: [], warnings };
}

function overrideLayer(override: OverrideSource | undefined): {
  layer: ConfigLayer | null | undefined;
  problems: readonly ConfigError[];
  warnings: readonly ConfigProblem[];
} {
  if (override === undefined) return { layer: undefined, problems: [], warnings: [] };
  if ('layer' in override) return { layer: override.layer, problems: [], warnings: [] };
  return loadLayer(override.path, override.text, 'experiment');
}

interface MetricReference {
  readonly name: string;
  readonly site: EntryOrigin;
}

/** Period lists concatenated over the spec layers; outcome metrics added to weekly and overall. */
function periodReferences(scope: ResolutionScope): Map<AnalysisPeriod, MetricReference[]> {
  const lists = new Map<AnalysisPeriod, MetricReference[]>();
  const add = (period: AnalysisPeriod, reference: MetricReference): void => {
    lists.set(period, [...(lists.get(period) ?? []), reference]);
  };
  for (const layer of scope.specLayers) {
    for (const list of layer.periodLists) {
      for (const name of list.metrics) add(list.period, { name, site: list.origin });
    }
  }
  for (const { layer } of scope.outcomeLayers) {
    for (const [name, entry] of layer.metrics) {
      if (isGlobPattern(name)) continue;
      add('week', { name, site: entry.origin });
      add('overall', { name, site: entry.origin });
    }
  }
  return lists;
}

function resolvePeriods(scope: ResolutionScope): AnalysisConfig['periods'] {
  const references = periodReferences(scope);
  const periods: Partial<Record<AnalysisPeriod, readonly MetricSummary[]>> = {};
  for (const period of ANALYSIS_PERIODS) {
    const summaries = new Map<string, MetricSummary>();
    for (const { name, site } of references.get(period) ?? []) {
      const summary = resolveMetricSummary(scope, name, site);
      if (summary === null) continue;
      const previous = summaries.get(name);
      summaries.set(
        name,
        previous
          ? {
              metric: summary.metric,
              statistics: mergeStatistics(previous.statistics, summary.statistics),
            }
          : summary,
      );
    }
    if (summaries.size > 0) periods[period] = [...summaries.values()];
  }
  return periods;
}

/** Summaries are unique per (metric, statistic); the one merged last wins. */
function mergeStatistics(
  earlier: readonly StatisticSpec[],
  later: readonly StatisticSpec[],
): StatisticSpec[] {
  const byName = new Map(earlier.map((s) => [s.name, s]));
  for (const statistic of later) byName.set(statistic.name, statistic);
  return [...byName.values()];
}

/** Segments named in the config, then those chosen in Experimenter. */
function resolveSegments(scope: ResolutionScope): Segment[] {
  const { fields, origins } = scope.experimentSection;
  const configured = fields.segments ?? [];
  const site = origins.segments ?? { file: '', keyPath: 'experiment.segments' };
  const fromExperimenter = { file: `experimenter:${scope.experiment.slug}`, keyPath: 'segments' };
  const segments: Segment[] = [];
  for (const name of new Set([...configured, ...scope.experiment.segments])) {
    const segment = resolveSegment(
      scope,
      name,
      configured.includes(name) ? site : fromExperimenter,
    );
    if (segment !== null) segments.push(segment);
  }
  return segments;
}

function outcomeOf(slug: string, platform: string, layer: ConfigLayer): Outcome {
  return {
    slug,
    platform,
    friendlyName: layer.friendlyName,
    description: layer.description,
    metrics: [...layer.metrics.keys()].filter((k) => !isGlobPattern(k)),
    defaultMetrics: layer.defaultMetrics,
  };
}
