import { quoteDuckDbIdentifier } from './render-duckdb-sql.js';
import { DUCKDB_RESERVED, isDuckDbOnlyKeyword, isSyntaxWord } from './sql-keywords.js';
import { isOp, textOf, type SqlNode } from './sql-node.js';

/** One part of a dotted name; `quoted` when it came from a backtick identifier. */
export interface NameSegment {
  readonly text: string;
  readonly quoted: boolean;
}

/** A dotted name read from the token list, and the index just after it. */
export interface NamePath {
  readonly segments: readonly NameSegment[];
  readonly next: number;
}

/** BigQuery projects whose `project.dataset.table` names become `dataset.table`. */
export const DEFAULT_PROJECTS: readonly string[] = [
  'moz-fx-data-shared-prod',
  'mozdata',
  'moz-fx-data-experiments',
  'moz-fx-data-marketing-prod',
];

function segmentsOf(node: SqlNode): NameSegment[] {
  if (node.kind === 'quoted') return node.text.split('.').map((text) => ({ text, quoted: true }));
  return [{ text: textOf(node), quoted: false }];
}

/**
 * Reads a dotted name starting at `nodes[at]` (a word or backtick identifier): `a.b.c`,
 * `` `p.d.t` ``, `` `p`.d.t ``. A backtick identifier holding dots counts as several segments.
 */
export function readNamePath(nodes: readonly SqlNode[], at: number): NamePath {
  const first = nodes[at]!;
  const segments = segmentsOf(first);
  let next = at + 1;
  for (;;) {
    const after = nodes[next + 1];
    if (!isOp(nodes[next], '.') || (after?.kind !== 'word' && after?.kind !== 'quoted')) break;
    segments.push(...segmentsOf(after));
    next += 2;
  }
  return { segments, next };
}

/**
 * Drops a leading BigQuery project from names of three or more parts: a known project
 * (`mozdata`, `moz-fx-data-shared-prod`…) or any backtick-quoted first part holding a dash.
 */
export function dropProject(
  segments: readonly NameSegment[],
  projects: readonly string[] = [],
): readonly NameSegment[] {
  const head = segments[0];
  if (segments.length < 3 || head === undefined) return segments;
  const name = head.text.toLowerCase();
  const known = DEFAULT_PROJECTS.includes(name) || projects.includes(name);
  return known || (head.quoted && name.includes('-')) ? segments.slice(1) : segments;
}

const SIMPLE_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function needsQuotes(segment: NameSegment, single: boolean): boolean {
  if (!SIMPLE_IDENTIFIER.test(segment.text)) return true;
  const upper = segment.text.toUpperCase();
  if (!single || segment.quoted) return DUCKDB_RESERVED.has(upper);
  return isDuckDbOnlyKeyword(upper) && !isSyntaxWord(upper);
}

/** Writes a name for DuckDB, quoting the parts that are not plain identifiers there. */
export function renderNamePath(segments: readonly NameSegment[]): string {
  const single = segments.length === 1;
  return segments
    .map((s) => (needsQuotes(s, single) ? quoteDuckDbIdentifier(s.text) : s.text))
    .join('.');
}
