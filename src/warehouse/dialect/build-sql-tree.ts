import type { SqlGroup, SqlNode, SqlToken } from './sql-node.js';
import { sqlExcerpt, UntranslatableSqlError } from './untranslatable-sql-error.js';

interface OpenFrame {
  readonly open: '(' | '[';
  readonly offset: number;
  readonly children: SqlNode[];
}

/**
 * Nests the bracketed parts of a token list into groups: `f(a, b)` becomes the word `f`
 * followed by one `(` group holding `a`, `,`, `b`.
 *
 * @throws UntranslatableSqlError for unbalanced or mismatched brackets.
 */
export function buildSqlTree(tokens: readonly SqlToken[], sql: string, context = ''): SqlNode[] {
  const root: SqlNode[] = [];
  const stack: OpenFrame[] = [];
  for (const token of tokens) {
    const target = stack.at(-1)?.children ?? root;
    if (token.kind === 'open') {
      stack.push({ open: token.text === '[' ? '[' : '(', offset: token.offset, children: [] });
    } else if (token.kind === 'close') {
      const frame = stack.pop();
      if (frame === undefined || (frame.open === '(') !== (token.text === ')')) {
        throw new UntranslatableSqlError(
          'unbalanced brackets',
          sqlExcerpt(sql, token.offset),
          context,
        );
      }
      const group: SqlGroup = {
        kind: 'group',
        open: frame.open,
        children: frame.children,
        offset: frame.offset,
      };
      (stack.at(-1)?.children ?? root).push(group);
    } else {
      target.push(token);
    }
  }
  const unclosed = stack.at(-1);
  if (unclosed !== undefined) {
    throw new UntranslatableSqlError(
      'unbalanced brackets',
      sqlExcerpt(sql, unclosed.offset),
      context,
    );
  }
  return root;
}
