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
 * How the logs table is partitioned when contrail creates it: by day of `timestamp`, so readers
 * bounding `timestamp` read only the days they ask for.
 */
export const LOGS_TIME_PARTITIONING = { type: 'DAY', field: 'timestamp' } as const;

/**
 * The lower bound of a read without `since`: the start of BigQuery's TIMESTAMP range, so every
 * row with a timestamp is kept (the port's "no since = all rows"; contrail writes no NULL
 * timestamps), while the query still filters on the partitioning column — which a table with
 * `requirePartitionFilter` demands.
 */
export const LOGS_EARLIEST = '0001-01-01T00:00:00.000Z';

/**
 * {@link Warehouse.appendLogs} on BigQuery: streaming inserts into the logs table (created with
 * jetstream's columns, partitioned by day of `timestamp`, when missing). Streaming, not load
 * jobs: log appends are many and small, and a table takes at most 1,500 load jobs a day.
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
  const target = {
    ...logs,
    fields: LOG_FIELDS,
    description: 'contrail and jetstream logs',
    properties: { timePartitioning: { ...LOGS_TIME_PARTITIONING } },
  };
  await streamRows(context, target, stream, 'appending logs');
}

/**
 * {@link Warehouse.readLogs} on BigQuery: filters bound as parameters, oldest first. `timestamp`
 * is always bounded below — by `since`, which prunes the day partitions before it, or by
 * {@link LOGS_EARLIEST}.
 */
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
  conditions.push('`timestamp` >= CAST(@since AS TIMESTAMP)');
  params.since =
    filter.since === undefined ? LOGS_EARLIEST : isoInstant(filter.since, 'readLogs since');
  const table = quoteBigQueryTable(
    logs.projectId,
    safeIdentifier(logs.dataset),
    safeIdentifier(logs.table),
  );
  const where = `\nWHERE ${conditions.join(' AND ')}`;
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
