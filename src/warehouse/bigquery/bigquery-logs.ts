import { coerceError } from '../../analysis/coerce-error.js';
import { randomUUID } from 'node:crypto';
import { quoteBigQueryTable, safeIdentifier } from '../../analysis/sql-identifier.js';
import { LOG_COLUMNS, type LogFilter, type LogRow } from '../log-row.js';
import { WarehouseError } from '../warehouse-errors.js';
import type { BigQueryContext } from './bigquery-context.js';
import { isNotFound } from './bigquery-errors.js';
import { LOG_FIELDS } from './bigquery-schemas.js';
import type { LogsTableRef } from './logs-table.js';
import { runQuery } from './query-job.js';
import { streamRows } from './stream-rows.js';
import { rowRecords } from './wire-values.js';

/** ISO instant of `text`. @throws WarehouseError naming `what`. */
function isoInstant(text: string, what: string): string {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new WarehouseError(`${what}: bad timestamp ${JSON.stringify(text)}`);
  return new Date(ms).toISOString();
}

/**
 * {@link Warehouse.appendLogs} on BigQuery: streaming inserts into the logs table (created with
 * jetstream's columns when missing). Streaming, not load jobs: log appends are many and small,
 * and a table takes at most 1,500 load jobs a day.
 */
export async function appendBigQueryLogs(
  context: BigQueryContext,
  logs: LogsTableRef,
  rows: readonly LogRow[],
): Promise<void> {
  if (rows.length === 0) return;
  const stream = rows.map((row, index) => ({
    insertId: randomUUID(),
    json: { ...row, timestamp: isoInstant(row.timestamp, `log row ${index}`) },
  }));
  const target = { ...logs, fields: LOG_FIELDS, description: 'contrail and jetstream logs' };
  await streamRows(context, target, stream, 'appending logs');
}

/** {@link Warehouse.readLogs} on BigQuery: filters bound as parameters, oldest first. */
export async function readBigQueryLogs(
  context: BigQueryContext,
  logs: LogsTableRef,
  filter: LogFilter,
): Promise<LogRow[]> {
  const conditions: string[] = [];
  const params: Record<string, string> = {};
  if (filter.experiment !== undefined) {
    conditions.push('experiment = @experiment');
    params.experiment = filter.experiment;
  }
  if (filter.since !== undefined) {
    conditions.push('`timestamp` >= CAST(@since AS TIMESTAMP)');
    params.since = isoInstant(filter.since, 'readLogs since');
  }
  const table = quoteBigQueryTable(
    logs.projectId,
    safeIdentifier(logs.dataset),
    safeIdentifier(logs.table),
  );
  const where = conditions.length > 0 ? `\nWHERE ${conditions.join(' AND ')}` : '';
  const columns = LOG_COLUMNS.map((name) => `\`${name}\``).join(', ');
  let result;
  try {
    result = await runQuery(context, {
      sql: `SELECT ${columns}\nFROM ${table}${where}\nORDER BY \`timestamp\``,
      params,
      purpose: 'reading logs',
    });
  } catch (e) {
    const error = coerceError(e);
    if (isNotFound(error)) return []; // no logs table yet
    throw error;
  }
  return rowRecords(result.fields, result.rows).map((record) => {
    const row: Record<string, string | null> = {};
    for (const name of LOG_COLUMNS) row[name] = record[name] ?? null;
    return { ...row, timestamp: record.timestamp ?? '' } as LogRow;
  });
}
