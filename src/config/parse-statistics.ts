import {
  PRE_TREATMENT_NAMES,
  PRE_TREATMENT_PARAM_SCHEMAS,
  STATISTIC_NAMES,
  STATISTIC_PARAM_SCHEMAS,
  isPreTreatmentName,
  isStatisticName,
  type PreTreatmentSpec,
  type StatisticSpec,
} from '../stats/statistic-spec.js';
import { didYouMean } from './closest-name.js';
import { joinKeyPath, type ConfigProblem } from './config-error.js';
import {
  describeTomlType,
  isTomlTable,
  type TomlTable,
  type TomlValue,
} from './parse-toml-file.js';
import { zodProblems } from './zod-problems.js';

/** Statistics of one metric as configured in one file, with the problems found. */
export interface ParsedStatistics {
  readonly statistics: readonly StatisticSpec[];
  readonly problems: readonly ConfigProblem[];
}

/**
 * Validates a metric's `statistics` table strictly: statistic names, their parameters
 * (`STATISTIC_PARAM_SCHEMAS`, defaults applied) and `pre_treatments` (names as strings or
 * `{ name = ..., <params> }` tables, checked against `PRE_TREATMENT_PARAM_SCHEMAS`).
 */
export function parseStatistics(file: string, keyPath: string, value: TomlValue): ParsedStatistics {
  if (!isTomlTable(value)) {
    return {
      statistics: [],
      problems: [
        { file, keyPath, reason: `expected a table of statistics, got ${describeTomlType(value)}` },
      ],
    };
  }
  const statistics: StatisticSpec[] = [];
  const problems: ConfigProblem[] = [];
  for (const [name, params] of Object.entries(value)) {
    const at = joinKeyPath(keyPath, name);
    if (!isStatisticName(name)) {
      problems.push({
        file,
        keyPath: at,
        reason: `unknown statistic '${name}'${suggest(name, STATISTIC_NAMES)}`,
      });
      continue;
    }
    if (!isTomlTable(params)) {
      problems.push({
        file,
        keyPath: at,
        reason: `expected a table of parameters, got ${describeTomlType(params)}`,
      });
      continue;
    }
    const parsed = parseStatistic(file, at, name, params);
    problems.push(...parsed.problems);
    if (parsed.statistic) statistics.push(parsed.statistic);
  }
  return { statistics, problems };
}

function parseStatistic(
  file: string,
  keyPath: string,
  name: keyof typeof STATISTIC_PARAM_SCHEMAS,
  table: TomlTable,
): { statistic: StatisticSpec | null; problems: ConfigProblem[] } {
  const { pre_treatments: preTreatmentsValue, ...rest } = table;
  const problems: ConfigProblem[] = [];
  const preTreatments =
    preTreatmentsValue === undefined
      ? []
      : parsePreTreatments(
          file,
          joinKeyPath(keyPath, 'pre_treatments'),
          preTreatmentsValue,
          problems,
        );
  const schema = STATISTIC_PARAM_SCHEMAS[name];
  const result = schema.safeParse(rest);
  if (!result.success) {
    const known = Object.keys(schema.shape);
    problems.push(
      ...zodProblems(file, keyPath, result.error, rest, {
        schema,
        unknownKey: () =>
          `unknown parameter of ${name} (known: ${[...known, 'pre_treatments'].join(', ')})`,
      }),
    );
  }
  if (problems.length > 0 || !result.success) return { statistic: null, problems };
  return { statistic: { name, params: result.data, preTreatments }, problems };
}

function parsePreTreatments(
  file: string,
  keyPath: string,
  value: TomlValue,
  problems: ConfigProblem[],
): PreTreatmentSpec[] {
  if (!Array.isArray(value)) {
    problems.push({
      file,
      keyPath,
      reason: `expected an array of pre-treatments, got ${describeTomlType(value)}`,
    });
    return [];
  }
  const specs: PreTreatmentSpec[] = [];
  (value as readonly TomlValue[]).forEach((entry, index) => {
    const spec = parsePreTreatment(file, joinKeyPath(keyPath, index), entry, problems);
    if (spec) specs.push(spec);
  });
  return specs;
}

function parsePreTreatment(
  file: string,
  keyPath: string,
  entry: TomlValue,
  problems: ConfigProblem[],
): PreTreatmentSpec | null {
  const table: TomlTable | null =
    typeof entry === 'string' ? { name: entry } : isTomlTable(entry) ? entry : null;
  if (table === null || typeof table.name !== 'string') {
    problems.push({
      file,
      keyPath,
      reason: 'expected a pre-treatment name or a table with a `name` key',
    });
    return null;
  }
  const { name, ...params } = table;
  if (typeof name !== 'string' || !isPreTreatmentName(name)) {
    problems.push({
      file,
      keyPath,
      reason: `unknown pre-treatment '${String(name)}'${suggest(String(name), PRE_TREATMENT_NAMES)}`,
    });
    return null;
  }
  const schema = PRE_TREATMENT_PARAM_SCHEMAS[name];
  const result = schema.safeParse(params);
  if (!result.success) {
    problems.push(
      ...zodProblems(file, keyPath, result.error, params, {
        schema,
        unknownKey: () =>
          `unknown parameter of pre-treatment ${name} (known: ${Object.keys(schema.shape).join(', ') || 'none'})`,
      }),
    );
    return null;
  }
  return { name, params: result.data };
}

/** ` (did you mean 'x'?)` for a likely typo, else the list of known names. */
function suggest(name: string, known: readonly string[]): string {
  const hint = didYouMean(name, known);
  return hint !== '' ? hint : ` (known: ${known.join(', ')})`;
}
