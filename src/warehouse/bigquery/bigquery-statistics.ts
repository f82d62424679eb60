import { coerceError } from '../../analysis/coerce-error.js';
import { safeIdentifier } from '../../analysis/sql-identifier.js';
import type { StatisticRow } from '../../stats/statistic-row.js';
import type { TableNamer } from '../sql/table-namer.js';
import type { StatisticsTableMeta } from '../warehouse.js';
import { TableNotFoundError, WarehouseError } from '../warehouse-errors.js';
import { lastUpdatedLabel, type BigQueryContext } from './bigquery-context.js';
import { isNotFound } from './bigquery-errors.js';
import { STATISTICS_FIELDS } from './bigquery-schemas.js';
import { patchTableMeta } from './bigquery-table-meta.js';
import { runLoadJob } from './load-job.js';
import { runQuery } from './query-job.js';
import { rowRecords } from './wire-values.js';

/** NUMERIC holds 29 integer digits and 9 decimals. */
const PLAIN_NUMERIC = /^-?\d{1,29}(\.\d{1,9})?$/;

/**
 * A `parameter` for the NUMERIC column: plain decimals as they are, other numeric text
 * (Python's `1e-05`) as a plain decimal; NUMERIC reads back in its canonical form (`0.00001`).
 * @throws WarehouseError naming the row when it is not a number NUMERIC can hold.
 */
export function numericParameter(parameter: string | null, index: number): string | null {
  if (parameter === null || PLAIN_NUMERIC.test(parameter)) return parameter;
  const value = Number(parameter);
  if (parameter.trim() === '' || !Number.isFinite(value) || Math.abs(value) >= 1e21) {
    throw new WarehouseError(
      `statistics row ${index}: parameter ${JSON.stringify(parameter)} is not a number BigQuery's NUMERIC column can hold`,
    );
  }
  return value.toFixed(9).replace(/\.?0+$/, '');
}

const finite = (value: number | null) => (value !== null && Number.isFinite(value) ? value : null);

/** One statistics row as an NDJSON line (NaN and ±∞ → null). */
function statisticLine(row: StatisticRow, index: number): string {
  return JSON.stringify({
    ...row,
    parameter: numericParameter(row.parameter, index),
    ci_width: finite(row.ci_width),
    point: finite(row.point),
    lower: finite(row.lower),
    upper: finite(row.upper),
  });
}

/**
 * {@link Warehouse.replaceStatistics} on BigQuery: one load job with WRITE_TRUNCATE (atomic;
 * jetstream's schema; labels and description for a new table), then the labels are merged and
 * `last_updated` set with tables.patch, as BigQuery applies load-time labels only to new tables.
 */
export async function replaceBigQueryStatistics(
  context: BigQueryContext,
  table: string,
  rows: readonly StatisticRow[],
  meta: StatisticsTableMeta,
): Promise<void> {
  const name = safeIdentifier(table, 'table name');
  const ndjson = rows.map((row, index) => statisticLine(row, index)).join('\n');
  const labels = { ...meta.labels, last_updated: lastUpdatedLabel(context.now) };
  await runLoadJob(context, {
    table: name,
    fields: STATISTICS_FIELDS,
    ndjson,
    writeDisposition: 'WRITE_TRUNCATE',
    labels,
    description: meta.description,
    purpose: `writing ${name}`,
  });
  await patchTableMeta(context, name, { labels, description: meta.description });
}

function parseBasis(value: string | null, table: string): StatisticRow['analysis_basis'] {
  if (value === 'enrollments' || value === 'exposures') return value;
  throw new WarehouseError(`${table}: bad analysis_basis ${JSON.stringify(value)}`);
}

function parseComparison(value: string | null, table: string): StatisticRow['comparison'] {
  if (value === null || value === 'difference' || value === 'relative_uplift') return value;
  throw new WarehouseError(`${table}: bad comparison ${JSON.stringify(value)}`);
}

const numberOrNull = (value: string | null) => (value === null ? null : Number(value));

/** {@link Warehouse.readStatistics} on BigQuery: one query, so the read is one snapshot. */
export async function readBigQueryStatistics(
  context: BigQueryContext,
  tables: TableNamer,
  table: string,
): Promise<StatisticRow[]> {
  const name = safeIdentifier(table, 'table name');
  const columns = STATISTICS_FIELDS.map((f) => `\`${f.name}\``).join(', ');
  let result;
  try {
    result = await runQuery(context, {
      sql: `SELECT ${columns} FROM ${tables.result(name)}`,
      params: {},
      purpose: `reading ${name}`,
    });
  } catch (e) {
    const error = coerceError(e);
    if (isNotFound(error)) {
      throw new TableNotFoundError(`no statistics table ${name} (${error.message})`, {
        cause: error,
      });
    }
    throw error;
  }
  return rowRecords(result.fields, result.rows).map((row) => ({
    metric: row.metric ?? '',
    statistic: row.statistic ?? '',
    parameter: row.parameter ?? null,
    branch: row.branch ?? '',
    comparison: parseComparison(row.comparison ?? null, name),
    comparison_to_branch: row.comparison_to_branch ?? null,
    ci_width: numberOrNull(row.ci_width ?? null),
    point: numberOrNull(row.point ?? null),
    lower: numberOrNull(row.lower ?? null),
    upper: numberOrNull(row.upper ?? null),
    segment: row.segment ?? '',
    analysis_basis: parseBasis(row.analysis_basis ?? null, name),
  }));
}
