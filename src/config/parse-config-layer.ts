import type { z } from 'zod';

import { PERIOD_CONFIG_KEYS } from '../analysis/analysis-period.js';
import { didYouMean } from './closest-name.js';
import { joinKeyPath, type ConfigProblem } from './config-error.js';
import {
  brokenKey,
  type ConfigEntry,
  type ConfigLayer,
  type MetricFields,
  type PeriodList,
} from './config-layer.js';
import {
  EXPERIMENT_KEYS,
  dataSourceEntrySchema,
  experimentEntrySchema,
  metricEntrySchema,
  parameterEntrySchema,
  segmentDataSourceEntrySchema,
  segmentEntrySchema,
  type ExperimentEntryFields,
} from './entry-schemas.js';
import { parseStatistics } from './parse-statistics.js';
import {
  describeTomlType,
  isTomlTable,
  type TomlTable,
  type TomlValue,
} from './parse-toml-file.js';
import { zodProblems } from './zod-problems.js';

/** Which kind of file a layer comes from; outcomes have extra rules. */
export type ConfigLayerKind = 'definitions' | 'defaults' | 'outcome' | 'experiment';

/** A parsed layer with what was wrong (errors) or suspicious (warnings) in its file. */
export interface ParsedLayer {
  readonly layer: ConfigLayer;
  readonly problems: readonly ConfigProblem[];
  readonly warnings: readonly ConfigProblem[];
}

/** Top-level keys metric-hub allows in a config file (metric-config-parser's list). */
const TOP_LEVEL_KEYS = [
  'project',
  'population',
  'metrics',
  'experiment',
  'segments',
  'data_sources',
  'friendly_name',
  'description',
  'parameters',
  'alerts',
  'dimensions',
  'functions',
  'default_metrics',
];

interface Collector {
  readonly file: string;
  readonly problems: ConfigProblem[];
  readonly warnings: ConfigProblem[];
  readonly broken: Map<string, readonly ConfigProblem[]>;
}

/**
 * Validates one parsed metric-hub file (definitions, defaults, outcome or experiment override)
 * into a {@link ConfigLayer}, collecting every problem instead of stopping at the first.
 */
export function parseConfigLayer(
  file: string,
  table: TomlTable,
  kind: ConfigLayerKind,
): ParsedLayer {
  const c: Collector = { file, problems: [], warnings: [], broken: new Map() };
  for (const key of Object.keys(table)) {
    if (!TOP_LEVEL_KEYS.includes(key)) {
      c.problems.push({
        file,
        keyPath: key,
        reason: `unknown top-level key${didYouMean(key, TOP_LEVEL_KEYS)}`,
      });
    }
  }
  const { metrics, periodLists } = parseMetricsSection(c, table.metrics, kind);
  const segments = isTomlTable(table.segments) ? table.segments : {};
  const { data_sources: segmentSources, ...segmentEntries } = segments;
  checkIsTable(c, 'segments', table.segments);
  warnIgnoredSegmentWindows(c, segmentEntries);
  const layer: ConfigLayer = {
    file,
    metrics,
    periodLists,
    dataSources: parseEntries(c, 'data_sources', table.data_sources, dataSourceEntrySchema),
    segments: parseEntries(c, 'segments', segmentEntries, segmentEntrySchema),
    segmentDataSources: parseEntries(
      c,
      'segments.data_sources',
      segmentSources,
      segmentDataSourceEntrySchema,
    ),
    experiment: parseExperimentSection(c, table.experiment),
    parameters: parseEntries(c, 'parameters', table.parameters, parameterEntrySchema),
    broken: c.broken,
    ...parseOutcomeHeader(c, table, kind, metrics),
  };
  return { layer, problems: c.problems, warnings: c.warnings };
}

function checkIsTable(c: Collector, keyPath: string, value: TomlValue | undefined): boolean {
  if (value === undefined || isTomlTable(value)) return true;
  c.problems.push({
    file: c.file,
    keyPath,
    reason: `expected a table, got ${describeTomlType(value)}`,
  });
  return false;
}

