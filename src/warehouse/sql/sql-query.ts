/** A value bound to a named query parameter (`@name` in BigQuery SQL). Dates travel as strings. */
export type SqlParamValue = string | number | boolean;

/**
 * A query in BigQuery SQL with its named parameters. Builders put every value in `params`
 * (referenced as `@name`), never in the text; only validated identifiers and integers that the
 * builder produced itself appear inline.
 */
export interface SqlQuery {
  readonly sql: string;
  readonly params: Readonly<Record<string, SqlParamValue>>;
}

/**
 * The parameters `sql` references (`@name`), so no unused parameter is sent: DuckDB rejects
 * them, and a smaller parameter list keeps BigQuery job configs readable.
 */
export function usedParams(
  sql: string,
  params: Readonly<Record<string, SqlParamValue>>,
): Record<string, SqlParamValue> {
  const referenced = new Set([...sql.matchAll(/@([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]));
  return Object.fromEntries(Object.entries(params).filter(([name]) => referenced.has(name)));
}
