/**
 * Nodes of a tokenized SQL text. The tokenizer yields flat tokens; `buildSqlTree` nests the
 * bracketed parts into groups, so rewrite rules can treat `f(...)` and `x[...]` as units.
 */

/** Token kinds of BigQuery SQL, plus `sql` for text that is already DuckDB SQL. */
export type SqlTokenKind =
  | 'space'
  | 'comment'
  | 'string'
  | 'bytes'
  | 'number'
  | 'word'
  | 'quoted'
  | 'param'
  | 'op'
  | 'open'
  | 'close'
  | 'sql';

/** One lexical token. `text` is the decoded value for strings and backtick identifiers. */
export interface SqlToken {
  readonly kind: SqlTokenKind;
  readonly text: string;
  /** Offset of the token in the original BigQuery text (for error excerpts). */
  readonly offset: number;
  /** For `sql` nodes: true when the text is a complete operand (a call, a name, a literal). */
  readonly primary?: boolean;
}

/** A bracketed group: `(...)` or `[...]`, with the nodes between the brackets. */
export interface SqlGroup {
  readonly kind: 'group';
  readonly open: '(' | '[';
  readonly children: readonly SqlNode[];
  readonly offset: number;
}

/** A token or a bracketed group. */
export type SqlNode = SqlToken | SqlGroup;

/** True for whitespace and comments, which rewrite rules skip over. */
export function isTrivia(node: SqlNode | undefined): boolean {
  return node !== undefined && (node.kind === 'space' || node.kind === 'comment');
}

/** True when `node` is the bare word `word` (case-insensitive). */
export function isWord(node: SqlNode | undefined, word: string): boolean {
  return node?.kind === 'word' && node.text.toUpperCase() === word;
}

/** True when `node` is the operator token `op`. */
export function isOp(node: SqlNode | undefined, op: string): boolean {
  return node?.kind === 'op' && node.text === op;
}

/** True when `node` is a group opened by `open`. */
export function isGroup(node: SqlNode | undefined, open: '(' | '['): node is SqlGroup {
  return node?.kind === 'group' && node.open === open;
}

/** Index of the first non-trivia node at or after `from`, or `nodes.length`. */
export function nextSignificant(nodes: readonly SqlNode[], from: number): number {
  let i = from;
  while (i < nodes.length && isTrivia(nodes[i])) i += 1;
  return i;
}

/** The last non-trivia node of `nodes`, if any. */
export function lastSignificant(nodes: readonly SqlNode[]): SqlNode | undefined {
  for (let i = nodes.length - 1; i >= 0; i -= 1) {
    const node = nodes[i];
    if (!isTrivia(node)) return node;
  }
  return undefined;
}

/** The non-trivia nodes of `nodes`, in order. */
export function significant(nodes: readonly SqlNode[]): SqlNode[] {
  return nodes.filter((n) => !isTrivia(n));
}

/** The text of a token; `''` for a group. */
export function textOf(node: SqlNode | undefined): string {
  return node === undefined || node.kind === 'group' ? '' : node.text;
}

/** Makes a node holding DuckDB text. */
export function sqlText(text: string, offset: number, primary = true): SqlToken {
  return { kind: 'sql', text, offset, primary };
}
