import { buildSqlTree } from './build-sql-tree.js';
import { renderDuckDbSql } from './render-duckdb-sql.js';
import type { RewriteContext, TranslateOptions } from './rewrite-context.js';
import { rewriteNodes } from './rewrite-nodes.js';
import type { SqlNode } from './sql-node.js';
import { tokenizeBigQuerySql } from './tokenize-big-query-sql.js';
import { sqlExcerpt, UntranslatableSqlError } from './untranslatable-sql-error.js';

/**
 * Translates BigQuery SQL as metric-hub writes it (a select expression, a from expression or a
 * whole query) to DuckDB SQL that runs after {@link duckDbPrelude}'s statements.
 *
 * Lexical changes: backtick names → double-quoted (project dropped from `project.dataset.table`),
 * `"…"` strings → `'…'`, comments → block comments. Function rewrites: see the `*-rewrites.ts`
 * files; `mozfun.*` and `udf.*` calls go to the prelude's macros.
 *
 * @throws UntranslatableSqlError naming the construct (and `options.context`) for SQL it cannot
 *   read or translate.
 */
export function toDuckDbSql(bigQuerySql: string, options: TranslateOptions = {}): string {
  const context = options.context ?? '';
  const tree = buildSqlTree(tokenizeBigQuerySql(bigQuerySql, context), bigQuerySql, context);
  const ctx: RewriteContext = {
    sql: bigQuerySql,
    options,
    rewrite: (nodes: readonly SqlNode[]) => rewriteNodes(nodes, ctx),
    render: (nodes: readonly SqlNode[]) => renderDuckDbSql(rewriteNodes(nodes, ctx)).trim(),
    fail: (construct: string, offset: number): never => {
      throw new UntranslatableSqlError(construct, sqlExcerpt(bigQuerySql, offset), context);
    },
  };
  return renderDuckDbSql(rewriteNodes(tree, ctx));
}
