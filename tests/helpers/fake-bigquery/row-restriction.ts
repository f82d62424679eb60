import type { DuckDBValue } from '@duckdb/node-api';

/** A row restriction the fake understands, as DuckDB SQL over bound parameters. */
export interface RestrictionSql {
  /** `WHERE …` (with a leading space) or empty. */
  readonly where: string;
  readonly params: Record<string, DuckDBValue>;
}

const COMPARISON =
  /^\s*`?([A-Za-z_][A-Za-z0-9_]*)`?\s*(=|!=|<>)\s*('(?:[^'\\]|\\.)*'|-?\d+(?:\.\d+)?|TRUE|FALSE)\s*$/i;
const IS_NULL = /^\s*`?([A-Za-z_][A-Za-z0-9_]*)`?\s+IS\s+(NOT\s+)?NULL\s*$/i;

function literal(text: string): DuckDBValue {
  if (text.startsWith("'")) return text.slice(1, -1).replace(/\\(.)/g, '$1');
  if (/^(TRUE|FALSE)$/i.test(text)) return text.toUpperCase() === 'TRUE';
  return Number(text);
}

/**
 * Translates the simple `read_options.row_restriction`s the fake supports — empty, `col = 'x'`,
 * `col != 3`, `col = TRUE`, `col IS [NOT] NULL` — or returns null for anything else.
 */
export function restrictionSql(restriction: string): RestrictionSql | null {
  if (restriction.trim() === '') return { where: '', params: {} };
  const isNull = IS_NULL.exec(restriction);
  if (isNull) {
    return { where: ` WHERE "${isNull[1]}" IS ${isNull[2] ? 'NOT ' : ''}NULL`, params: {} };
  }
  const match = COMPARISON.exec(restriction);
  if (!match) return null;
  const operator = match[2] === '=' ? '=' : '<>';
  return {
    where: ` WHERE "${match[1]}" ${operator} $restriction`,
    params: { restriction: literal(match[3]!) },
  };
}