function parseEntries<S extends z.ZodType>(
  c: Collector,
  section: string,
  value: TomlValue | undefined,
  schema: S,
): Map<string, ConfigEntry<z.output<S>>> {
  const entries = new Map<string, ConfigEntry<z.output<S>>>();
  if (value === undefined || !checkIsTable(c, section, value) || !isTomlTable(value)) {
    return entries;
  }
  for (const [name, entry] of Object.entries(value)) {
    const keyPath = joinKeyPath(section, name);
    const problems = validateEntry(c.file, keyPath, entry, schema);
    if (problems.ok) {
      entries.set(name, { fields: problems.data, origin: { file: c.file, keyPath } });
    } else recordBroken(c, section, name, problems.problems);
  }
  return entries;
}

function validateEntry<S extends z.ZodType>(
  file: string,
  keyPath: string,
  entry: TomlValue,
  schema: S,
): { ok: true; data: z.output<S> } | { ok: false; problems: ConfigProblem[] } {
  if (!isTomlTable(entry)) {
    return {
      ok: false,
      problems: [{ file, keyPath, reason: `expected a table, got ${describeTomlType(entry)}` }],
    };
  }
  const result = schema.safeParse(entry);
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, problems: zodProblems(file, keyPath, result.error, entry) };
}

function recordBroken(
  c: Collector,
  section: string,
  name: string,
  problems: readonly ConfigProblem[],
): void {
  c.problems.push(...problems);
  c.broken.set(brokenKey(section, name), problems);
}

function parseMetricsSection(
  c: Collector,
  value: TomlValue | undefined,
  kind: ConfigLayerKind,
): { metrics: Map<string, ConfigEntry<MetricFields>>; periodLists: PeriodList[] } {
  const metrics = new Map<string, ConfigEntry<MetricFields>>();
  const periodLists: PeriodList[] = [];
  if (value === undefined || !checkIsTable(c, 'metrics', value) || !isTomlTable(value)) {
    return { metrics, periodLists };
  }
  for (const [key, entry] of Object.entries(value)) {
    const keyPath = joinKeyPath('metrics', key);
    if (Array.isArray(entry)) {
      const list = parsePeriodList(c, key, entry as readonly TomlValue[], kind);
      if (list) periodLists.push(list);
    } else if (isTomlTable(entry)) {
      const parsed = parseMetricEntry(c.file, keyPath, entry);
      if (parsed.ok) metrics.set(key, { fields: parsed.data, origin: { file: c.file, keyPath } });
      else recordBroken(c, 'metrics', key, parsed.problems);
    } else {
      c.problems.push({
        file: c.file,
        keyPath,
        reason: `expected a metric table or a period list, got ${describeTomlType(entry)}`,
      });
    }
  }
  return { metrics, periodLists };
}

function parsePeriodList(
  c: Collector,
  key: string,
  entry: readonly TomlValue[],
  kind: ConfigLayerKind,
): PeriodList | null {
  const keyPath = joinKeyPath('metrics', key);
  const period = PERIOD_CONFIG_KEYS[key];
  const known = Object.keys(PERIOD_CONFIG_KEYS);
  if (period === undefined) {
    c.problems.push({
      file: c.file,
      keyPath,
      reason: `unknown analysis period${didYouMean(key, known)} (known: ${known.join(', ')})`,
    });
    return null;
  }
  if (kind === 'outcome') {
    c.problems.push({
      file: c.file,
      keyPath,
      reason: 'an outcome cannot choose periods: its metrics are analysed weekly and overall',
    });
    return null;
  }
  const names = entry.filter((m): m is string => typeof m === 'string' && m !== '');
  if (names.length !== entry.length) {
    c.problems.push({ file: c.file, keyPath, reason: 'expected an array of metric names' });
    return null;
  }
  return { period, metrics: names, origin: { file: c.file, keyPath } };
}

