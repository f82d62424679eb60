import { parse, TomlDate, TomlError } from 'smol-toml';

import { coerceError } from '../analysis/coerce-error.js';
import { ConfigError } from './config-error.js';

/** A TOML table after parsing: dates become `YYYY-MM-DD` (or ISO) strings, everything else as is. */
export type TomlTable = { readonly [key: string]: TomlValue };

/** A TOML value after parsing. */
export type TomlValue = string | number | boolean | readonly TomlValue[] | TomlTable;

/**
 * Parses one TOML file into plain values.
 * @throws ConfigError naming the file, the line and the column of a syntax error.
 */
export function parseTomlFile(file: string, text: string): TomlTable {
  try {
    return toPlainTable(parse(text));
  } catch (thrown) {
    const error = coerceError(thrown);
    if (error instanceof TomlError) {
      const firstLine = (error.message.split('\n')[0] ?? '').replace(
        /^Invalid TOML document: /,
        '',
      );
      throw new ConfigError(
        file,
        `line ${error.line}, column ${error.column}`,
        `TOML syntax error: ${firstLine}`,
      );
    }
    throw new ConfigError(file, '', `cannot parse TOML: ${error.message}`);
  }
}

function toPlainTable(table: Readonly<Record<string, unknown>>): TomlTable {
  const result: Record<string, TomlValue> = {};
  for (const [key, value] of Object.entries(table)) result[key] = toPlainValue(value);
  return result;
}

function toPlainValue(value: unknown): TomlValue {
  if (value instanceof TomlDate) return value.toISOString();
  if (Array.isArray(value)) return value.map(toPlainValue);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'object' && value !== null) {
    return toPlainTable(value as Record<string, unknown>);
  }
  return String(value);
}

/** True for a TOML table (not an array, not a scalar). */
export function isTomlTable(value: unknown): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Describes a TOML value's type for error messages: `string`, `integer`, `float`, `table`, ... */
export function describeTomlType(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'float';
  if (isTomlTable(value)) return 'table';
  return typeof value;
}
