import { enrollmentsTableName } from '../../analysis/table-names.js';
import type { MetricReadSpec, MetricValues } from '../metric-read-spec.js';
import { buildBranchesQuery } from '../sql/client-count-query.js';
import { buildMetricQuery } from '../sql/metric-query.js';
import { TableNotFoundError } from '../warehouse-errors.js';
import type { DuckDbContext } from './duckdb-context.js';
import { toDuckDbStatement } from './duckdb-dialect.js';
import { readTypedColumns, type ColumnKind } from './typed-column-reader.js';
import { RESULTS_DATASET } from './warehouse-layout.js';

/** Configured branches first, then any other branch found in the enrollments table. */
async function branchesOf(context: DuckDbContext, spec: MetricReadSpec): Promise<string[]> {
  const statement = toDuckDbStatement(
    buildBranchesQuery(spec.slug, context.tables),
    context.dialect,
  );
  const rows = await context.session.rows(statement.sql, statement.params, 'branches query');
  const branches = [...spec.branches];
  for (const row of rows) {
    if (typeof row.branch === 'string' && !branches.includes(row.branch)) branches.push(row.branch);
  }
  return branches;
}

/**
 * {@link Warehouse.readMetric} on DuckDB: the metric query, wrapped so every column has a
 * fixed-width type (branch index USMALLINT, values DOUBLE, segments UTINYINT), read chunk by
 * chunk straight into typed arrays.
 */
export async function readDuckDbMetric(
  context: DuckDbContext,
  spec: MetricReadSpec,
): Promise<MetricValues> {
  buildMetricQuery(spec, context.tables); // validates every name before any query runs
  const table = enrollmentsTableName(spec.slug);
  await context.session.syncViews();
  if (!context.session.hasView(RESULTS_DATASET, table)) {
    throw new TableNotFoundError(`no enrollments table ${table} for experiment ${spec.slug}`);
  }
  const branches = await branchesOf(context, spec);
  const { query, columns } = buildMetricQuery({ ...spec, branches }, context.tables);
  const statement = toDuckDbStatement(query, context.dialect);
  const selects = [
    'CAST(q.branch_index AS USMALLINT)',
    ...columns.values.map((name) => `CAST(q."${name}" AS DOUBLE)`),
    ...columns.segments.map((name) => `CAST(COALESCE(q."${name}", FALSE) AS UTINYINT)`),
  ];
  const sql = `SELECT ${selects.join(', ')} FROM (${statement.sql}) q WHERE q.branch_index >= 0`;
  const kinds: ColumnKind[] = [
    'u16',
    ...columns.values.map((): ColumnKind => 'f64'),
    ...columns.segments.map((): ColumnKind => 'u8'),
  ];
  const purpose = `metric query of ${spec.slug} (${spec.metrics.map((m) => m.name).join(', ')})`;
  const read = await context.session.guard(purpose, async () =>
    readTypedColumns(await context.session.connection.run(sql, statement.params), kinds),
  );
  const [branch, ...rest] = read.columns;
  const values: Record<string, Float64Array> = {};
  columns.values.forEach((name, i) => (values[name] = rest[i] as Float64Array));
  const segments: Record<string, Uint8Array> = {};
  const offset = columns.values.length;
  columns.segments.forEach((name, i) => (segments[name] = rest[offset + i] as Uint8Array));
  return { branches, branch: branch as Uint16Array, columns: values, segments, clients: read.rows };
}
