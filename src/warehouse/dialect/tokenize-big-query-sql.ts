import { decodeBigQueryEscapes } from './decode-big-query-escapes.js';
import type { SqlToken, SqlTokenKind } from './sql-node.js';
import { sqlExcerpt, UntranslatableSqlError } from './untranslatable-sql-error.js';

/**
 * Splits BigQuery (GoogleSQL) text into tokens: whitespace, `--`/`#`/block comments, string and
 * bytes literals (`'…'`, `"…"`, triple-quoted, `r`/`b` prefixes, with escapes decoded), numbers
 * (including `0x` hex), words, backtick identifiers, `@params`, operators and brackets.
 *
 * @throws UntranslatableSqlError for unterminated literals/comments, bad escapes, `{`/`}`
 *   (unrendered template placeholders) and characters that are not BigQuery SQL.
 */
export function tokenizeBigQuerySql(sql: string, context = ''): SqlToken[] {
  const tokens: SqlToken[] = [];
  let at = 0;
  while (at < sql.length) {
    const token = readDashedProject(sql, at, tokens) ?? readToken(sql, at, context);
    tokens.push(token.token);
    at = token.next;
  }
  return tokens;
}

/** Matches a sticky regular expression at `at` without copying the text. */
function matchAt(pattern: RegExp, sql: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(sql);
}

const DASHED_PROJECT =
  /[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)+(?=\.[A-Za-z_`][\w`-]*\.[A-Za-z_`])/y;

/**
 * BigQuery accepts an unquoted dashed project name in a table path (`FROM my-project.dataset.t`).
 * Read it as one quoted identifier where a table name can start: at the start of the text or
 * after FROM/JOIN; elsewhere `a-b` stays a subtraction.
 */
function readDashedProject(sql: string, at: number, tokens: readonly SqlToken[]): Read | undefined {
  const match = matchAt(DASHED_PROJECT, sql, at);
  if (match === null) return undefined;
  let back = tokens.length - 1;
  while (back >= 0 && (tokens[back]!.kind === 'space' || tokens[back]!.kind === 'comment')) {
    back -= 1;
  }
  const previous = tokens[back];
  const tableStart =
    previous === undefined || (previous.kind === 'word' && /^(FROM|JOIN)$/i.test(previous.text));
  return tableStart
    ? { token: { kind: 'quoted', text: match[0], offset: at }, next: at + match[0].length }
    : undefined;
}

interface Read {
  readonly token: SqlToken;
  readonly next: number;
}

const OPERATORS = [
  '<>',
  '!=',
  '>=',
  '<=',
  '||',
  '<<',
  '>>',
  '=>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '=',
  '<',
  '>',
  ',',
  '.',
  ';',
  ':',
  '&',
  '|',
  '^',
  '~',
  '!',
  '?',
];

const SPACE = /\s+/y;
const LINE_COMMENT = /(?:--|#)[^\n]*/y;
const STRING_START = /([rRbB]{0,2})('''|"""|'|")/y;
const NUMBER = /0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const PARAM = /@@?[A-Za-z_][A-Za-z0-9_]*/y;

function readToken(sql: string, at: number, context: string): Read {
  const space = matchAt(SPACE, sql, at);
  if (space !== null) return tokenOf('space', space[0], at);
  const comment = matchAt(LINE_COMMENT, sql, at);
  if (comment !== null) {
    const text = comment[0].slice(comment[0].startsWith('#') ? 1 : 2);
    return { token: { kind: 'comment', text, offset: at }, next: at + comment[0].length };
  }
  if (sql.startsWith('/*', at)) return readBlockComment(sql, at, context);
  const literal = matchAt(STRING_START, sql, at);
  if (literal !== null && /^(|r|b|rb|br)$/i.test(literal[1]!)) {
    return readString(sql, at, literal[1]!.toLowerCase(), literal[2]!, context);
  }
  return readOther(sql, at, context);
}

function readOther(sql: string, at: number, context: string): Read {
  const number = matchAt(NUMBER, sql, at);
  if (number !== null) return tokenOf('number', number[0], at);
  const word = matchAt(WORD, sql, at);
  if (word !== null) return tokenOf('word', word[0], at);
  if (sql[at] === '`') return readBacktick(sql, at, context);
  const param = matchAt(PARAM, sql, at);
  if (param !== null) return tokenOf('param', param[0], at);
  const ch = sql[at]!;
  if (ch === '(' || ch === '[') return tokenOf('open', ch, at);
  if (ch === ')' || ch === ']') return tokenOf('close', ch, at);
  const op = OPERATORS.find((o) => sql.startsWith(o, at));
  if (op !== undefined) return tokenOf('op', op, at);
  const construct =
    ch === '{' || ch === '}'
      ? 'unrendered template placeholder'
      : `character ${JSON.stringify(ch)}`;
  throw new UntranslatableSqlError(construct, sqlExcerpt(sql, at), context);
}

function tokenOf(kind: SqlTokenKind, text: string, at: number): Read {
  return { token: { kind, text, offset: at }, next: at + text.length };
}

function readBlockComment(sql: string, at: number, context: string): Read {
  const end = sql.indexOf('*/', at + 2);
  if (end < 0) {
    throw new UntranslatableSqlError('unterminated comment', sqlExcerpt(sql, at), context);
  }
  return { token: { kind: 'comment', text: sql.slice(at + 2, end), offset: at }, next: end + 2 };
}

/** Finds the end of a quoted body: the first unescaped `quote` at or after `from`. */
function findClosing(sql: string, from: number, quote: string): number {
  let i = from;
  while (i < sql.length) {
    if (sql[i] === '\\') i += 2;
    else if (sql.startsWith(quote, i)) return i;
    else i += 1;
  }
  return -1;
}

function readString(sql: string, at: number, prefix: string, quote: string, context: string): Read {
  const bodyStart = at + prefix.length + quote.length;
  const end = findClosing(sql, bodyStart, quote);
  if (end < 0) {
    throw new UntranslatableSqlError('unterminated string literal', sqlExcerpt(sql, at), context);
  }
  const body = sql.slice(bodyStart, end);
  const decoded = prefix.includes('r') ? { value: body } : decodeBigQueryEscapes(body);
  if ('error' in decoded) {
    throw new UntranslatableSqlError(decoded.error, sqlExcerpt(sql, at), context);
  }
  const kind: SqlTokenKind = prefix.includes('b') ? 'bytes' : 'string';
  return { token: { kind, text: decoded.value, offset: at }, next: end + quote.length };
}

function readBacktick(sql: string, at: number, context: string): Read {
  const end = findClosing(sql, at + 1, '`');
  if (end < 0) {
    throw new UntranslatableSqlError(
      'unterminated backtick identifier',
      sqlExcerpt(sql, at),
      context,
    );
  }
  const decoded = decodeBigQueryEscapes(sql.slice(at + 1, end));
  if ('error' in decoded) {
    throw new UntranslatableSqlError(decoded.error, sqlExcerpt(sql, at), context);
  }
  if (/[{}]/.test(decoded.value)) {
    throw new UntranslatableSqlError(
      'unrendered template placeholder',
      sqlExcerpt(sql, at),
      context,
    );
  }
  return { token: { kind: 'quoted', text: decoded.value, offset: at }, next: end + 1 };
}
