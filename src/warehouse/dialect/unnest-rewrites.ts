import { readNamePath, renderNamePath, type NameSegment } from './qualified-name.js';
import type { RewriteContext } from './rewrite-context.js';
import { isSyntaxWord } from './sql-keywords.js';
import {
  isGroup,
  isWord,
  lastSignificant,
  nextSignificant,
  significant,
  sqlText,
  type SqlNode,
} from './sql-node.js';

/** `x IN UNNEST(arr)` → `x IN (SELECT unnest(arr))`. */
export function rewriteInUnnest(
  nodes: readonly SqlNode[],
  at: number,
  out: SqlNode[],
  ctx: RewriteContext,
): number | undefined {
  if (!isWord(nodes[at], 'IN')) return undefined;
  const unnestAt = nextSignificant(nodes, at + 1);
  const groupAt = nextSignificant(nodes, unnestAt + 1);
  const group = nodes[groupAt];
  if (!isWord(nodes[unnestAt], 'UNNEST') || !isGroup(group, '(')) return undefined;
  out.push(nodes[at]!, sqlText(` (SELECT unnest(${ctx.render(group.children)}))`, group.offset));
  return groupAt + 1;
}

interface Alias {
  readonly name?: NameSegment;
  readonly next: number;
}

/** Reads `[AS] alias` at `from`; no alias when the next word is SQL syntax. */
function readAlias(nodes: readonly SqlNode[], from: number): Alias {
  let at = nextSignificant(nodes, from);
  const explicit = isWord(nodes[at], 'AS');
  if (explicit) at = nextSignificant(nodes, at + 1);
  const node = nodes[at];
  const isName =
    node?.kind === 'quoted' || (node?.kind === 'word' && (explicit || !isSyntaxWord(node.text)));
  if (!isName) return { next: from };
  const path = readNamePath(nodes, at);
  return { name: path.segments.at(-1), next: path.next };
}

/** Reads `WITH OFFSET [[AS] alias]` at `from`; BigQuery names an unaliased offset `offset`. */
function readWithOffset(nodes: readonly SqlNode[], from: number): Alias {
  const withAt = nextSignificant(nodes, from);
  const offsetAt = nextSignificant(nodes, withAt + 1);
  if (!isWord(nodes[withAt], 'WITH') || !isWord(nodes[offsetAt], 'OFFSET')) return { next: from };
  const alias = readAlias(nodes, offsetAt + 1);
  return { name: alias.name ?? { text: 'offset', quoted: true }, next: alias.next };
}

/**
 * `UNNEST(arr) [AS] a [WITH OFFSET [AS] o]` in a FROM clause → a lateral subquery:
 * `(SELECT unnest(arr) AS a) AS a`, so `a` is the element and `a.field` reaches a struct field.
 * Without an alias the struct fields become columns, as in BigQuery:
 * `(SELECT bq_unnest.* FROM (SELECT unnest(arr) AS bq_unnest))`.
 * After `LEFT JOIN` without `ON`, `ON TRUE` is added (DuckDB needs a join condition).
 */
export function rewriteTableUnnest(
  nodes: readonly SqlNode[],
  at: number,
  out: SqlNode[],
  ctx: RewriteContext,
): number | undefined {
  const groupAt = nextSignificant(nodes, at + 1);
  const group = nodes[groupAt];
  if (!isWord(nodes[at], 'UNNEST') || !isGroup(group, '(')) return undefined;
  const array = ctx.render(group.children);
  const alias = readAlias(nodes, groupAt + 1);
  const offset = readWithOffset(nodes, alias.next);
  const leftJoin = isLeftJoin(out);
  out.push(sqlText(unnestSubquery(array, alias.name, offset.name), nodes[at]!.offset));
  const after = nodes[nextSignificant(nodes, offset.next)];
  if (leftJoin && !isWord(after, 'ON') && !isWord(after, 'USING')) {
    out.push(sqlText(' ON TRUE', group.offset, false));
  }
  return offset.next;
}

function unnestSubquery(
  array: string,
  alias: NameSegment | undefined,
  offset: NameSegment | undefined,
): string {
  const offsetColumn = offset === undefined ? '' : `, unnest(range(len(${array}))) AS bq_offset`;
  const offsetName = offset === undefined ? '' : renderNamePath([offset]);
  if (alias === undefined) {
    const select = offset === undefined ? 'bq_unnest.*' : `bq_unnest.*, bq_offset AS ${offsetName}`;
    return `(SELECT ${select} FROM (SELECT unnest(${array}) AS bq_unnest${offsetColumn}))`;
  }
  const name = renderNamePath([alias]);
  const offsetSelect =
    offset === undefined ? '' : `, unnest(range(len(${array}))) AS ${offsetName}`;
  return `(SELECT unnest(${array}) AS ${name}${offsetSelect}) AS ${name}`;
}

function isLeftJoin(out: readonly SqlNode[]): boolean {
  if (!isWord(lastSignificant(out), 'JOIN')) return false;
  const words = significant(out).slice(-3);
  return words.some((n) => isWord(n, 'LEFT') || isWord(n, 'FULL'));
}
