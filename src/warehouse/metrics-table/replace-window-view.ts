import type { SqlQuery } from '../sql/sql-query.js';
import { windowUnionView } from '../sql/window-union-view.js';
import type { JobContext, Warehouse } from '../warehouse.js';

/** A period's view over its window tables. */
export interface WindowView {
  /** The experiment whose tables are listed. */
  readonly slug: string;
  /** The view, e.g. `<slug>_<basis>_weekly` or `statistics_<slug>_weekly`. */
  readonly view: string;
  /** The name of window `n`'s table. */
  readonly tableOf: (windowIndex: number) => string;
}

/**
 * (Re)creates a period's view over every window table of it that exists, adding `window_index`
 * (jetstream's views). Nothing is created while no window table exists.
 * @returns the view's query, or null when there was no table.
 */
export async function replaceWindowView(
  warehouse: Warehouse,
  target: WindowView,
  job?: JobContext,
): Promise<SqlQuery | null> {
  const windows = [];
  for (const info of await warehouse.listTables(target.slug)) {
    const windowIndex = Number(/_([0-9]+)$/.exec(info.name)?.[1] ?? 0);
    if (windowIndex >= 1 && info.name === target.tableOf(windowIndex)) {
      windows.push({ table: info.name, windowIndex });
    }
  }
  if (windows.length === 0) return null;
  const query = windowUnionView(windows, warehouse.tables);
  await warehouse.replaceView(target.view, query, job);
  return query;
}
