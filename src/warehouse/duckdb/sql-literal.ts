/**
 * A DuckDB string literal for a file path we built ourselves (DuckDB cannot bind file names of
 * `read_parquet` / `COPY` as parameters). Quotes are doubled; NUL is refused.
 * @throws RangeError for a path containing NUL.
 */
export function pathLiteral(file: string): string {
  if (file.includes('\u0000')) throw new RangeError(`path contains NUL: ${JSON.stringify(file)}`);
  return `'${file.replaceAll("'", "''")}'`;
}

/**
 * A DuckDB string literal carrying arbitrary text as base64 (only `[A-Za-z0-9+/=]` inside the
 * quotes), for places that cannot take parameters such as `COPY … (KV_METADATA {…})`.
 */
export function base64Literal(text: string): string {
  return `'${Buffer.from(text, 'utf8').toString('base64')}'`;
}
