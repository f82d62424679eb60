import { allArguments, expectArity, findWord, renamed } from './call-arguments.js';
import { quoteDuckDbIdentifier } from './render-duckdb-sql.js';
import type { FunctionRewrite } from './rewrite-context.js';
import { significant, textOf, type SqlNode } from './sql-node.js';
import { translateTypeName } from './translate-type-name.js';

/** `CAST(x AS T)` / `SAFE_CAST(x AS T)` → `CAST`/`TRY_CAST` with the DuckDB type. */
function castWith(duckName: 'CAST' | 'TRY_CAST'): FunctionRewrite {
  return (call, ctx) => {
    const children = call.group.children;
    const asAt = findWord(children, 'AS');
    if (asAt < 0) ctx.fail(`${call.name} without AS`, call.offset);
    const typeNodes = children.slice(asAt + 1);
    if (findWord(typeNodes, 'FORMAT') >= 0) ctx.fail(`${call.name} … FORMAT`, call.offset);
    const type = translateTypeName(typeNodes, ctx.sql, ctx.options.context);
    return `${duckName}(${ctx.render(children.slice(0, asAt))} AS ${type})`;
  };
}

/** `SAFE_DIVIDE(a, b)`: NULL when b is 0, like BigQuery (DuckDB's `/` gives ±Infinity/NaN). */
const safeDivide: FunctionRewrite = (call, ctx) => {
  expectArity(call, ctx, 2);
  return `bq_safe_divide(${allArguments(call, ctx).join(', ')})`;
};

/** `SAFE_ADD(a, b)` and friends → `TRY(a + b)`. */
function safeOperator(op: string, arity: number): FunctionRewrite {
  return (call, ctx) => {
    expectArity(call, ctx, arity);
    const args = allArguments(call, ctx).map((a) => `(${a})`);
    return `TRY(${arity === 1 ? `${op}${args[0]}` : args.join(` ${op} `)})`;
  };
}

/** `GREATEST`/`LEAST`: NULL when any argument is NULL (DuckDB's skip NULLs). */
function nullStrict(duckName: string): FunctionRewrite {
  return (call, ctx) => {
    expectArity(call, ctx, 1, Number.POSITIVE_INFINITY);
    const args = allArguments(call, ctx);
    const anyNull = args.map((a) => `(${a}) IS NULL`).join(' OR ');
    return `(CASE WHEN ${anyNull} THEN NULL ELSE ${duckName}(${args.join(', ')}) END)`;
  };
}

/** `CONCAT(a, b, …)` → `(a || b || …)`: NULL if any part is NULL (DuckDB's concat skips NULLs). */
const concat: FunctionRewrite = (call, ctx) => {
  expectArity(call, ctx, 1, Number.POSITIVE_INFINITY);
  return `(${allArguments(call, ctx).join(' || ')})`;
};

/** `STRUCT(a AS x, b)` → `struct_pack(x := a, _field_2 := b)`. */
const struct: FunctionRewrite = (call, ctx) => {
  const fields = call.args.map((arg, i) => {
    const asAt = findWord(arg, 'AS');
    const nameNode = asAt < 0 ? undefined : significant(arg.slice(asAt + 1))[0];
    const name =
      nameNode === undefined ? (fieldNameOf(arg) ?? `_field_${i + 1}`) : textOf(nameNode);
    const value = ctx.render(asAt < 0 ? arg : arg.slice(0, asAt));
    return `${quoteDuckDbIdentifier(name)} := ${value}`;
  });
  if (fields.length === 0) ctx.fail('empty STRUCT()', call.offset);
  return `struct_pack(${fields.join(', ')})`;
};

/** BigQuery names an unaliased STRUCT field after a plain column (or the last part of a path). */
function fieldNameOf(arg: readonly SqlNode[]): string | undefined {
  const items = significant(arg);
  const last = items.at(-1);
  const pathLike = items.every((n, i) =>
    i % 2 === 0 ? n.kind === 'word' || n.kind === 'quoted' : textOf(n) === '.',
  );
  return pathLike && (last?.kind === 'word' || last?.kind === 'quoted') ? last.text : undefined;
}

/** `LOG(x)` is the natural log in BigQuery (`log` is base 10 in DuckDB); `LOG(x, b)` base b. */
const log: FunctionRewrite = (call, ctx) => {
  expectArity(call, ctx, 1, 2);
  const [x, base] = allArguments(call, ctx);
  return base === undefined ? `ln(${x})` : `(ln(${x}) / ln(${base}))`;
};

/** `DIV(a, b)`: integer division truncating toward zero. */
const div: FunctionRewrite = (call, ctx) => {
  expectArity(call, ctx, 2);
  const [a, b] = allArguments(call, ctx);
  return `CAST(trunc((${a}) / (${b})) AS BIGINT)`;
};

/** `IEEE_DIVIDE(a, b)`: floating-point division (±Infinity, NaN allowed), DuckDB's `/` on doubles. */
const ieeeDivide: FunctionRewrite = (call, ctx) => {
  expectArity(call, ctx, 2);
  const [a, b] = allArguments(call, ctx);
  return `(CAST(${a} AS DOUBLE) / (${b}))`;
};

/** `ARRAY_CONCAT(a, b, …)` → nested `list_concat`. */
const arrayConcat: FunctionRewrite = (call, ctx) => {
  expectArity(call, ctx, 1, Number.POSITIVE_INFINITY);
  return allArguments(call, ctx).reduce((acc, next) => `list_concat(${acc}, ${next})`);
};

/** Scalar, math, cast and array rewrites, keyed by upper-case BigQuery name. */
export const SCALAR_REWRITES: ReadonlyMap<string, FunctionRewrite> = new Map<
  string,
  FunctionRewrite
>([
  ['CAST', castWith('CAST')],
  ['SAFE_CAST', castWith('TRY_CAST')],
  ['SAFE_DIVIDE', safeDivide],
  ['SAFE_ADD', safeOperator('+', 2)],
  ['SAFE_SUBTRACT', safeOperator('-', 2)],
  ['SAFE_MULTIPLY', safeOperator('*', 2)],
  ['SAFE_NEGATE', safeOperator('-', 1)],
  ['IEEE_DIVIDE', ieeeDivide],
  ['DIV', div],
  ['LOG', log],
  ['GREATEST', nullStrict('greatest')],
  ['LEAST', nullStrict('least')],
  ['CONCAT', concat],
  ['STRUCT', struct],
  ['IS_NAN', renamed('isnan', 1, 1)],
  ['IS_INF', renamed('isinf', 1, 1)],
  ['ARRAY_LENGTH', renamed('len', 1, 1)],
  ['ARRAY_CONCAT', arrayConcat],
  ['ARRAY_REVERSE', renamed('list_reverse', 1, 1)],
  ['GENERATE_ARRAY', renamed('generate_series', 2, 3)],
  ['IFNULL', renamed('coalesce', 2, 2)],
]);
