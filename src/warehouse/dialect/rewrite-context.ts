import type { SqlGroup, SqlNode } from './sql-node.js';

/** Options of one translation. */
export interface TranslateOptions {
  /** What the SQL belongs to (e.g. `metric active_hours`); named in error messages. */
  readonly context?: string;
  /**
   * The date `CURRENT_DATE()` stands for (ISO `YYYY-MM-DD`). Time is a parameter: without it
   * `CURRENT_DATE()` becomes DuckDB's `current_date`.
   */
  readonly currentDate?: string;
  /** More BigQuery project names to drop from `project.dataset.table` references. */
  readonly projects?: readonly string[];
}

/** State shared by the rewrite rules of one translation. */
export interface RewriteContext {
  /** The original BigQuery text, for error excerpts. */
  readonly sql: string;
  readonly options: TranslateOptions;
  /** Rewrites a node list (recursively) to DuckDB nodes. */
  rewrite(nodes: readonly SqlNode[]): SqlNode[];
  /** Rewrites a node list and renders it as trimmed DuckDB text. */
  render(nodes: readonly SqlNode[]): string;
  /** Throws an `UntranslatableSqlError` naming `construct`, with an excerpt at `offset`. */
  fail(construct: string, offset: number): never;
}

/** A function call found in the BigQuery text. */
export interface CallSite {
  /** Upper-case name without project or `SAFE.` prefix, e.g. `DATE_DIFF`, `MOZFUN.MAP.GET_KEY`. */
  readonly name: string;
  /** The `(...)` group of the call. */
  readonly group: SqlGroup;
  /** The arguments: the group's nodes split at top-level commas. */
  readonly args: readonly (readonly SqlNode[])[];
  /** Upper-case next word after the call (`OVER`, `FILTER`…) or `''`. */
  readonly followedBy: string;
  readonly offset: number;
}

/** Rewrites one BigQuery call to a DuckDB operand (a call, a parenthesized expression…). */
export type FunctionRewrite = (call: CallSite, ctx: RewriteContext) => string;
