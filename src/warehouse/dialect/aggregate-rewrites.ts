import { expectArity, findWord, integerLiteral, renamed } from './call-arguments.js';
import type { CallSite, FunctionRewrite, RewriteContext } from './rewrite-context.js';
import { isWord, nextSignificant, type SqlNode } from './sql-node.js';

/** The parts of `ARRAY_AGG([DISTINCT] x [IGNORE|RESPECT NULLS] [ORDER BY …] [LIMIT n])`. */
interface AggregateParts {
  readonly distinct: boolean;
  readonly value: readonly SqlNode[];
  readonly ignoreNulls: boolean;
  readonly orderBy: readonly SqlNode[];
  readonly limit?: number;
}

function clauseStart(children: readonly SqlNode[], at: number): boolean {
  const next = children[nextSignificant(children, at + 1)];
  const node = children[at];
  if (isWord(node, 'IGNORE') || isWord(node, 'RESPECT')) return isWord(next, 'NULLS');
  if (isWord(node, 'ORDER')) return isWord(next, 'BY');
  return isWord(node, 'LIMIT');
}

function splitAggregate(call: CallSite, ctx: RewriteContext): AggregateParts {
  const children = call.group.children;
  const first = nextSignificant(children, 0);
  const distinct = isWord(children[first], 'DISTINCT');
  const start = distinct ? first + 1 : 0;
  let end = start;
  while (end < children.length && !clauseStart(children, end)) end += 1;
  const orderAt = findWord(children, 'ORDER', end);
  const limitAt = findWord(children, 'LIMIT', end);
  const limitNodes = limitAt < 0 ? undefined : children.slice(limitAt + 1);
  const limit = limitNodes === undefined ? undefined : integerLiteral(limitNodes);
  if (limitNodes !== undefined && limit === undefined) {
    ctx.fail(`${call.name} … LIMIT <expression>`, call.offset);
  }
  return {
    distinct,
    value: children.slice(start, end),
    ignoreNulls: findWord(children.slice(end), 'IGNORE') >= 0,
    orderBy: orderAt < 0 ? [] : children.slice(orderAt, limitAt < 0 ? undefined : limitAt),
    limit,
  };
}

/**
 * `ARRAY_AGG(x IGNORE NULLS ORDER BY y LIMIT n)` → `(array_agg(x ORDER BY y) FILTER (WHERE (x)
 * IS NOT NULL))[1:n]`. DuckDB has no `IGNORE NULLS` or `LIMIT` inside aggregates.
 */
function arrayAggregate(wrap: (inner: string) => string): FunctionRewrite {
  return (call, ctx) => {
    const parts = splitAggregate(call, ctx);
    const value = ctx.render(parts.value);
    const order = parts.orderBy.length === 0 ? '' : ` ${ctx.render(parts.orderBy)}`;
    let text = `array_agg(${parts.distinct ? 'DISTINCT ' : ''}${value}${order})`;
    if (parts.ignoreNulls) text += ` FILTER (WHERE (${value}) IS NOT NULL)`;
    if (call.followedBy === 'OVER') return wrap(text);
    if (parts.limit !== undefined) text = `(${text})[1:${parts.limit}]`;
    else if (parts.ignoreNulls) text = `(${text})`;
    return wrap(text);
  };
}

/** `APPROX_QUANTILES(x, n)` → `quantile_disc(x, [0, 1/n, …, 1])` (n+1 values, like BigQuery). */
const approxQuantiles: FunctionRewrite = (call: CallSite, ctx: RewriteContext) => {
  expectArity(call, ctx, 2);
  const count = integerLiteral(call.args[1]);
  if (count === undefined || count < 1) {
    ctx.fail('APPROX_QUANTILES with a non-literal count', call.offset);
  }
  const points = Array.from({ length: count + 1 }, (_, i) => `${i}/${count}`);
  return `quantile_disc(${ctx.render(call.args[0] ?? [])}, [${points.join(', ')}])`;
};

/**
 * `COUNTIF(b)` → `count(CASE WHEN b THEN 1 END)`: BigQuery's COUNTIF is 0 over a group whose
 * conditions are all NULL (an enrolled client without rows); DuckDB's `count_if` is NULL there.
 */
const countIf: FunctionRewrite = (call: CallSite, ctx: RewriteContext) => {
  expectArity(call, ctx, 1);
  return `count(CASE WHEN ${ctx.render(call.args[0] ?? [])} THEN 1 END)`;
};

/** Aggregate rewrites, keyed by upper-case BigQuery name. */
export const AGGREGATE_REWRITES: ReadonlyMap<string, FunctionRewrite> = new Map<
  string,
  FunctionRewrite
>([
  ['COUNTIF', countIf],
  ['LOGICAL_OR', renamed('bool_or', 1, 1)],
  ['LOGICAL_AND', renamed('bool_and', 1, 1)],
  ['ARRAY_AGG', arrayAggregate((t) => t)],
  ['ARRAY_CONCAT_AGG', arrayAggregate((t) => `flatten(${t})`)],
  ['APPROX_QUANTILES', approxQuantiles],
  // MAX_BY(x, y) is ANY_VALUE(x HAVING MAX y): x of the max-y row even when x is NULL;
  // DuckDB's arg_max skips NULL x, arg_max_null does not.
  ['MAX_BY', renamed('arg_max_null', 2, 2)],
  ['MIN_BY', renamed('arg_min_null', 2, 2)],
]);
