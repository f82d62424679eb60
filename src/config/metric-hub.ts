import { ConfigError, type ConfigProblem, toConfigError } from './config-error.js';
import type { ConfigLayer } from './config-layer.js';
import { classifyMetricHubPath, type MetricHubFileRole } from './metric-hub-layout.js';
import { parseConfigLayer, type ParsedLayer } from './parse-config-layer.js';
import { parseFunctionsFile } from './parse-functions-file.js';
import { parseTomlFile } from './parse-toml-file.js';
import { createTemplateRenderer, type TemplateRenderer } from './template-renderer.js';

/** One file handed to the config layer: a path (relative to the metric-hub folder) and its text. */
export interface MetricHubFile {
  readonly path: string;
  readonly text: string;
}

/** One file of a loaded metric-hub, with what it is and what was wrong with it. */
export interface LoadedMetricHubFile {
  readonly path: string;
  readonly role: MetricHubFileRole;
  /** The validated content; null for functions files, ignored files and files that do not parse. */
  readonly layer: ConfigLayer | null;
  readonly problems: readonly ConfigError[];
  readonly warnings: readonly ConfigProblem[];
}

/** A parsed and validated metric-hub folder: the registry configs are resolved against. */
export interface MetricHub {
  /** Every file given, sorted by path. */
  readonly files: readonly LoadedMetricHubFile[];
  /** Jinja helpers: `definitions/functions.toml`, overridden by `jetstream/definitions/functions.toml`. */
  readonly functions: Readonly<Record<string, string>>;
  readonly renderer: TemplateRenderer;
  /** platform → its definition layers, `definitions/` first, then `jetstream/definitions/`. */
  readonly definitions: ReadonlyMap<string, readonly ConfigLayer[]>;
  /** `jetstream/defaults/<name>.toml` by name (an app name or an experiment type). */
  readonly defaults: ReadonlyMap<string, ConfigLayer>;
  /** `jetstream/outcomes/<platform>/<slug>.toml` by `<platform>/<slug>`. */
  readonly outcomes: ReadonlyMap<string, ConfigLayer>;
  /** `jetstream/<slug>.toml` by slug. */
  readonly experiments: ReadonlyMap<string, ConfigLayer>;
  /** Every problem found while loading, in file order. */
  readonly problems: readonly ConfigError[];
  /** Things that are accepted but probably not what the author meant. */
  readonly warnings: readonly ConfigProblem[];
}

/**
 * Parses and validates every file of a metric-hub folder (pure: files come in as text). Problems
 * are collected, not thrown: a bad file or entry is left out and reported, the rest is usable.
 */
export function loadMetricHub(files: readonly MetricHubFile[]): MetricHub {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const loaded: LoadedMetricHubFile[] = [];
  const rootFunctions: Record<string, string> = {};
  const jetstreamFunctions: Record<string, string> = {};
  for (const file of sorted) {
    const role = classifyMetricHubPath(file.path);
    if (role.kind === 'functions') {
      const result = loadFunctions(file);
      Object.assign(role.jetstream ? jetstreamFunctions : rootFunctions, result.functions);
      loaded.push({ path: file.path, role, layer: null, problems: result.problems, warnings: [] });
    } else if (role.kind === 'ignored') {
      loaded.push({ path: file.path, role, layer: null, problems: [], warnings: [] });
    } else {
      const parsed = loadLayer(
        file.path,
        file.text,
        role.kind === 'outcome' ? 'outcome' : role.kind,
      );
      loaded.push({ path: file.path, role, ...parsed });
    }
  }
  const functions = { ...rootFunctions, ...jetstreamFunctions };
  return {
    files: loaded,
    functions,
    renderer: createTemplateRenderer(functions),
    ...indexLayers(loaded),
    problems: loaded.flatMap((f) => f.problems),
    warnings: loaded.flatMap((f) => f.warnings),
  };
}

/**
 * Parses one config file (any kind but functions) into a layer.
 * @returns the layer (null when the TOML does not parse), its problems and warnings.
 */
export function loadLayer(
  path: string,
  text: string,
  kind: ParsedLayerKind,
): { layer: ConfigLayer | null; problems: ConfigError[]; warnings: ConfigProblem[] } {
  let parsed: ParsedLayer;
  try {
    parsed = parseConfigLayer(path, parseTomlFile(path, text), kind);
  } catch (thrown) {
    if (thrown instanceof ConfigError) return { layer: null, problems: [thrown], warnings: [] };
    throw thrown;
  }
  return {
    layer: parsed.layer,
    problems: parsed.problems.map(toConfigError),
    warnings: [...parsed.warnings],
  };
}

/** Kinds of config layers (`parseConfigLayer`). */
export type ParsedLayerKind = 'definitions' | 'defaults' | 'outcome' | 'experiment';

function loadFunctions(file: MetricHubFile): {
  functions: Readonly<Record<string, string>>;
  problems: ConfigError[];
} {
  try {
    const result = parseFunctionsFile(file.path, parseTomlFile(file.path, file.text));
    return { functions: result.functions, problems: result.problems.map(toConfigError) };
  } catch (thrown) {
    if (thrown instanceof ConfigError) return { functions: {}, problems: [thrown] };
    throw thrown;
  }
}

function indexLayers(
  loaded: readonly LoadedMetricHubFile[],
): Pick<MetricHub, 'definitions' | 'defaults' | 'outcomes' | 'experiments'> {
  const definitions = new Map<string, ConfigLayer[]>();
  const defaults = new Map<string, ConfigLayer>();
  const outcomes = new Map<string, ConfigLayer>();
  const experiments = new Map<string, ConfigLayer>();
  // Root definitions before jetstream/ ones, whatever the path order.
  const ordered = [...loaded].sort((a, b) => definitionRank(a.role) - definitionRank(b.role));
  for (const { role, layer } of ordered) {
    if (layer === null) continue;
    if (role.kind === 'definitions') {
      definitions.set(role.platform, [...(definitions.get(role.platform) ?? []), layer]);
    } else if (role.kind === 'defaults') defaults.set(role.name, layer);
    else if (role.kind === 'outcome') outcomes.set(`${role.platform}/${role.slug}`, layer);
    else if (role.kind === 'experiment') experiments.set(role.slug, layer);
  }
  return { definitions, defaults, outcomes, experiments };
}

function definitionRank(role: MetricHubFileRole): number {
  return role.kind === 'definitions' && role.jetstream ? 1 : 0;
}
