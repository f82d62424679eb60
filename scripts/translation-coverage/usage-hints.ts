/**
 * What the neighbours of an operand and the function it is passed to say about its type:
 * `x = 'a'` → VARCHAR, `x > 0` → BIGINT, `LOGICAL_OR(x)` → BOOLEAN, `mozfun.hist.extract(x)`
 * → a JSON histogram, `mozfun.map.get_key(x, …)` → a map…
 */
import { isWord, significant, type SqlNode } from '../../src/warehouse/dialect/sql-node.js';
import { listOf, mapOf, scalar, type ColumnType, type Hint } from './column-type.js';

const COMPARISONS = new Set(['=', '!=', '<>', '<', '>', '<=', '>=']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%']);

/** The type of a literal node; date-like strings give no hint (the column name decides). */
export function literalType(node: SqlNode | undefined): Hint {
  if (node === undefined) return undefined;
  if (node.kind === 'string') {
    return /^\d{4}-\d{2}-\d{2}/.test(node.text) ? undefined : scalar('VARCHAR');
  }
  if (node.kind === 'number') return scalar(/[.eE]/.test(node.text) ? 'DOUBLE' : 'BIGINT');
  if (isWord(node, 'TRUE') || isWord(node, 'FALSE')) return scalar('BOOLEAN');
  return undefined;
}

/** A type guess from a column name alone. */
export function nameHint(name: string): ColumnType {
  const lower = name.toLowerCase();
  if (/(^|_)date$/.test(lower)) return scalar('DATE');
  if (lower.includes('timestamp')) return scalar('TIMESTAMP');
  if (/^(is|has)_/.test(lower)) return scalar('BOOLEAN');
  return scalar('BIGINT');
}

/** Hint from the operators around `items[at]` (an operand) in a list of significant nodes. */
export function neighbourHint(items: readonly SqlNode[], at: number, expected: Hint): Hint {
  const prev = items[at - 1];
  const next = items[at + 1];
  if (prev === undefined && next === undefined) return expected;
  for (const [side, beyond] of [
    [next, items[at + 2]],
    [prev, items[at - 2]],
  ] as const) {
    if (side?.kind === 'op' && COMPARISONS.has(side.text)) return literalType(beyond);
    if (side?.kind === 'op' && ARITHMETIC.has(side.text)) return scalar('BIGINT');
    if (isWord(side, 'LIKE')) return scalar('VARCHAR');
  }
  if (isWord(next, 'IN')) {
    return literalType(firstLiteral(items[isWord(items[at + 2], 'UNNEST') ? at + 3 : at + 2]));
  }
  if (isWord(next, 'BETWEEN')) return literalType(items[at + 2]);
  if (isWord(next, 'IS')) {
    return isWord(items[at + 2], 'TRUE') || isWord(items[at + 2], 'FALSE')
      ? scalar('BOOLEAN')
      : undefined;
  }
  const logical = (n: SqlNode | undefined): boolean => isWord(n, 'AND') || isWord(n, 'OR');
  if (isWord(prev, 'NOT') || isWord(prev, 'WHEN') || logical(next)) return scalar('BOOLEAN');
  if (logical(prev) && !isWord(items[at - 3], 'BETWEEN')) return scalar('BOOLEAN');
  return undefined;
}

/** The first node inside (nested) groups: `(['a', 'b'])` → `'a'`. */
function firstLiteral(node: SqlNode | undefined): SqlNode | undefined {
  return node?.kind === 'group' ? firstLiteral(significant(node.children)[0]) : node;
}

/** Hints for the arguments of a call, given what the call's own value should be. */
export function argumentHints(
  name: string,
  args: readonly (readonly SqlNode[])[],
  callHint: Hint,
): readonly Hint[] {
  const all = (hint: Hint): Hint[] => args.map(() => hint);
  const sibling = (): Hint =>
    callHint ??
    args
      .map((a) => literalType(significant(a).length === 1 ? significant(a)[0] : undefined))
      .find((h) => h !== undefined);
  const rule = SIGNATURES[name];
  if (rule !== undefined) return rule(args, callHint);
  if (POLYMORPHIC.has(name)) return all(sibling());
  return all(undefined);
}

const STRING_FIRST = [
  'REGEXP_CONTAINS',
  'REGEXP_EXTRACT',
  'REGEXP_REPLACE',
  'STARTS_WITH',
  'ENDS_WITH',
  'LOWER',
  'UPPER',
  'LENGTH',
  'TRIM',
  'SUBSTR',
  'SUBSTRING',
  'SPLIT',
  'REPLACE',
  'STRPOS',
  'CONTAINS_SUBSTR',
  'MOZFUN.NORM.OS',
  'MOZFUN.NORM.EXTRACT_VERSION',
];
const NUMERIC = [
  'SUM',
  'AVG',
  'ROUND',
  'ABS',
  'MOD',
  'FLOOR',
  'CEIL',
  'SQRT',
  'LOG',
  'POW',
  'DIV',
  'SAFE_DIVIDE',
  'IEEE_DIVIDE',
  'MOZFUN.BITS28.DAYS_SINCE_SEEN',
];
const BOOLEAN = ['COUNTIF', 'LOGICAL_OR', 'LOGICAL_AND'];
const HIST_FIRST = [
  'MOZFUN.HIST.EXTRACT',
  'MOZFUN.HIST.THRESHOLD_COUNT',
  'UDF.HISTOGRAM_MAX_KEY_WITH_NONZERO_VALUE',
];
const JSON_FIRST = ['JSON_VALUE', 'JSON_EXTRACT_SCALAR', 'JSON_QUERY', 'JSON_EXTRACT'];
const DATE_ARGS = ['DATE_DIFF', 'DATE_ADD', 'DATE_SUB', 'DATE_TRUNC'];
const POLYMORPHIC = new Set([
  'COALESCE',
  'IFNULL',
  'NULLIF',
  'MAX',
  'MIN',
  'ANY_VALUE',
  'GREATEST',
  'LEAST',
]);

function jsonHint(args: readonly (readonly SqlNode[])[]): ColumnType {
  const path = significant(args[1] ?? [])[0];
  const key = path?.kind === 'string' ? /^\$\.?([A-Za-z0-9_]+)/.exec(path.text)?.[1] : undefined;
  if (key === 'sum') return scalar('HIST');
  return scalar('JSON', key === undefined ? [] : [key]);
}

const fixed =
  (...hints: Hint[]) =>
  (args: readonly (readonly SqlNode[])[]): Hint[] =>
    args.map((_, i) => hints[Math.min(i, hints.length - 1)]);

const SIGNATURES: Readonly<
  Record<string, (args: readonly (readonly SqlNode[])[], callHint: Hint) => Hint[]>
> = {
  ...Object.fromEntries(STRING_FIRST.map((n) => [n, fixed(scalar('VARCHAR'))])),
  ...Object.fromEntries(NUMERIC.map((n) => [n, fixed(scalar('BIGINT'))])),
  ...Object.fromEntries(BOOLEAN.map((n) => [n, fixed(scalar('BOOLEAN'))])),
  ...Object.fromEntries(HIST_FIRST.map((n) => [n, fixed(scalar('HIST'), scalar('BIGINT'))])),
  ...Object.fromEntries(
    JSON_FIRST.map((n) => [
      n,
      (args: readonly (readonly SqlNode[])[]) => [jsonHint(args), scalar('VARCHAR')],
    ]),
  ),
  ...Object.fromEntries(
    DATE_ARGS.map((n) => [n, fixed(scalar('DATE'), scalar('DATE'), undefined)]),
  ),
  IF: (_args, callHint) => [scalar('BOOLEAN'), callHint, callHint],
  MAX_BY: (_args, callHint) => [callHint, undefined],
  MIN_BY: (_args, callHint) => [callHint, undefined],
  DATE: fixed(scalar('TIMESTAMP')),
  TIMESTAMP_DIFF: fixed(scalar('TIMESTAMP'), scalar('TIMESTAMP'), undefined),
  FORMAT_DATE: fixed(scalar('VARCHAR'), scalar('DATE')),
  PARSE_DATE: fixed(scalar('VARCHAR')),
  PARSE_DATETIME: fixed(scalar('VARCHAR')),
  ARRAY_LENGTH: fixed(listOf(scalar('VARCHAR'))),
  'MOZFUN.MAP.GET_KEY': (_args, callHint) => [
    mapOf(callHint ?? scalar('VARCHAR')),
    scalar('VARCHAR'),
  ],
  'UDF.GET_KEY': (_args, callHint) => [mapOf(callHint ?? scalar('VARCHAR')), scalar('VARCHAR')],
  'MOZFUN.MAP.EXTRACT_KEYED_SCALAR_SUM': fixed(mapOf(scalar('BIGINT'))),
  'UDF.KEYED_HISTOGRAM_GET_SUM': fixed(mapOf(scalar('HIST')), scalar('VARCHAR')),
  'MOZFUN.NORM.WINDOWS_VERSION_INFO': fixed(scalar('VARCHAR'), scalar('VARCHAR'), scalar('BIGINT')),
};
