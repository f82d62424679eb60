import { quoteBigQueryIdentifier, safeIdentifier } from '../../analysis/sql-identifier.js';

/**
 * A column reference such as `client_info.client_id` (Glean data sources use nested fields),
 * validated part by part and quoted: `` `client_info`.`client_id` ``, prefixed with `alias.`.
 * @throws UnsafeIdentifierError when a part is not `[A-Za-z0-9_]`.
 */
export function columnPath(alias: string, path: string, what = 'column name'): string {
  const parts = path.split('.').map((part) => quoteBigQueryIdentifier(safeIdentifier(part, what)));
  return `${alias}.${parts.join('.')}`;
}

/** A validated, quoted output column name (`` `name` ``). */
export function columnName(name: string, what = 'column name'): string {
  return quoteBigQueryIdentifier(safeIdentifier(name, what));
}
