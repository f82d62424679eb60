import { enrollmentsTableName } from '../../analysis/table-names.js';
import type { MetricReadSpec, MetricValues } from '../metric-read-spec.js';
import { buildBranchesQuery } from '../sql/client-count-query.js';
import { buildMetricQuery } from '../sql/metric-query.js';
import type { TableNamer } from '../sql/table-namer.js';
import { TableNotFoundError } from '../warehouse-errors.js';
import type { BigQueryContext } from './bigquery-context.js';
import { getTableInfo } from './bigquery-table-meta.js';
import { queryPages, runQuery, startQueryJob } from './query-job.js';
import { readTypedColumns, type TypedColumnKind } from './typed-result-reader.js';
import { cellValue, textCell } from './wire-values.js';

/** Configured branches first, then any other branch found in the enrollments table. */
async function branchesOf(
  context: BigQueryContext,
  tables: TableNamer,
  spec: MetricReadSpec,
): Promise<string[]> {
  const query = buildBranchesQuery(spec.slug, tables);
  const { rows } = await runQuery(context, { ...query, purpose: `branches of ${spec.slug}` });
  const branches = [...spec.branches];
  for (const row of rows) {
    const branch = textCell(cellValue(row, 0));
    if (branch !== null && !branches.includes(branch)) branches.push(branch);
  }
  return branches;
}

/**
 * {@link Warehouse.readMetric} on BigQuery: the metric query (clients of unknown branches
 * dropped), its result pages parsed straight into typed arrays by column type — no SQL casts,
 * since BigQuery cannot CAST a BOOL metric to FLOAT64.
 */
export async function readBigQueryMetric(
  context: BigQueryContext,
  tables: TableNamer,
  spec: MetricReadSpec,
): Promise<MetricValues> {
  buildMetricQuery(spec, tables); // validates every name before any request
  const table = enrollmentsTableName(spec.slug);
  if ((await getTableInfo(context, table)) === null) {
    throw new TableNotFoundError(`no enrollments table ${table} for experiment ${spec.slug}`);
  }
  const branches = await branchesOf(context, tables, spec);
  const { query, columns } = buildMetricQuery({ ...spec, branches }, tables);
  const purpose = `metric query of ${spec.slug} (${spec.metrics.map((m) => m.name).join(', ')})`;
  const sql = `SELECT q.* FROM (\n${query.sql}\n) q\nWHERE q.branch_index >= 0`;
  const job = await startQueryJob(context, { sql, params: query.params, purpose });
  const names = ['branch_index', ...columns.values, ...columns.segments];
  const kinds: TypedColumnKind[] = [
    'u16',
    ...columns.values.map((): TypedColumnKind => 'f64'),
    ...columns.segments.map((): TypedColumnKind => 'u8'),
  ];
  const read = await readTypedColumns(queryPages(context, job, purpose), names, kinds);
  const [branch, ...rest] = read.columns;
  const values: Record<string, Float64Array> = {};
  columns.values.forEach((name, i) => (values[name] = rest[i] as Float64Array));
  const segments: Record<string, Uint8Array> = {};
  const offset = columns.values.length;
  columns.segments.forEach((name, i) => (segments[name] = rest[offset + i] as Uint8Array));
  return { branches, branch: branch as Uint16Array, columns: values, segments, clients: read.rows };
}
