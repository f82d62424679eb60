import { ANALYSIS_PERIODS } from '../../analysis/analysis-period.js';
import { assertExperimentSlug, safeIdentifier } from '../../analysis/sql-identifier.js';
import { normalizeSlug } from '../../analysis/table-names.js';
import { tableKindOf, type TableInfo } from '../table-info.js';
import { removeIfPresent } from './commit-file.js';
import type { DuckDbContext } from './duckdb-context.js';
import { scanFolderTables } from './folder-tables.js';
import { readTableFileInfo } from './parquet-table-file.js';
import { RESULTS_DATASET, tableFilePath } from './warehouse-layout.js';

const STATISTICS_SUFFIX = new RegExp(`^(${ANALYSIS_PERIODS.join('|')})_[0-9]+$`);
const METRICS_SUFFIX = new RegExp(
  `^(enrollments|exposures)_(${ANALYSIS_PERIODS.join('|')})_[0-9]+$`,
);

/**
 * True when `table` is one of the experiment's result tables: `enrollments_<slug>`,
 * `statistics_<slug>_<period>_<n>` or the metrics table `<slug>_<basis>_<period>_<n>`
 * (exactly, so slug `a` does not claim `a_b`'s tables).
 */
export function belongsToSlug(table: string, slug: string): boolean {
  const normalized = normalizeSlug(assertExperimentSlug(slug));
  if (table === `enrollments_${normalized}`) return true;
  const prefix = `statistics_${normalized}_`;
  if (table.startsWith(prefix) && STATISTICS_SUFFIX.test(table.slice(prefix.length))) return true;
  const own = `${normalized}_`;
  return table.startsWith(own) && METRICS_SUFFIX.test(table.slice(own.length));
}

async function infoOf(
  context: DuckDbContext,
  name: string,
  file: string,
): Promise<TableInfo | null> {
  const meta = await readTableFileInfo(context.session, file);
  return meta ? { name, kind: tableKindOf(name), ...meta } : null;
}

/** {@link Warehouse.listTables} on DuckDB: the results dataset's table files, sorted by name. */
export async function listDuckDbTables(
  context: DuckDbContext,
  slug?: string,
): Promise<TableInfo[]> {
  if (slug !== undefined) assertExperimentSlug(slug);
  const tables = (await scanFolderTables(context.session.dir))
    .filter((t) => t.dataset === RESULTS_DATASET && !t.append)
    .filter((t) => slug === undefined || belongsToSlug(t.table, slug))
    .sort((a, b) => a.table.localeCompare(b.table));
  const infos: TableInfo[] = [];
  for (const table of tables) {
    const info = await infoOf(context, table.table, table.source); // null: dropped meanwhile
    if (info) infos.push(info);
  }
  return infos;
}

/** {@link Warehouse.tableInfo} on DuckDB. */
export async function duckDbTableInfo(
  context: DuckDbContext,
  name: string,
): Promise<TableInfo | null> {
  const file = tableFilePath(context.session.dir, RESULTS_DATASET, name);
  return infoOf(context, name, file);
}

/** {@link Warehouse.dropTables} on DuckDB: every name is validated before any file is removed. */
export async function dropDuckDbTables(
  context: DuckDbContext,
  names: readonly string[],
): Promise<void> {
  const files = names.map((name) =>
    tableFilePath(context.session.dir, RESULTS_DATASET, safeIdentifier(name, 'table name')),
  );
  for (const file of files) await removeIfPresent(file);
  await context.session.syncViews();
}
