import { safeIdentifier } from '../../analysis/sql-identifier.js';
import type { SqlQuery } from './sql-query.js';
import type { TableNamer } from './table-namer.js';

/**
 * A view's query over a period's window tables, adding `window_index` (jetstream's views:
 * `<slug>_<basis>_<suffix>`, `statistics_<slug>_<suffix>`): one `SELECT *, <n> AS window_index`
 * per window table, joined with UNION ALL, in window order.
 * @throws RangeError for no tables; UnsafeIdentifierError for a bad name.
 */
export function windowUnionView(
  windows: readonly { readonly table: string; readonly windowIndex: number }[],
  tables: TableNamer,
): SqlQuery {
  if (windows.length === 0) throw new RangeError('a window view needs at least one table');
  const sorted = [...windows].sort((a, b) => a.windowIndex - b.windowIndex);
  const selects = sorted.map((w) => {
    if (!Number.isSafeInteger(w.windowIndex) || w.windowIndex < 1) {
      throw new RangeError(`bad window index ${w.windowIndex}`);
    }
    const table = tables.result(safeIdentifier(w.table, 'table name'));
    return `SELECT *, ${w.windowIndex} AS window_index FROM ${table}`;
  });
  return { sql: selects.join('\nUNION ALL\n'), params: {} };
}
