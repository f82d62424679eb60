import type { TypedColumns } from '../warehouse.js';
import { WarehouseError } from '../warehouse-errors.js';

type Column = TypedColumns['columns'][number];

/**
 * Puts rows in `row_index` order (the first column, holding 1..n, a permutation): O(n) with one
 * scatter per column, no comparison sort. Columns already in order are returned as they are.
 * @throws WarehouseError when the first column is not a permutation of 1..rows.
 */
export function orderByRowIndex(typed: TypedColumns): TypedColumns {
  const index = typed.columns[0];
  const rows = typed.rows;
  if (!(index instanceof Float64Array)) {
    throw new WarehouseError('row_index must be read as the first (f64) column');
  }
  let ordered = true;
  const seen = new Uint8Array(rows);
  for (let i = 0; i < rows; i += 1) {
    const position = index[i]! - 1;
    if (!Number.isInteger(position) || position < 0 || position >= rows || seen[position] === 1) {
      throw new WarehouseError(`row_index is not a permutation of 1..${rows} (row ${i})`);
    }
    seen[position] = 1;
    if (position !== i) ordered = false;
  }
  if (ordered) return typed;
  const columns = typed.columns.map((column) => scatter(column, index, rows));
  return { rows, columns };
}

function scatter(column: Column, index: Float64Array, rows: number): Column {
  const out = new (column.constructor as new (n: number) => Column)(rows);
  for (let i = 0; i < rows; i += 1) out[index[i]! - 1] = column[i]!;
  return out;
}
