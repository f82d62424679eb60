/**
 * Fills the Python `str.format` placeholders mozanalysis fills at query time: `{experiment_slug}`
 * in select expressions and `{dataset}` in from expressions. Only the named placeholders are
 * replaced; any other brace text is left alone.
 */
export function fillSqlPlaceholders(
  sql: string,
  values: Readonly<Record<string, string | undefined>>,
): string {
  return sql.replace(/\{([a-z_]+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** True when `sql` contains the `{name}` placeholder. */
export function hasSqlPlaceholder(sql: string, name: string): boolean {
  return sql.includes(`{${name}}`);
}
