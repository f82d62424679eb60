import { splitArguments } from './call-arguments.js';
import {
  FUNCTION_REWRITES,
  isSupportedRoutine,
  UNSUPPORTED_FUNCTIONS,
} from './function-rewrites.js';
import { dropProject, readNamePath, renderNamePath, type NameSegment } from './qualified-name.js';
import type { CallSite, RewriteContext } from './rewrite-context.js';
import { isCallName, isSyntaxWord } from './sql-keywords.js';
import {
  isGroup,
  isOp,
  isTrivia,
  isWord,
  lastSignificant,
  nextSignificant,
  sqlText,
  type SqlGroup,
  type SqlNode,
} from './sql-node.js';
import { rewriteInterval, rewriteLikePattern, rewriteSubscript } from './operator-rewrites.js';
import { rewriteInUnnest, rewriteTableUnnest } from './unnest-rewrites.js';

/** A rule looks at `nodes[at]`; when it applies it appends to `out` and returns the next index. */
type Rule = (
  nodes: readonly SqlNode[],
  at: number,
  out: SqlNode[],
  ctx: RewriteContext,
) => number | undefined;

const RULES: readonly Rule[] = [
  rewriteInUnnest,
  rewriteTableUnnest,
  rewriteInterval,
  rewriteLikePattern,
  rewriteStarModifier,
  rewriteName,
  rewriteFieldAccess,
  rewriteGroup,
];

/**
 * Rewrites a BigQuery node list into DuckDB nodes, left to right; nested groups are rewritten
 * recursively by the rules that own them.
 */
export function rewriteNodes(nodes: readonly SqlNode[], ctx: RewriteContext): SqlNode[] {
  const out: SqlNode[] = [];
  let at = 0;
  while (at < nodes.length) {
    at = applyRules(nodes, at, out, ctx);
  }
  return out;
}

function applyRules(
  nodes: readonly SqlNode[],
  at: number,
  out: SqlNode[],
  ctx: RewriteContext,
): number {
  const node = nodes[at]!;
  if (!isTrivia(node)) {
    for (const rule of RULES) {
      const next = rule(nodes, at, out, ctx);
      if (next !== undefined) return next;
    }
  }
  out.push(node);
  return at + 1;
}

/** `* EXCEPT (a, b)` → `* EXCLUDE (a, b)`; `* REPLACE (…)` stays (DuckDB has it). */
function rewriteStarModifier(
  nodes: readonly SqlNode[],
  at: number,
  out: SqlNode[],
): number | undefined {
  const node = nodes[at]!;
  if (!isOp(lastSignificant(out), '*') || !(isWord(node, 'EXCEPT') || isWord(node, 'REPLACE'))) {
    return undefined;
  }
  out.push(sqlText(isWord(node, 'EXCEPT') ? 'EXCLUDE' : 'REPLACE', node.offset, false));
  return at + 1;
}

/** `(…)` and `[…]` groups: subscripts get 1-based indexes, other groups are rewritten inside. */
function rewriteGroup(
  nodes: readonly SqlNode[],
  at: number,
  out: SqlNode[],
  ctx: RewriteContext,
): number | undefined {
  const node = nodes[at]!;
  if (node.kind !== 'group') return undefined;
  if (node.open === '[' && isOperand(lastSignificant(out))) {
    out.push(rewriteSubscript(node, ctx));
  } else {
    out.push({ ...node, children: ctx.rewrite(node.children) });
  }
  return at + 1;
}

/** True when `node` ends an operand, so a following `[` is a subscript, not an array literal. */
export function isOperand(node: SqlNode | undefined): boolean {
  if (node === undefined) return false;
  if (node.kind === 'sql') return node.primary === true;
  return node.kind === 'group' || node.kind === 'quoted' || node.kind === 'param';
}

/** `.field` after an operand such as a call: `f(x).values` → `f(x)."values"`-style access. */
function rewriteFieldAccess(
  nodes: readonly SqlNode[],
  at: number,
  out: SqlNode[],
): number | undefined {
  const after = nodes[at + 1];
  if (!isOp(nodes[at], '.') || (after?.kind !== 'word' && after?.kind !== 'quoted')) {
    return undefined;
  }
  if (!isOperand(lastSignificant(out))) return undefined;
  const path = readNamePath(nodes, at + 1);
  const text = renderNamePath([{ text: '_', quoted: false }, ...path.segments]).slice(1);
  out.push(sqlText(text, nodes[at]!.offset));
  return path.next;
}

/**
 * A lone `offset` is a column (BigQuery's default `WITH OFFSET` name) unless it follows
 * `LIMIT <n>`; DuckDB reserves the word, so the column is written quoted.
 */
function isOffsetColumn(node: SqlNode, out: readonly SqlNode[]): boolean {
  if (!isWord(node, 'OFFSET')) return false;
  const previous = out.filter((n) => !isTrivia(n)).slice(-2);
  return !isWord(previous[0], 'LIMIT') && !isWord(previous.at(-1), 'WITH');
}

/** Names, keywords and function calls. */
function rewriteName(
  nodes: readonly SqlNode[],
  at: number,
  out: SqlNode[],
  ctx: RewriteContext,
): number | undefined {
  const node = nodes[at]!;
  if (node.kind !== 'word' && node.kind !== 'quoted') return undefined;
  const path = readNamePath(nodes, at);
  const segments = dropProject(path.segments, ctx.options.projects);
  const groupAt = nextSignificant(nodes, path.next);
  const group = nodes[groupAt];
  if (isGroup(group, '(') && isCallName(segments)) {
    out.push(sqlText(rewriteCall(segments, group, nodes, groupAt, ctx), node.offset));
    return groupAt + 1;
  }
  if (segments.length === 1 && node.kind === 'word' && isSyntaxWord(node.text)) {
    out.push(isOffsetColumn(node, out) ? sqlText('"offset"', node.offset) : node);
    return at + 1;
  }
  out.push(sqlText(renderNamePath(segments), node.offset));
  return path.next;
}

function rewriteCall(
  segments: readonly NameSegment[],
  group: SqlGroup,
  nodes: readonly SqlNode[],
  groupAt: number,
  ctx: RewriteContext,
): string {
  const safe =
    segments.length > 1 && !segments[0]!.quoted && segments[0]!.text.toUpperCase() === 'SAFE';
  const nameSegments = safe ? segments.slice(1) : segments;
  const name = nameSegments.map((s) => s.text.toUpperCase()).join('.');
  const followedAt = nextSignificant(nodes, groupAt + 1);
  const followed = nodes[followedAt];
  const call: CallSite = {
    name,
    group,
    args: splitArguments(group.children),
    followedBy: followed?.kind === 'word' ? followed.text.toUpperCase() : '',
    offset: group.offset,
  };
  const text = translateCall(call, nameSegments, ctx);
  return safe ? `TRY(${text})` : text;
}

function translateCall(
  call: CallSite,
  segments: readonly NameSegment[],
  ctx: RewriteContext,
): string {
  const rewrite = FUNCTION_REWRITES.get(call.name);
  if (rewrite !== undefined) return rewrite(call, ctx);
  const unsupported = UNSUPPORTED_FUNCTIONS.get(call.name);
  if (unsupported !== undefined) ctx.fail(`${call.name} (${unsupported})`, call.offset);
  if (segments.length > 1 && !isSupportedRoutine(call.name)) {
    ctx.fail(
      `function ${segments.map((s) => s.text).join('.')} (no DuckDB macro for it)`,
      call.offset,
    );
  }
  return `${renderNamePath(segments)}(${ctx.render(call.group.children)})`;
}
