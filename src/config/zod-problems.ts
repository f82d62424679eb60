import type { z } from 'zod';

import { joinKeyPath, type ConfigProblem } from './config-error.js';
import { describeTomlType, isTomlTable } from './parse-toml-file.js';

/** Options for {@link zodProblems}. */
export interface ZodProblemOptions {
  /** Reason given for an unknown key; default `unknown key`. */
  readonly unknownKey?: (key: string) => string;
  /** The schema that failed, to say "integer" rather than "number" where it wants one. */
  readonly schema?: z.ZodType;
}

/**
 * Turns a zod validation error into one problem per issue, each naming the file and the full
 * key path (`metrics.x.statistics.bootstrap_mean.num_samples: expected number, got string`).
 */
export function zodProblems(
  file: string,
  basePath: string,
  error: z.ZodError,
  input: unknown,
  options: ZodProblemOptions = {},
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push({
          file,
          keyPath: joinKeyPath(basePath, ...path, key),
          reason: options.unknownKey?.(key) ?? 'unknown key',
        });
      }
      continue;
    }
    const wantsInteger =
      options.schema !== undefined && isIntegerSchema(schemaAt(options.schema, path));
    problems.push({
      file,
      keyPath: joinKeyPath(basePath, ...path),
      reason: reasonFor(issue, valueAt(input, path), wantsInteger),
    });
  }
  return problems;
}

function reasonFor(issue: z.core.$ZodIssue, value: unknown, wantsInteger: boolean): string {
  if (issue.code === 'invalid_type') {
    const expected =
      issue.expected === 'int' || (issue.expected === 'number' && wantsInteger)
        ? 'integer'
        : issue.expected;
    if (value === undefined) return `required ${expected} is missing`;
    return `expected ${expected}, got ${describeTomlType(value)}`;
  }
  return issue.message.replace(/^Invalid (input|option): /, '');
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (isTomlTable(current) && typeof segment === 'string') current = current[segment];
    else return undefined;
  }
  return current;
}

/** The sub-schema at `path` of an object schema, through defaults, optionals and nullables. */
function schemaAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = unwrap(schema);
  for (const segment of path) {
    const shape =
      current !== undefined && 'shape' in current
        ? (current.shape as Record<PropertyKey, z.ZodType>)
        : undefined;
    current = shape === undefined ? undefined : unwrap(shape[segment]);
  }
  return current;
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  for (let depth = 0; current !== undefined && depth < 8; depth++) {
    const def = current.def as { type: string; innerType?: z.ZodType };
    if (!['default', 'optional', 'nullable', 'prefault'].includes(def.type)) return current;
    current = def.innerType;
  }
  return current;
}

function isIntegerSchema(schema: z.ZodType | undefined): boolean {
  return schema !== undefined && 'isInt' in schema && schema.isInt === true;
}
