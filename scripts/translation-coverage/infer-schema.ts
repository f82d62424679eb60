/**
 * Infers the tables and columns a BigQuery SQL text needs: every column reference gets a type
 * from its usage (see usage-hints.ts); `a.b.c` paths become nested structs, `UNNEST(x) AS e`
 * makes `x` a list whose element has the fields used through `e`.
 */
import { buildSqlTree } from '../../src/warehouse/dialect/build-sql-tree.js';
import { splitArguments } from '../../src/warehouse/dialect/call-arguments.js';
import { DATE_PARTS } from '../../src/warehouse/dialect/operator-rewrites.js';
import { dropProject, readNamePath } from '../../src/warehouse/dialect/qualified-name.js';
import { isCallName, isSyntaxWord } from '../../src/warehouse/dialect/sql-keywords.js';
import {
  isGroup,
  isWord,
  nextSignificant,
  significant,
  textOf,
  type SqlNode,
} from '../../src/warehouse/dialect/sql-node.js';
import { tokenizeBigQuerySql } from '../../src/warehouse/dialect/tokenize-big-query-sql.js';
import { listOf, mergeTypes, scalar, type ColumnType, type Hint } from './column-type.js';
import { argumentHints, nameHint, neighbourHint } from './usage-hints.js';

/** Tables (`dataset.table`) and the merged columns every one of them gets. */
export interface InferredSchema {
  readonly tables: readonly string[];
  readonly columns: ReadonlyMap<string, ColumnType>;
}

type Sink = (type: ColumnType) => void;

/** How a name in a FROM clause binds: a table (strip it), a derived table (ignore) or an UNNEST element. */
type Binding =
  | { readonly kind: 'table' }
  | { readonly kind: 'derived' }
  | { readonly kind: 'element'; readonly sink?: Sink };

interface Scope {
  readonly bindings: Map<string, Binding>;
  /** Where bare names go: the base columns, or the element of an unaliased UNNEST. */
  readonly bare: (path: readonly string[]) => Sink | undefined;
}

interface State {
  readonly columns: Map<string, ColumnType>;
  readonly tables: Set<string>;
}

const nest = (path: readonly string[], leaf: ColumnType): ColumnType =>
  path.length === 0
    ? leaf
    : { kind: 'struct', fields: new Map([[path[0]!, nest(path.slice(1), leaf)]]) };

function baseSink(state: State, path: readonly string[]): Sink {
  return (type) => {
    const name = path[0]!;
    const known = state.columns.get(name);
    const added = nest(path.slice(1), type);
    state.columns.set(name, known === undefined ? added : mergeTypes(known, added));
  };
}

function resolve(path: readonly string[], scope: Scope): Sink | undefined {
  const binding = scope.bindings.get(path[0]!.toLowerCase());
  if (binding?.kind === 'derived') return undefined;
  if (binding?.kind === 'table') return scope.bare(path.length > 1 ? path.slice(1) : path);
  if (binding?.kind === 'element') {
    const sink = binding.sink;
    return sink === undefined ? undefined : (type) => sink(listOf(nest(path.slice(1), type)));
  }
  return scope.bare(path);
}

/** Infers the schema a select expression (`kind: 'select'`) or from expression needs. */
export function inferSchema(sql: string, kind: 'select' | 'from'): InferredSchema {
  const tree = buildSqlTree(tokenizeBigQuerySql(sql), sql);
  const state: State = { columns: new Map(), tables: new Set() };
  const scope: Scope = { bindings: new Map(), bare: (path) => baseSink(state, path) };
  const items = significant(tree);
  if (kind === 'from' && items.length === 1 && isGroup(items[0], '(')) {
    analyzeQuery(items[0].children, scope, state);
  } else if (kind === 'from' && isQuery(tree)) analyzeQuery(tree, scope, state);
  else if (kind === 'from') addTable(tree, 0, scope, state);
  else analyzeExpression(tree, undefined, scope, state);
  return { tables: [...state.tables], columns: state.columns };
}

function isQuery(nodes: readonly SqlNode[]): boolean {
  const first = significant(nodes)[0];
  return isWord(first, 'SELECT') || isWord(first, 'WITH');
}

/** Walks an expression, recording every column reference with its usage hint. */
function analyzeExpression(
  nodes: readonly SqlNode[],
  expected: Hint,
  scope: Scope,
  state: State,
): void {
  const items = significant(nodes);
  for (let at = 0; at < items.length; at += 1) {
    const node = items[at]!;
    if (node.kind === 'group') {
      if (isQuery(node.children)) analyzeQuery(node.children, scope, state);
      else {
        analyzeExpression(
          node.children,
          node.open === '[' ? undefined : neighbourHint(items, at, expected),
          scope,
          state,
        );
      }
    } else if (isWord(node, 'AS')) {
      at += 1;
    } else if (node.kind === 'word' || node.kind === 'quoted') {
      at = analyzeName(items, at, expected, scope, state);
    }
  }
}

