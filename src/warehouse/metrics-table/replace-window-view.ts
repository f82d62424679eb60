import { metricsTableName, metricsViewName } from '../../analysis/table-names.js';
import type { MetricsTableSpec } from '../metrics-table-spec.js';
import { windowUnionView } from '../sql/window-union-view.js';
import type { TableNamer } from '../sql/table-namer.js';
import type { JobContext, Warehouse } from '../warehouse.js';

/**
 * (Re)creates the period's metrics view `<slug>_<basis>_<suffix>` over every window table of
 * that period and basis that exists, with `window_index` (jetstream's view).
 */
export async function replaceWindowView(
  warehouse: Warehouse,
  spec: Pick<MetricsTableSpec, 'slug' | 'basis' | 'period'>,
  options: { readonly tables: TableNamer; readonly job?: JobContext },
): Promise<void> {
  const windows = [];
  for (const info of await warehouse.listTables(spec.slug)) {
    const match = /_([0-9]+)$/.exec(info.name);
    const windowIndex = Number(match?.[1] ?? 0);
    if (windowIndex < 1) continue;
    if (info.name === metricsTableName(spec.slug, spec.basis, spec.period, windowIndex)) {
      windows.push({ table: info.name, windowIndex });
    }
  }
  if (windows.length === 0) return;
  const view = metricsViewName(spec.slug, spec.basis, spec.period);
  await warehouse.replaceView(view, windowUnionView(windows, options.tables), options.job);
}
