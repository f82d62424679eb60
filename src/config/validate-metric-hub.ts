import { ConfigError, type ConfigProblem, toConfigError } from './config-error.js';
import type { ConfigLayer } from './config-layer.js';
import { isGlobPattern } from './glob-pattern.js';
import {
  loadLayer,
  type LoadedMetricHubFile,
  type MetricHub,
  type MetricHubFile,
} from './metric-hub.js';
import { slugOfOverridePath } from './metric-hub-layout.js';
import { platformHintForSlug } from './platforms.js';
import { ProblemSink } from './problem-sink.js';
import { tryResolveAnalysisConfig } from './resolve-analysis-config.js';
import { resolveDataSource, resolveSegmentDataSource } from './resolve-data-source.js';
import { resolveMetricDefinition } from './resolve-metric.js';
import { resolveSegment } from './resolve-segment.js';
import { createResolutionScope } from './resolution-scope.js';
import { stubExperiment } from './stub-experiment.js';

/** The verdict on one file. */
export interface FileValidation {
  readonly file: string;
  /** Every problem found while checking this file (they may name other files it relies on). */
  readonly problems: readonly ConfigError[];
  readonly warnings: readonly ConfigProblem[];
  /** Platform the file was checked against (inferred for overrides); null for functions files. */
  readonly platform: string | null;
}

/** What to validate. */
export interface ValidationOptions {
  /** Paths (relative to the hub) of the files to check; default every config file of the hub. */
  readonly files?: readonly string[];
  /** Experiment override files that are not part of the hub folder. */
  readonly standalone?: readonly MetricHubFile[];
  /** Platform to check overrides against; default: inferred (see {@link validateOverride}). */
  readonly app?: string;
}

/**
 * Validates metric-hub files the way jetstream's CI does, without Experimenter or SQL
 * dry-runs: definitions resolve (references, templates), defaults and outcomes resolve for a
 * stub experiment of their platform, and each `jetstream/<slug>.toml` resolves against its
 * platform's defaults and definitions with a stub experiment built from its own `[experiment]`.
 */
export function validateMetricHub(
  hub: MetricHub,
  options: ValidationOptions = {},
): FileValidation[] {
  const wanted =
    options.files ?? hub.files.filter((f) => f.role.kind !== 'ignored').map((f) => f.path);
  const byPath = new Map(hub.files.map((f) => [f.path, f]));
  const checked = wanted.map((path): FileValidation => {
    const file = byPath.get(path);
    if (file === undefined) return failed(path, 'not a file of the metric-hub folder');
    return validateHubFile(hub, file, options.app);
  });
  const reports = withLibraryErrors(hub, checked, options.app);
  for (const file of options.standalone ?? []) {
    const loaded = loadLayer(file.path, file.text, 'experiment');
    const report =
      loaded.layer === null
        ? null
        : validateOverride(hub, slugOfOverridePath(file.path), loaded.layer, options.app);
    reports.push({
      file: file.path,
      problems: unique([...loaded.problems, ...(report?.problems ?? [])]),
      warnings: loaded.warnings,
      platform: report?.platform ?? null,
    });
  }
  return reports;
}

/** Definitions and functions files: what other files resolve against. */
function isLibrary(file: LoadedMetricHubFile | undefined): boolean {
  return file?.role.kind === 'definitions' || file?.role.kind === 'functions';
}

/**
 * A definitions or functions file fails when a file that uses it fails because of it: the errors
 * other files of the hub raise that name this file (an entry they use does not resolve) become
 * its own, replacing the warning it had for the same key. So a definitions file checked alone
 * fails exactly as it does when the whole folder is checked. Checks the hub's other files when
 * a library file is among `reports`.
 */
function withLibraryErrors(
  hub: MetricHub,
  reports: readonly FileValidation[],
  app: string | undefined,
): FileValidation[] {
  const byPath = new Map(hub.files.map((f) => [f.path, f]));
  if (!reports.some((r) => isLibrary(byPath.get(r.file)))) return [...reports];
  const checked = new Set(reports.map((r) => r.file));
  const users = hub.files
    .filter((f) => f.role.kind !== 'ignored' && !isLibrary(f) && !checked.has(f.path))
    .map((f) => validateHubFile(hub, f, app));
  const all = [...reports, ...users];
  return reports.map((report) => {
    if (!isLibrary(byPath.get(report.file))) return report;
    const borrowed = all.flatMap((other) =>
      other === report ? [] : other.problems.filter((p) => p.file === report.file),
    );
    if (borrowed.length === 0) return report;
    const keys = new Set(borrowed.map((p) => p.keyPath));
    return {
      ...report,
      problems: unique([...report.problems, ...borrowed]),
      warnings: report.warnings.filter((w) => !(w.file === report.file && keys.has(w.keyPath))),
    };
  });
}

