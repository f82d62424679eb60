import { createDuckDbWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import type { StatisticRow } from '../../src/stats/statistic-row.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';

/** Every statistics table of a warehouse folder, read into memory (name → rows, sorted). */
export async function readAllStatistics(dir: string): Promise<Map<string, StatisticRow[]>> {
  const warehouse = await createDuckDbWarehouse({ dir });
  try {
    return await statisticsOf(warehouse);
  } finally {
    await warehouse.close();
  }
}

/** name → rows (sorted into a canonical order, so two runs compare row for row). */
export async function statisticsOf(warehouse: Warehouse): Promise<Map<string, StatisticRow[]>> {
  const tables = (await warehouse.listTables()).filter((t) => t.kind === 'statistics');
  const out = new Map<string, StatisticRow[]>();
  for (const table of tables.sort((a, b) => a.name.localeCompare(b.name))) {
    out.set(table.name, sortRows(await warehouse.readStatistics(table.name)));
  }
  return out;
}

/** Rows in a canonical order. */
export function sortRows(rows: readonly StatisticRow[]): StatisticRow[] {
  const key = (r: StatisticRow) =>
    [
      r.metric,
      r.statistic,
      r.segment,
      r.analysis_basis,
      r.branch,
      r.comparison ?? '',
      r.comparison_to_branch ?? '',
      r.parameter ?? '',
    ].join('\u0000');
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
