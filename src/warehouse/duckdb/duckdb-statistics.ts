import { safeIdentifier } from '../../analysis/sql-identifier.js';
import type { StatisticRow } from '../../stats/statistic-row.js';
import type { StatisticsTableMeta } from '../warehouse.js';
import { TableNotFoundError, WarehouseError } from '../warehouse-errors.js';
import { lastUpdatedLabel, type DuckDbContext } from './duckdb-context.js';
import { writeTableFile } from './parquet-table-file.js';
import { loadTempTable, type RowColumn } from './row-table-writer.js';
import { numberOrNull, stringOrNull } from './row-values.js';
import { pathLiteral } from './sql-literal.js';
import { RESULTS_DATASET, tableFilePath } from './warehouse-layout.js';

const text = (pick: (row: StatisticRow) => string | null) => pick;
/** NaN and ±∞ are stored as NULL, as the statistics schema requires. */
const num = (pick: (row: StatisticRow) => number | null) => (row: StatisticRow) => {
  const value = pick(row);
  return value !== null && Number.isFinite(value) ? value : null;
};

/** The statistics table's columns, in jetstream's order (spec/analysis.md §3). */
const STATISTIC_COLUMNS: readonly RowColumn<StatisticRow>[] = [
  { name: 'metric', type: 'VARCHAR', value: text((r) => r.metric) },
  { name: 'statistic', type: 'VARCHAR', value: text((r) => r.statistic) },
  { name: 'parameter', type: 'VARCHAR', value: text((r) => r.parameter) },
  { name: 'branch', type: 'VARCHAR', value: text((r) => r.branch) },
  { name: 'comparison', type: 'VARCHAR', value: text((r) => r.comparison) },
  { name: 'comparison_to_branch', type: 'VARCHAR', value: text((r) => r.comparison_to_branch) },
  { name: 'ci_width', type: 'DOUBLE', value: num((r) => r.ci_width) },
  { name: 'point', type: 'DOUBLE', value: num((r) => r.point) },
  { name: 'lower', type: 'DOUBLE', value: num((r) => r.lower) },
  { name: 'upper', type: 'DOUBLE', value: num((r) => r.upper) },
  { name: 'segment', type: 'VARCHAR', value: text((r) => r.segment) },
  { name: 'analysis_basis', type: 'VARCHAR', value: text((r) => r.analysis_basis) },
];

/** {@link Warehouse.replaceStatistics} on DuckDB: temp table → Parquet → atomic rename. */
export async function replaceDuckDbStatistics(
  context: DuckDbContext,
  table: string,
  rows: readonly StatisticRow[],
  meta: StatisticsTableMeta,
): Promise<void> {
  const file = tableFilePath(context.session.dir, RESULTS_DATASET, table);
  const temp = await loadTempTable(
    context.session,
    `statistics_rows_${table}`,
    STATISTIC_COLUMNS,
    rows,
  );
  try {
    const labels = { ...meta.labels, last_updated: lastUpdatedLabel(context.now) };
    const fileMeta = { labels, description: meta.description };
    await writeTableFile(context.session, `SELECT * FROM ${temp}`, file, fileMeta, 'replace');
  } finally {
    await context.session.run(`DROP TABLE IF EXISTS ${temp}`, {}, 'drop temporary statistics');
  }
}

function parseBasis(value: unknown, table: string): StatisticRow['analysis_basis'] {
  if (value === 'enrollments' || value === 'exposures') return value;
  throw new WarehouseError(`${table}: bad analysis_basis ${JSON.stringify(value)}`);
}

function parseComparison(value: unknown, table: string): StatisticRow['comparison'] {
  if (value === null || value === 'difference' || value === 'relative_uplift') return value;
  throw new WarehouseError(`${table}: bad comparison ${JSON.stringify(value)}`);
}

/** {@link Warehouse.readStatistics} on DuckDB, straight from the table file. */
export async function readDuckDbStatistics(
  context: DuckDbContext,
  table: string,
): Promise<StatisticRow[]> {
  const file = tableFilePath(
    context.session.dir,
    RESULTS_DATASET,
    safeIdentifier(table, 'table name'),
  );
  const rows = await context.session.snapshots.withPinned(file, (pinned) =>
    context.session.rows(`SELECT * FROM read_parquet(${pathLiteral(pinned)})`, {}, `read ${table}`),
  );
  if (rows === null) throw new TableNotFoundError(`no statistics table ${table}`);
  return rows.map((row) => ({
    metric: stringOrNull(row.metric) ?? '',
    statistic: stringOrNull(row.statistic) ?? '',
    parameter: stringOrNull(row.parameter),
    branch: stringOrNull(row.branch) ?? '',
    comparison: parseComparison(row.comparison ?? null, table),
    comparison_to_branch: stringOrNull(row.comparison_to_branch),
    ci_width: numberOrNull(row.ci_width),
    point: numberOrNull(row.point),
    lower: numberOrNull(row.lower),
    upper: numberOrNull(row.upper),
    segment: stringOrNull(row.segment) ?? '',
    analysis_basis: parseBasis(row.analysis_basis, table),
  }));
}