function analyzeName(
  items: readonly SqlNode[],
  at: number,
  expected: Hint,
  scope: Scope,
  state: State,
): number {
  const path = readNamePath(items, at);
  const segments = dropProject(path.segments).map((s) => s.text);
  const last = path.next - 1;
  const call = items[path.next];
  const operandHint = (end: number): Hint =>
    neighbourHint([...items.slice(0, at), items[at]!, ...items.slice(end)], at, expected);
  if (isGroup(call, '(') && isCallName(path.segments)) {
    const name = segments
      .join('.')
      .toUpperCase()
      .replace(/^SAFE\./, '');
    analyzeCall(name, call.children, operandHint(path.next + 1), scope, state);
    return path.next;
  }
  if (
    segments.length === 1 &&
    (isSyntaxWord(segments[0]!) || DATE_PARTS.has(segments[0]!.toUpperCase()))
  ) {
    return last;
  }
  const subscripted = isGroup(items[path.next], '[');
  const hint = subscripted ? listOf(scalar('VARCHAR')) : operandHint(path.next);
  resolve(segments, scope)?.(hint ?? nameHint(segments.at(-1)!));
  return last;
}

function analyzeCall(
  name: string,
  children: readonly SqlNode[],
  callHint: Hint,
  scope: Scope,
  state: State,
): void {
  if (name === 'CAST' || name === 'SAFE_CAST' || name === 'EXTRACT') {
    const split = children.findIndex((n) => isWord(n, name === 'EXTRACT' ? 'FROM' : 'AS'));
    const typeName = textOf(significant(children.slice(split + 1))[0]).toUpperCase();
    const part = name === 'EXTRACT' ? children.slice(split + 1) : children.slice(0, split);
    analyzeExpression(part, name === 'EXTRACT' ? scalar('DATE') : castHint(typeName), scope, state);
    return;
  }
  if (name === 'UNNEST') return;
  const args = splitArguments(children);
  const hints = argumentHints(name, args, callHint);
  args.forEach((arg, i) => analyzeExpression(arg, hints[i], scope, state));
}

function castHint(typeName: string): Hint {
  if (/^(INT64|INT|INTEGER|BIGINT)$/.test(typeName)) return scalar('BIGINT');
  if (/^(FLOAT64|NUMERIC|BIGNUMERIC|DECIMAL)$/.test(typeName)) return scalar('DOUBLE');
  if (typeName === 'BOOL' || typeName === 'BOOLEAN') return scalar('BOOLEAN');
  if (typeName === 'DATE' || typeName === 'TIMESTAMP') return scalar(typeName);
  return scalar('VARCHAR');
}

const CLAUSES = new Set([
  'WITH',
  'SELECT',
  'FROM',
  'WHERE',
  'GROUP',
  'HAVING',
  'QUALIFY',
  'WINDOW',
  'ORDER',
  'LIMIT',
  'UNION',
  'EXCEPT',
  'INTERSECT',
]);

/** A SELECT query: FROM/WITH items bind names first, then every other clause is analyzed. */
function analyzeQuery(nodes: readonly SqlNode[], outer: Scope, state: State): void {
  const scope: Scope = { bindings: new Map(outer.bindings), bare: outer.bare };
  const clauses = splitClauses(nodes);
  for (const clause of clauses.filter((c) => c.keyword === 'WITH')) {
    analyzeWith(clause.nodes, scope, state);
  }
  let current = scope;
  for (const clause of clauses.filter((c) => c.keyword === 'FROM')) {
    current = analyzeFrom(clause.nodes, current, state);
  }
  const aliases = selectAliases(clauses.find((c) => c.keyword === 'SELECT')?.nodes ?? []);
  const late: Scope = { bindings: new Map(current.bindings), bare: current.bare };
  for (const alias of aliases) {
    if (!late.bindings.has(alias)) late.bindings.set(alias, { kind: 'derived' });
  }
  for (const clause of clauses.filter((c) => c.keyword !== 'FROM' && c.keyword !== 'WITH')) {
    const afterSelect = ['GROUP', 'ORDER', 'HAVING', 'QUALIFY'].includes(clause.keyword);
    analyzeExpression(clause.nodes, undefined, afterSelect ? late : current, state);
  }
}

/** Names given with `AS` in a select list (GROUP BY and ORDER BY may use them). */
function selectAliases(nodes: readonly SqlNode[]): string[] {
  const items = significant(nodes);
  return items.flatMap((n, i) => (isWord(items[i - 1], 'AS') ? [textOf(n).toLowerCase()] : []));
}

function splitClauses(nodes: readonly SqlNode[]): { keyword: string; nodes: SqlNode[] }[] {
  const clauses: { keyword: string; nodes: SqlNode[] }[] = [{ keyword: '', nodes: [] }];
  for (const node of nodes) {
    const word = node.kind === 'word' ? node.text.toUpperCase() : '';
    if (CLAUSES.has(word) && !(word === 'EXCEPT' && clauses.at(-1)!.keyword === 'SELECT')) {
      clauses.push({ keyword: word, nodes: [] });
    } else clauses.at(-1)!.nodes.push(node);
  }
  return clauses;
}

