import { integerLiteral } from './call-arguments.js';
import { quoteDuckDbString } from './render-duckdb-sql.js';
import type { RewriteContext } from './rewrite-context.js';
import {
  isGroup,
  isOp,
  isWord,
  nextSignificant,
  significant,
  sqlText,
  type SqlGroup,
  type SqlNode,
} from './sql-node.js';

/** Date and time parts of `INTERVAL n PART`, DATE_DIFF and friends. */
export const DATE_PARTS: ReadonlySet<string> = new Set([
  'MICROSECOND',
  'MILLISECOND',
  'SECOND',
  'MINUTE',
  'HOUR',
  'DAY',
  'WEEK',
  'ISOWEEK',
  'MONTH',
  'QUARTER',
  'YEAR',
  'ISOYEAR',
  'DAYOFWEEK',
  'DAYOFYEAR',
  'DATE',
  'TIME',
  'DATETIME',
]);

/**
 * `INTERVAL <expr> DAY`: DuckDB needs parentheses around anything but a literal, so
 * `INTERVAL x + 1 DAY` becomes `INTERVAL (x + 1) DAY`.
 */
export function rewriteInterval(
  nodes: readonly SqlNode[],
  at: number,
  out: SqlNode[],
  ctx: RewriteContext,
): number | undefined {
  if (!isWord(nodes[at], 'INTERVAL')) return undefined;
  let partAt = at + 1;
  while (partAt < nodes.length && !isDatePart(nodes[partAt])) partAt += 1;
  const part = nodes[partAt];
  if (part === undefined) ctx.fail('INTERVAL without a date part', nodes[at]!.offset);
  const value = nodes.slice(at + 1, partAt);
  const items = significant(value);
  const literal =
    items.length === 1 && (items[0]?.kind === 'number' || items[0]?.kind === 'string');
  const text = literal ? ctx.render(value) : `(${ctx.render(value)})`;
  out.push(
    sqlText(`INTERVAL ${text} ${(part as { text: string }).text.toUpperCase()}`, nodes[at]!.offset),
  );
  return partAt + 1;
}

function isDatePart(node: SqlNode | undefined): boolean {
  return node?.kind === 'word' && DATE_PARTS.has(node.text.toUpperCase());
}

/**
 * `x LIKE r'a\_b%'`: BigQuery's LIKE treats backslash as the escape character, DuckDB's has no
 * escape character unless told, so a literal pattern with a backslash gets `ESCAPE '\'`.
 */
export function rewriteLikePattern(
  nodes: readonly SqlNode[],
  at: number,
  out: SqlNode[],
): number | undefined {
  if (!isWord(nodes[at], 'LIKE')) return undefined;
  const patternAt = nextSignificant(nodes, at + 1);
  const pattern = nodes[patternAt];
  if (pattern?.kind !== 'string' || !pattern.text.includes('\\')) return undefined;
  out.push(...nodes.slice(at, patternAt));
  out.push(sqlText(`${quoteDuckDbString(pattern.text)} ESCAPE '\\'`, pattern.offset));
  return patternAt + 1;
}

const INDEXERS = new Set(['OFFSET', 'SAFE_OFFSET', 'ORDINAL', 'SAFE_ORDINAL']);

/**
 * `arr[OFFSET(i)]` / `arr[SAFE_OFFSET(i)]` / bare `arr[i]` (0-based) → `arr[i + 1]`;
 * `arr[ORDINAL(i)]` → `arr[i]`. DuckDB lists are 1-based and give NULL out of range.
 */
export function rewriteSubscript(group: SqlGroup, ctx: RewriteContext): SqlNode {
  const items = significant(group.children);
  const [head, arg] = items;
  if (
    items.length === 2 &&
    head?.kind === 'word' &&
    INDEXERS.has(head.text.toUpperCase()) &&
    isGroup(arg, '(')
  ) {
    const ordinal = head.text.toUpperCase().endsWith('ORDINAL');
    return sqlText(
      ordinal ? `[${ctx.render(arg.children)}]` : zeroBased(arg.children, ctx),
      group.offset,
    );
  }
  if (items.length === 1 && head?.kind === 'string') {
    return sqlText(`[${ctx.render(items)}]`, group.offset);
  }
  if (items.some((n) => isOp(n, ':'))) ctx.fail('array slice', group.offset);
  return sqlText(zeroBased(group.children, ctx), group.offset);
}

function zeroBased(index: readonly SqlNode[], ctx: RewriteContext): string {
  const literal = integerLiteral(index);
  return literal === undefined ? `[(${ctx.render(index)}) + 1]` : `[${literal + 1}]`;
}
