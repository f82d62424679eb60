import {
  allArguments,
  argument,
  expectArity,
  renamed,
  stringLiteral,
  template,
} from './call-arguments.js';
import type { CallSite, FunctionRewrite, RewriteContext } from './rewrite-context.js';

/** Number of capturing groups in an RE2 pattern (`(…)` and `(?P<name>…)`, not `(?:…)`). */
export function capturingGroups(pattern: string): number {
  let count = 0;
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i];
    if (ch === '\\') i += 1;
    else if (ch === '(' && (pattern[i + 1] !== '?' || pattern.startsWith('?P<', i + 1))) count += 1;
  }
  return count;
}

/** The group BigQuery's REGEXP_EXTRACT returns: 1 with a capturing group, else the whole match. */
function extractGroup(call: CallSite, ctx: RewriteContext): number {
  const pattern = stringLiteral(call.args[1]);
  if (pattern === undefined) ctx.fail(`${call.name} with a non-literal pattern`, call.offset);
  const groups = capturingGroups(pattern);
  if (groups > 1) ctx.fail(`${call.name} with more than one capturing group`, call.offset);
  return groups;
}

/** `REGEXP_EXTRACT(s, re)`: NULL when nothing matches (DuckDB's regexp_extract gives ''). */
const regexpExtract: FunctionRewrite = (call, ctx) => {
  expectArity(call, ctx, 2);
  const [value, pattern] = allArguments(call, ctx);
  const group = extractGroup(call, ctx);
  return `(CASE WHEN regexp_matches(${value}, ${pattern}) THEN regexp_extract(${value}, ${pattern}, ${group}) END)`;
};

/** `REGEXP_EXTRACT_ALL(s, re)` → `regexp_extract_all(s, re, group)`. */
const regexpExtractAll: FunctionRewrite = (call, ctx) => {
  expectArity(call, ctx, 2);
  return `regexp_extract_all(${argument(call, ctx, 0)}, ${argument(call, ctx, 1)}, ${extractGroup(call, ctx)})`;
};

/** `SUBSTR(s, pos[, len])`: BigQuery reads position 0 as 1 and clamps far negative positions. */
const substring: FunctionRewrite = (call, ctx) => {
  expectArity(call, ctx, 2, 3);
  return `bq_substr(${allArguments(call, ctx).join(', ')})`;
};

/** `SPLIT(s[, delimiter])`: ',' by default; an empty string gives an empty array. */
const split: FunctionRewrite = (call, ctx) => {
  expectArity(call, ctx, 1, 2);
  const [value, delimiter] = allArguments(call, ctx);
  return `bq_split(${value}, ${delimiter ?? "','"})`;
};

/** `LPAD`/`RPAD(s, n[, pad])`: the pad defaults to a space. */
function pad(duckName: string): FunctionRewrite {
  return (call, ctx) => {
    expectArity(call, ctx, 2, 3);
    const [value, length, filler] = allArguments(call, ctx);
    return `${duckName}(${value}, ${length}, ${filler ?? "' '"})`;
  };
}

/** `FORMAT(f, …)` → `printf(f, …)` for the printf-compatible elements. */
const format: FunctionRewrite = (call, ctx) => {
  expectArity(call, ctx, 1, Number.POSITIVE_INFINITY);
  const literal = stringLiteral(call.args[0]);
  if (literal === undefined || /%[-+ #0-9.']*[tTp]/.test(literal)) {
    ctx.fail('FORMAT with %t/%T/%p or a non-literal format', call.offset);
  }
  return `printf(${allArguments(call, ctx).join(', ')})`;
};

/** `ARRAY_TO_STRING(arr, sep[, null_text])`. */
const arrayToString: FunctionRewrite = (call, ctx) => {
  expectArity(call, ctx, 2, 3);
  const [array, separator, nullText] = allArguments(call, ctx);
  if (nullText === undefined) return `array_to_string(${array}, ${separator})`;
  return `array_to_string(list_transform(${array}, lambda bq_e: coalesce(bq_e, ${nullText})), ${separator})`;
};

/** String and regular-expression rewrites, keyed by upper-case BigQuery name. */
export const STRING_REWRITES: ReadonlyMap<string, FunctionRewrite> = new Map<
  string,
  FunctionRewrite
>([
  ['REGEXP_CONTAINS', renamed('regexp_matches', 2, 2)],
  ['REGEXP_EXTRACT', regexpExtract],
  ['REGEXP_SUBSTR', regexpExtract],
  ['REGEXP_EXTRACT_ALL', regexpExtractAll],
  ['REGEXP_REPLACE', template(3, ([s, re, to]) => `regexp_replace(${s}, ${re}, ${to}, 'g')`)],
  ['SUBSTR', substring],
  ['SUBSTRING', substring],
  ['SPLIT', split],
  ['LPAD', pad('lpad')],
  ['RPAD', pad('rpad')],
  ['FORMAT', format],
  ['CONTAINS_SUBSTR', template(2, ([s, part]) => `bq_contains_substr(${s}, ${part})`)],
  ['CHAR_LENGTH', renamed('length', 1, 1)],
  ['CHARACTER_LENGTH', renamed('length', 1, 1)],
  ['NORMALIZE', renamed('nfc_normalize', 1, 1)],
  ['TO_HEX', template(1, ([b]) => `lower(hex(${b}))`)],
  ['ARRAY_TO_STRING', arrayToString],
]);