function validateHubFile(
  hub: MetricHub,
  file: LoadedMetricHubFile,
  app: string | undefined,
): FileValidation {
  const own = { file: file.path, warnings: file.warnings };
  const role = file.role;
  if (role.kind === 'ignored') {
    return failed(
      file.path,
      'not a metric-hub config file (expected a .toml under definitions/ or jetstream/)',
    );
  }
  if (role.kind === 'functions' || file.layer === null) {
    return {
      ...own,
      problems: file.problems,
      platform: role.kind === 'definitions' ? role.platform : null,
    };
  }
  if (role.kind === 'definitions') {
    const warnings = [...file.warnings, ...validateDefinitions(hub, file.layer, role.platform)];
    return { ...own, warnings, problems: file.problems, platform: role.platform };
  }
  const checked =
    role.kind === 'defaults'
      ? { platform: role.name, problems: resolveStub(hub, role.name, 'defaults', []) }
      : role.kind === 'outcome'
        ? {
            platform: role.platform,
            problems: resolveStub(hub, role.platform, `outcome-${role.slug}`, [role.slug]),
          }
        : validateOverride(hub, role.slug, file.layer, app);
  return {
    ...own,
    problems: unique([...file.problems, ...checked.problems]),
    platform: checked.platform,
  };
}

/**
 * Resolves every metric, data source and segment a definitions file defines. Definitions are a
 * library: jetstream only resolves the entries an experiment uses, so what fails here is
 * reported as a warning (an error only for the experiments that use the entry). Entries that
 * only add statistics to a metric defined elsewhere are not resolved on their own.
 */
function validateDefinitions(
  hub: MetricHub,
  layer: ConfigLayer,
  platform: string,
): ConfigProblem[] {
  const scope = createResolutionScope(hub, stubExperiment('definitions-check', platform), null);
  for (const [name, entry] of layer.metrics) {
    const f = entry.fields;
    const defines =
      f.selectExpression !== undefined || f.dataSource !== undefined || f.dependsOn !== undefined;
    if (defines && !isGlobPattern(name)) resolveMetricDefinition(scope, name, entry.origin);
  }
  for (const [name, entry] of layer.dataSources) resolveDataSource(scope, name, entry.origin);
  for (const [name, entry] of layer.segmentDataSources) {
    resolveSegmentDataSource(scope, name, entry.origin);
  }
  for (const [name, entry] of layer.segments) resolveSegment(scope, name, entry.origin);
  return scope.problems.list().map((p) => ({
    ...p,
    reason: `warning: ${p.reason} (an error only for experiments that use it)`,
  }));
}

function resolveStub(
  hub: MetricHub,
  platform: string,
  slug: string,
  outcomes: readonly string[],
): readonly ConfigError[] {
  return tryResolveAnalysisConfig(hub, stubExperiment(slug, platform, {}, outcomes), {
    layer: null,
  }).problems;
}

/**
 * Resolves an experiment override against a stub experiment. Override files do not name their
 * platform, so unless `app` is given each platform the hub has definitions for is tried (the
 * one the slug suggests first, then firefox_desktop, then the rest); the first that resolves
 * cleanly wins, else the one with the fewest problems. Metrics the override lists but only an
 * outcome defines are taken as coming from outcomes chosen in Experimenter.
 */
export function validateOverride(
  hub: MetricHub,
  slug: string,
  layer: ConfigLayer,
  app: string | undefined,
): { platform: string; problems: readonly ConfigError[] } {
  const candidates = app !== undefined ? [app] : candidatePlatforms(hub, platformHintForSlug(slug));
  let best: { platform: string; problems: readonly ConfigError[] } | null = null;
  for (const platform of candidates) {
    const outcomes = outcomesDefining(hub, platform, layer);
    const experiment = stubExperiment(slug, platform, layer.experiment?.fields ?? {}, outcomes);
    const { problems } = tryResolveAnalysisConfig(hub, experiment, { layer });
    if (problems.length === 0) return { platform, problems };
    if (best === null || problems.length < best.problems.length) best = { platform, problems };
  }
  return best ?? { platform: 'firefox_desktop', problems: [] };
}

/**
 * Outcomes Experimenter presumably chose for the experiment: those of the platform that define
 * a metric the override lists in a period but that nothing else of the platform defines.
 */
function outcomesDefining(hub: MetricHub, platform: string, layer: ConfigLayer): string[] {
  const others = [...(hub.definitions.get(platform) ?? []), hub.defaults.get(platform), layer];
  const defined = (name: string): boolean => others.some((l) => l?.metrics.has(name) === true);
  const missing = new Set(
    layer.periodLists.flatMap((list) => list.metrics).filter((name) => !defined(name)),
  );
  const outcomes: string[] = [];
  for (const [key, outcome] of hub.outcomes) {
    const [outcomePlatform, outcomeSlug] = key.split('/');
    if (outcomePlatform !== platform || outcomeSlug === undefined) continue;
    if ([...missing].some((name) => outcome.metrics.has(name))) outcomes.push(outcomeSlug);
  }
  return outcomes;
}

function candidatePlatforms(hub: MetricHub, hint: string | null): string[] {
  const known = [...hub.definitions.keys()].filter((p) => p !== 'firefox_desktop').sort();
  const first = hint !== null && hub.definitions.has(hint) ? [hint] : [];
  return [...first, ...['firefox_desktop', ...known].filter((p) => !first.includes(p))];
}

function failed(file: string, reason: string): FileValidation {
  return { file, problems: [new ConfigError(file, '', reason)], warnings: [], platform: null };
}

function unique(problems: readonly ConfigError[]): ConfigError[] {
  const sink = new ProblemSink();
  sink.addAll(problems);
  return sink.list().map(toConfigError);
}
