import { AGGREGATE_REWRITES } from './aggregate-rewrites.js';
import { DATE_REWRITES } from './date-rewrites.js';
import { JSON_REWRITES } from './json-rewrites.js';
import type { FunctionRewrite } from './rewrite-context.js';
import { ROUTINE_NAMES } from './routine-macros.js';
import { SCALAR_REWRITES } from './scalar-rewrites.js';
import { STRING_REWRITES } from './string-rewrites.js';

/** Every BigQuery function with its own rewrite, keyed by upper-case name. */
export const FUNCTION_REWRITES: ReadonlyMap<string, FunctionRewrite> = new Map([
  ...AGGREGATE_REWRITES,
  ...DATE_REWRITES,
  ...JSON_REWRITES,
  ...SCALAR_REWRITES,
  ...STRING_REWRITES,
]);

/**
 * BigQuery functions that DuckDB lacks or has with other results, and why. Calls to them fail
 * with a clear error instead of running with different semantics.
 */
export const UNSUPPORTED_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ['FARM_FINGERPRINT', 'no DuckDB equivalent hash'],
  ['RAND', 'randomness must be a parameter'],
  ['GENERATE_UUID', 'randomness must be a parameter'],
  ['MD5', 'BigQuery returns BYTES, DuckDB hex text'],
  ['SHA1', 'BigQuery returns BYTES, DuckDB hex text'],
  ['SHA256', 'BigQuery returns BYTES, DuckDB hex text'],
  ['SHA512', 'BigQuery returns BYTES, DuckDB hex text'],
  ['JSON_TYPE', 'DuckDB names JSON types differently'],
  ['APPROX_TOP_COUNT', 'no DuckDB equivalent'],
  ['APPROX_TOP_SUM', 'no DuckDB equivalent'],
  ['SESSION_USER', 'no DuckDB equivalent'],
  ['REGEXP_INSTR', 'no DuckDB equivalent'],
]);

/** True for a `mozfun.*` / `udf.*` routine that the prelude defines (upper-case name). */
export function isSupportedRoutine(name: string): boolean {
  return ROUTINE_NAMES.has(name);
}
