import type { Experiment } from '../experiments/experiment.js';
import type {
  DataSource,
  MetricDefinition,
  Segment,
  SegmentDataSource,
} from './analysis-config.js';
import { didYouMean } from './closest-name.js';
import { joinKeyPath } from './config-error.js';
import { brokenKey, type ConfigEntry, type ConfigLayer, type EntryOrigin } from './config-layer.js';
import type { ExperimentEntryFields, ParameterEntryFields } from './entry-schemas.js';
import { experimentTemplateContext, strictRecord } from './experiment-template-context.js';
import type { MetricHub } from './metric-hub.js';
import { formatParameter, mergeParameter } from './outcome-parameters.js';
import { platformForApp } from './platforms.js';
import { ProblemSink } from './problem-sink.js';
import type { TemplateContext } from './template-renderer.js';

/** An outcome used by a resolution. */
export interface OutcomeLayer {
  readonly slug: string;
  readonly layer: ConfigLayer;
}

/** The `[experiment]` section merged over the spec layers, with where each value came from. */
export interface MergedExperimentSection {
  readonly fields: Partial<ExperimentEntryFields>;
  readonly origins: Partial<Record<keyof ExperimentEntryFields, EntryOrigin>>;
}

/** Everything one resolution needs, and what it has found so far. */
export interface ResolutionScope {
  readonly hub: MetricHub;
  readonly experiment: Experiment;
  readonly platform: string;
  /** Every layer, lowest first: definitions, jetstream definitions, outcomes, defaults, override. */
  readonly layers: readonly ConfigLayer[];
  /** Platform defaults, experiment-type defaults, override (those that exist). */
  readonly specLayers: readonly ConfigLayer[];
  readonly outcomeLayers: readonly OutcomeLayer[];
  readonly experimentSection: MergedExperimentSection;
  readonly template: TemplateContext;
  readonly problems: ProblemSink;
  readonly cache: {
    readonly metrics: Map<string, MetricDefinition | null>;
    readonly dataSources: Map<string, DataSource | null>;
    readonly segments: Map<string, Segment | null>;
    readonly segmentDataSources: Map<string, SegmentDataSource | null>;
  };
}

/**
 * Gathers the layers of one experiment's resolution (spec/analysis.md §1.3): definitions of its
 * platform, the outcomes it names, platform defaults, experiment-type defaults, and its override.
 * @param override the experiment's own config; `undefined` looks up `jetstream/<slug>.toml`.
 */
export function createResolutionScope(
  hub: MetricHub,
  experiment: Experiment,
  override: ConfigLayer | null | undefined,
): ResolutionScope {
  const problems = new ProblemSink();
  const platform = platformForApp(experiment.appName);
  const own = override === undefined ? (hub.experiments.get(experiment.slug) ?? null) : override;
  const specLayers = [
    hub.defaults.get(platform),
    experiment.type !== platform ? hub.defaults.get(experiment.type) : undefined,
    own ?? undefined,
  ].filter((l): l is ConfigLayer => l !== undefined);
  for (const layer of specLayers) {
    problems.addAll(layer.broken.get(brokenKey('experiment', '')) ?? []);
  }
  // The defaults and the experiment's own file must be sound as a whole (they are what jetstream
  // merges); definitions and outcomes only matter through the entries that are used.
  const specPaths = [
    `jetstream/defaults/${platform}.toml`,
    `jetstream/defaults/${experiment.type}.toml`,
  ];
  if (override === undefined) specPaths.push(`jetstream/${experiment.slug}.toml`);
  for (const file of hub.files) if (specPaths.includes(file.path)) problems.addAll(file.problems);
  const experimentSection = mergeExperimentSections(specLayers);
  const outcomeLayers = findOutcomes(hub, experiment, platform, experimentSection, problems);
  const layers = [
    ...(hub.definitions.get(platform) ?? []),
    ...outcomeLayers.map((o) => o.layer),
    ...specLayers,
  ];
  const parameters = resolveParameters(specLayers, outcomeLayers, problems);
  return {
    hub,
    experiment,
    platform,
    layers,
    specLayers,
    outcomeLayers,
    experimentSection,
    template: {
      experiment: experimentTemplateContext(experiment, experimentSection.fields),
      parameters: strictRecord(parameters, 'parameters'),
    },
    problems,
    cache: {
      metrics: new Map(),
      dataSources: new Map(),
      segments: new Map(),
      segmentDataSources: new Map(),
    },
  };
}

/** `[experiment]` keys over the spec layers: a truthy value of a higher layer wins (§1.3.3). */
function mergeExperimentSections(layers: readonly ConfigLayer[]): MergedExperimentSection {
  const fields: Partial<Record<keyof ExperimentEntryFields, unknown>> = {};
  const origins: Partial<Record<keyof ExperimentEntryFields, EntryOrigin>> = {};
  for (const layer of layers) {
    if (!layer.experiment) continue;
    for (const [key, value] of Object.entries(layer.experiment.fields) as [
      keyof ExperimentEntryFields,
      unknown,
    ][]) {
      if (!isTruthy(value)) continue;
      fields[key] = value;
      origins[key] = { file: layer.file, keyPath: joinKeyPath('experiment', snakeCase(key)) };
    }
  }
  return { fields: fields as Partial<ExperimentEntryFields>, origins };
}

function isTruthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') {
    return false;
  }
  return !(Array.isArray(value) && value.length === 0);
}

/** `enrollmentPeriod` → `enrollment_period`, for key paths. */
export function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function findOutcomes(
  hub: MetricHub,
  experiment: Experiment,
  platform: string,
  section: MergedExperimentSection,
  problems: ProblemSink,
): OutcomeLayer[] {
  const slugs = [...new Set([...experiment.outcomes, ...(section.fields.outcomes ?? [])])];
  const found: OutcomeLayer[] = [];
  for (const slug of slugs) {
    const layer = hub.outcomes.get(`${platform}/${slug}`);
    if (layer) {
      found.push({ slug, layer });
      continue;
    }
    const fromConfig = section.fields.outcomes?.includes(slug) === true;
    const site = fromConfig ? section.origins.outcomes : undefined;
    const known = [...hub.outcomes.keys()]
      .filter((k) => k.startsWith(`${platform}/`))
      .map((k) => k.slice(platform.length + 1));
    problems.add({
      file: site?.file ?? `experimenter:${experiment.slug}`,
      keyPath: site?.keyPath ?? 'outcomes',
      reason: `outcome '${slug}' is not defined for platform '${platform}' (no jetstream/outcomes/${platform}/${slug}.toml)${didYouMean(slug, known)}`,
    });
  }
  return found;
}

function resolveParameters(
  specLayers: readonly ConfigLayer[],
  outcomes: readonly OutcomeLayer[],
  problems: ProblemSink,
): Record<string, string> {
  const external = new Map<string, ConfigEntry<ParameterEntryFields>>();
  for (const layer of specLayers) {
    for (const [name, entry] of layer.parameters) external.set(name, entry);
  }
  const fromOutcomes = new Map<string, ConfigEntry<ParameterEntryFields>>();
  for (const { layer } of outcomes) {
    for (const [name, entry] of layer.parameters) fromOutcomes.set(name, entry);
  }
  const formatted: Record<string, string> = {};
  for (const name of new Set([...fromOutcomes.keys(), ...external.keys()])) {
    const merged = mergeParameter(name, external.get(name), fromOutcomes.get(name));
    if ('reason' in merged) problems.add(merged);
    else formatted[name] = formatParameter(merged);
  }
  return formatted;
}
