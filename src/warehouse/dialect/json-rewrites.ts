import { argument, expectArity, stringLiteral, template } from './call-arguments.js';
import { quoteDuckDbString } from './render-duckdb-sql.js';
import type { CallSite, FunctionRewrite, RewriteContext } from './rewrite-context.js';

/**
 * A JSONPath argument. Literal paths get BigQuery's `['key']` / `["key"]` member syntax
 * rewritten to DuckDB's `."key"`; a missing path means `$`.
 */
export function jsonPathArgument(call: CallSite, ctx: RewriteContext, index: number): string {
  if (call.args[index] === undefined) return "'$'";
  const literal = stringLiteral(call.args[index]);
  if (literal === undefined) return argument(call, ctx, index);
  const path = literal.replace(
    /\[\s*(?:'([^']*)'|"([^"]*)")\s*\]/g,
    (_m, a: string | undefined, b: string | undefined) =>
      `."${(a ?? b ?? '').replaceAll('"', '\\"')}"`,
  );
  return quoteDuckDbString(path);
}

/** `JSON_VALUE(j[, path])` / `JSON_EXTRACT_SCALAR`: the scalar as an unquoted string, NULL for objects and arrays. */
const jsonValue: FunctionRewrite = (call, ctx) => {
  expectArity(call, ctx, 1, 2);
  return `bq_json_value(${argument(call, ctx, 0)}, ${jsonPathArgument(call, ctx, 1)})`;
};

/** `JSON_QUERY(j[, path])` / `JSON_EXTRACT`: the JSON text at the path. */
const jsonQuery: FunctionRewrite = (call, ctx) => {
  expectArity(call, ctx, 1, 2);
  return `json_extract(${argument(call, ctx, 0)}, ${jsonPathArgument(call, ctx, 1)})`;
};

/** `JSON_QUERY_ARRAY` / `JSON_EXTRACT_ARRAY`: a list of JSON values. */
const jsonQueryArray: FunctionRewrite = (call, ctx) => `CAST(${jsonQuery(call, ctx)} AS JSON[])`;

/** `JSON_VALUE_ARRAY` / `JSON_EXTRACT_STRING_ARRAY`: a list of unquoted scalars. */
const jsonValueArray: FunctionRewrite = (call, ctx) =>
  `list_transform(${jsonQueryArray(call, ctx)}, lambda bq_j: bq_json_value(bq_j, '$'))`;

/** JSON rewrites, keyed by upper-case BigQuery name. */
export const JSON_REWRITES: ReadonlyMap<string, FunctionRewrite> = new Map<string, FunctionRewrite>(
  [
    ['JSON_VALUE', jsonValue],
    ['JSON_EXTRACT_SCALAR', jsonValue],
    ['JSON_QUERY', jsonQuery],
    ['JSON_EXTRACT', jsonQuery],
    ['JSON_QUERY_ARRAY', jsonQueryArray],
    ['JSON_EXTRACT_ARRAY', jsonQueryArray],
    ['JSON_VALUE_ARRAY', jsonValueArray],
    ['JSON_EXTRACT_STRING_ARRAY', jsonValueArray],
    ['TO_JSON_STRING', template(1, ([x]) => `CAST(to_json(${x}) AS VARCHAR)`)],
    ['TO_JSON', template(1, ([x]) => `to_json(${x})`)],
    ['PARSE_JSON', template(1, ([x]) => `json(${x})`)],
  ],
);
