import type { CallSite, FunctionRewrite, RewriteContext } from './rewrite-context.js';
import { isOp, isWord, significant, type SqlNode } from './sql-node.js';

/** Splits a call group's nodes at top-level commas; an empty group has no arguments. */
export function splitArguments(children: readonly SqlNode[]): SqlNode[][] {
  if (significant(children).length === 0) return [];
  const args: SqlNode[][] = [[]];
  for (const node of children) {
    if (isOp(node, ',')) args.push([]);
    else args.at(-1)!.push(node);
  }
  return args;
}

/**
 * Checks the argument count of `call`.
 *
 * @throws UntranslatableSqlError naming the function and the count when outside [min, max].
 */
export function expectArity(call: CallSite, ctx: RewriteContext, min: number, max = min): void {
  const count = call.args.length;
  if (count < min || count > max) ctx.fail(`${call.name} with ${count} argument(s)`, call.offset);
}

/** The rendered DuckDB text of argument `index` of `call`. */
export function argument(call: CallSite, ctx: RewriteContext, index: number): string {
  return ctx.render(call.args[index] ?? []);
}

/** The rendered DuckDB text of every argument of `call`. */
export function allArguments(call: CallSite, ctx: RewriteContext): string[] {
  return call.args.map((a) => ctx.render(a));
}

/** A rewrite that renames the function and rewrites its arguments, keeping their count in range. */
export function renamed(duckName: string, min = 0, max = Number.POSITIVE_INFINITY) {
  return (call: CallSite, ctx: RewriteContext): string => {
    expectArity(call, ctx, min, max);
    return `${duckName}(${ctx.render(call.group.children)})`;
  };
}

/** Index of the first top-level word `word` (upper-case) in `nodes`, or -1. */
export function findWord(nodes: readonly SqlNode[], word: string, from = 0): number {
  for (let i = from; i < nodes.length; i += 1) if (isWord(nodes[i], word)) return i;
  return -1;
}

/** The single string literal of an argument, when the argument is exactly one. */
export function stringLiteral(nodes: readonly SqlNode[] | undefined): string | undefined {
  const items = significant(nodes ?? []);
  const only = items[0];
  return items.length === 1 && only?.kind === 'string' ? only.text : undefined;
}

/** The single non-negative integer literal of an argument, when the argument is exactly one. */
export function integerLiteral(nodes: readonly SqlNode[] | undefined): number | undefined {
  const items = significant(nodes ?? []);
  const only = items[0];
  return items.length === 1 && only?.kind === 'number' && /^\d+$/.test(only.text)
    ? Number(only.text)
    : undefined;
}

/** A rewrite with a fixed argument count whose DuckDB text is built from the rendered arguments. */
export function template(arity: number, body: (args: string[]) => string): FunctionRewrite {
  return (call, ctx) => {
    expectArity(call, ctx, arity);
    return body(allArguments(call, ctx));
  };
}
