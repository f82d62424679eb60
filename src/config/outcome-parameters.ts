import { joinKeyPath, type ConfigProblem } from './config-error.js';
import type { ConfigEntry } from './config-layer.js';
import type { ParameterEntryFields, ParameterValue } from './entry-schemas.js';
import { isNonEmpty } from './merge-entries.js';

/** A parameter after merging an experiment's values over an outcome's definition. */
export interface ResolvedParameter {
  readonly name: string;
  readonly value: ParameterValue | undefined;
  readonly distinctByBranch: boolean;
}

/**
 * Merges an experiment config's `[parameters.<name>]` (`external`) over an outcome's definition,
 * as metric-config-parser does: the value is the experiment's value, else the outcome's value,
 * else the default; branch tables are laid over the default table.
 * @returns the parameter, or a problem when its shape does not fit `distinct_by_branch`.
 */
export function mergeParameter(
  name: string,
  external: ConfigEntry<ParameterEntryFields> | undefined,
  outcome: ConfigEntry<ParameterEntryFields> | undefined,
): ResolvedParameter | ConfigProblem {
  const first = external?.fields;
  const second = outcome?.fields;
  const defaultValue = pick(first?.default, second?.default);
  const value = pick(first?.value, second?.value, defaultValue);
  const merged = isTable(value) && isTable(defaultValue) ? { ...defaultValue, ...value } : value;
  const distinctByBranch = first?.distinctByBranch === true || second?.distinctByBranch === true;
  const origin = external?.origin ?? outcome?.origin;
  const keyPath = joinKeyPath(origin?.keyPath ?? joinKeyPath('parameters', name));
  if (distinctByBranch && !isTable(merged)) {
    return {
      file: origin?.file ?? '',
      keyPath,
      reason: `parameter '${name}' is distinct_by_branch: give a table of values per branch (value.<branch> = "...")`,
    };
  }
  if (!distinctByBranch && (merged === undefined || isTable(merged))) {
    return {
      file: origin?.file ?? '',
      keyPath,
      reason: `parameter '${name}' needs one value for all branches (value = "...")`,
    };
  }
  return { name, value: merged, distinctByBranch };
}

/**
 * The text `{{parameters.<name>}}` renders to: the value, or for a per-branch parameter
 * `CASE e.branch WHEN "<branch>" THEN "<value>" ... END` (metric-config-parser's format).
 */
export function formatParameter(parameter: ResolvedParameter): string {
  const value = parameter.value;
  if (parameter.distinctByBranch && isTable(value)) {
    const arms = Object.entries(value).map(([branch, v]) => `WHEN "${branch}" THEN "${String(v)}"`);
    return `CASE e.branch ${arms.join(' ')} END`;
  }
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

function pick(...values: (ParameterValue | undefined)[]): ParameterValue | undefined {
  return values.find((v) => isNonEmpty(v) && !(isTable(v) && Object.keys(v).length === 0));
}

function isTable(
  value: ParameterValue | undefined,
): value is Readonly<Record<string, string | number>> {
  return typeof value === 'object';
}