function analyzeWith(nodes: readonly SqlNode[], scope: Scope, state: State): void {
  const items = significant(nodes);
  for (let at = 0; at < items.length; at += 1) {
    const group = items[at + 2];
    if (
      (items[at]?.kind === 'word' || items[at]?.kind === 'quoted') &&
      isWord(items[at + 1], 'AS') &&
      isGroup(group, '(')
    ) {
      scope.bindings.set(textOf(items[at]).toLowerCase(), { kind: 'derived' });
      analyzeQuery(group.children, scope, state);
      at += 2;
    }
  }
}

const JOIN_WORDS = new Set(['JOIN', 'CROSS', 'LEFT', 'RIGHT', 'INNER', 'FULL', 'OUTER']);

/** FROM items: tables, sub-selects and UNNESTs, with their aliases; ON/USING expressions too. */
function analyzeFrom(nodes: readonly SqlNode[], scope: Scope, state: State): Scope {
  const items = significant(nodes);
  let current = scope;
  let condition: SqlNode[] | undefined;
  for (let at = 0; at < items.length; at += 1) {
    const node = items[at]!;
    const upper = textOf(node).toUpperCase();
    if (JOIN_WORDS.has(upper) || upper === ',') {
      if (condition !== undefined) analyzeExpression(condition, undefined, current, state);
      condition = undefined;
    } else if (condition === undefined) {
      const result = analyzeFromItem(items, at, current, state);
      current = result.scope;
      at = result.next - 1;
      condition = [];
    } else {
      condition.push(node);
    }
  }
  if (condition !== undefined) analyzeExpression(condition, undefined, current, state);
  return current;
}

function readAlias(items: readonly SqlNode[], from: number): { alias?: string; next: number } {
  let at = from;
  const explicit = isWord(items[at], 'AS');
  if (explicit) at += 1;
  const node = items[at];
  if (
    node?.kind === 'quoted' ||
    (node?.kind === 'word' && (explicit || !isSyntaxWord(node.text)))
  ) {
    return { alias: textOf(node).toLowerCase(), next: at + 1 };
  }
  return { next: from };
}

function analyzeFromItem(
  items: readonly SqlNode[],
  at: number,
  scope: Scope,
  state: State,
): { scope: Scope; next: number } {
  const node = items[at]!;
  const bindings = new Map(scope.bindings);
  if (isWord(node, 'UNNEST') && isGroup(items[at + 1], '(')) {
    const array = (items[at + 1] as { children: readonly SqlNode[] }).children;
    const sink = elementSink(array, scope);
    if (sink === undefined) analyzeExpression(array, undefined, scope, state);
    else sink(listOf(scalar('VARCHAR')));
    const alias = readAlias(items, at + 2);
    if (alias.alias !== undefined) {
      bindings.set(alias.alias, { kind: 'element', sink });
      return { scope: { bindings, bare: scope.bare }, next: alias.next };
    }
    const bare = (path: readonly string[]): Sink | undefined =>
      sink === undefined ? undefined : (type) => sink(listOf(nest(path, type)));
    return { scope: { bindings, bare }, next: at + 2 };
  }
  if (isGroup(node, '(')) {
    analyzeQuery(node.children, scope, state);
    const alias = readAlias(items, at + 1);
    if (alias.alias !== undefined) bindings.set(alias.alias, { kind: 'derived' });
    return { scope: { bindings, bare: scope.bare }, next: alias.next };
  }
  return addTable(items, at, { bindings, bare: scope.bare }, state);
}

/** Where an UNNEST's element types go: into the array column, or nowhere for computed arrays. */
function elementSink(array: readonly SqlNode[], scope: Scope): Sink | undefined {
  const items = significant(array);
  const path =
    items.length > 0 && (items[0]!.kind === 'word' || items[0]!.kind === 'quoted')
      ? readNamePath(items, 0)
      : undefined;
  if (path === undefined || path.next !== items.length) return undefined;
  const sink = resolve(
    path.segments.map((s) => s.text),
    scope,
  );
  return sink === undefined
    ? undefined
    : (type) => sink(type.kind === 'list' ? type : listOf(type));
}

function addTable(
  nodes: readonly SqlNode[],
  at: number,
  scope: Scope,
  state: State,
): { scope: Scope; next: number } {
  const items = significant(nodes);
  const start = nextSignificant(items, at);
  const path = readNamePath(items, start);
  const segments = dropProject(path.segments).map((s) => s.text);
  const name = segments.join('.');
  if (!scope.bindings.has(name.toLowerCase())) state.tables.add(name);
  const alias = readAlias(items, path.next);
  scope.bindings.set(
    alias.alias ?? segments.at(-1)!.toLowerCase(),
    scope.bindings.get(name.toLowerCase()) ?? { kind: 'table' },
  );
  return { scope, next: alias.next };
}