function parseMetricEntry(
  file: string,
  keyPath: string,
  entry: TomlTable,
): { ok: true; data: MetricFields } | { ok: false; problems: ConfigProblem[] } {
  const base = validateEntry(file, keyPath, entry, metricEntrySchema);
  const statistics =
    entry.statistics === undefined
      ? undefined
      : parseStatistics(file, joinKeyPath(keyPath, 'statistics'), entry.statistics);
  const problems = [...(base.ok ? [] : base.problems), ...(statistics?.problems ?? [])];
  if (!base.ok || problems.length > 0) return { ok: false, problems };
  return { ok: true, data: { ...base.data, statistics: statistics?.statistics } };
}

function parseExperimentSection(
  c: Collector,
  value: TomlValue | undefined,
): ConfigEntry<ExperimentEntryFields> | null {
  if (value === undefined || !checkIsTable(c, 'experiment', value) || !isTomlTable(value)) {
    return null;
  }
  for (const key of Object.keys(value)) {
    if (!(EXPERIMENT_KEYS as readonly string[]).includes(key)) {
      c.warnings.push({
        file: c.file,
        keyPath: joinKeyPath('experiment', key),
        reason: `warning: unknown key, ignored${didYouMean(key, EXPERIMENT_KEYS)}`,
      });
    }
  }
  const parsed = validateEntry(c.file, 'experiment', value, experimentEntrySchema);
  if (!parsed.ok) {
    recordBroken(c, 'experiment', '', parsed.problems);
    return null;
  }
  if (parsed.data.isPrivate === true && parsed.data.datasetId === undefined) {
    const problem = {
      file: c.file,
      keyPath: 'experiment.dataset_id',
      reason: 'a private experiment (is_private = true) needs a dataset_id',
    };
    recordBroken(c, 'experiment', '', [problem]);
    return null;
  }
  return { fields: parsed.data, origin: { file: c.file, keyPath: 'experiment' } };
}

function warnIgnoredSegmentWindows(c: Collector, segments: TomlTable): void {
  for (const [name, entry] of Object.entries(segments)) {
    if (!isTomlTable(entry)) continue;
    const keys = ['window_start', 'window_end'].filter((key) => entry[key] !== undefined);
    if (keys.length === 0) continue;
    c.warnings.push({
      file: c.file,
      keyPath: joinKeyPath('segments', name),
      reason: `warning: ${keys.join(' and ')} ignored; segment windows are set on the segment data source ([segments.data_sources.<name>])`,
    });
  }
}

function parseOutcomeHeader(
  c: Collector,
  table: TomlTable,
  kind: ConfigLayerKind,
  metrics: ReadonlyMap<string, ConfigEntry<MetricFields>>,
): Pick<ConfigLayer, 'friendlyName' | 'description' | 'defaultMetrics'> {
  const friendlyName = typeof table.friendly_name === 'string' ? table.friendly_name : null;
  const description = typeof table.description === 'string' ? table.description : null;
  if (kind !== 'outcome') return { friendlyName, description, defaultMetrics: [] };
  if (friendlyName === null) {
    c.problems.push({
      file: c.file,
      keyPath: 'friendly_name',
      reason: 'an outcome needs a friendly_name string',
    });
  }
  if (description === null) {
    c.problems.push({
      file: c.file,
      keyPath: 'description',
      reason: 'an outcome needs a description string',
    });
  }
  const raw = table.default_metrics ?? [];
  const defaultMetrics = Array.isArray(raw)
    ? raw.filter((m): m is string => typeof m === 'string')
    : [];
  for (const name of defaultMetrics) {
    if (!metrics.has(name) && !c.broken.has(brokenKey('metrics', name))) {
      c.problems.push({
        file: c.file,
        keyPath: 'default_metrics',
        reason: `default metric '${name}' is not defined in this outcome`,
      });
    }
  }
  return { friendlyName, description, defaultMetrics };
}
