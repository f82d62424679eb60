import {
  isPreTreatmentName,
  isStatisticName,
  STATISTIC_PARAM_SCHEMAS,
  STATISTIC_NAMES,
  PRE_TREATMENT_NAMES,
  type PreTreatmentSpec,
  type StatisticName,
} from '../../stats/statistic-spec.js';
import { CommandFailure, UsageError } from '../exit-codes.js';

/** A `--param`/pre-treatment value as typed on the command line: number, boolean, null or text. */
export function parseParamValue(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  return text;
}

/**
 * Builds a params object from `key=value` pairs; dotted keys nest
 * (`covariate_adjustment.period=preenrollment_week`).
 * @throws UsageError for a pair without `=` or an empty key.
 */
export function parseParamPairs(pairs: readonly string[], flag: string): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`${flag} expects key=value, got '${pair}'`);
    const path = pair.slice(0, eq).split('.');
    if (path.some((part) => part === '')) throw new UsageError(`${flag}: bad key in '${pair}'`);
    let target = params;
    for (const part of path.slice(0, -1)) {
      const existing = target[part];
      const nested: Record<string, unknown> =
        typeof existing === 'object' && existing !== null
          ? (existing as Record<string, unknown>)
          : {};
      target[part] = nested;
      target = nested;
    }
    target[path[path.length - 1]!] = parseParamValue(pair.slice(eq + 1));
  }
  return params;
}

/**
 * The statistic name of `--statistic`.
 * @throws CommandFailure for an unknown name (listing the known ones).
 */
export function parseStatisticName(name: string): StatisticName {
  if (!isStatisticName(name)) {
    throw new CommandFailure(`unknown statistic '${name}' (known: ${STATISTIC_NAMES.join(', ')})`);
  }
  return name;
}

/**
 * A `--pre-treatment NAME[:key=value,...]` flag.
 * @throws CommandFailure for an unknown pre-treatment; UsageError for a malformed pair.
 */
export function parsePreTreatmentFlag(text: string): PreTreatmentSpec {
  const colon = text.indexOf(':');
  const name = colon < 0 ? text : text.slice(0, colon);
  if (!isPreTreatmentName(name)) {
    throw new CommandFailure(
      `unknown pre-treatment '${name}' (known: ${PRE_TREATMENT_NAMES.join(', ')})`,
    );
  }
  const pairs =
    colon < 0
      ? []
      : text
          .slice(colon + 1)
          .split(',')
          .filter((p) => p !== '');
  return { name, params: parseParamPairs(pairs, '--pre-treatment') };
}

/** True when the statistic has a `confidence_interval` parameter. */
export function hasConfidenceInterval(name: StatisticName): boolean {
  return 'confidence_interval' in STATISTIC_PARAM_SCHEMAS[name].shape;
}

/**
 * A numeric flag: an integer in [min, max] or a number in (0, 1).
 * @throws UsageError naming the flag.
 */
export function parseIntegerFlag(text: string, flag: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} must be an integer in [${min}, ${max}], got '${text}'`);
  }
  return value;
}

/** `--confidence-interval`: a number strictly between 0 and 1. @throws UsageError */
export function parseConfidenceInterval(text: string): number {
  const value = Number(text);
  if (!(value > 0 && value < 1)) {
    throw new UsageError(`--confidence-interval must be between 0 and 1, got '${text}'`);
  }
  return value;
}
