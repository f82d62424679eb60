import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { LogFilter, LogRow } from '../log-row.js';
import { LOG_COLUMNS } from '../log-row.js';
import { WarehouseError } from '../warehouse-errors.js';
import type { DuckDbContext } from './duckdb-context.js';
import { writeTableFile } from './parquet-table-file.js';
import { loadTempTable, type RowColumn } from './row-table-writer.js';
import { stringOrNull } from './row-values.js';
import { LOGS_TABLE, appendFolderPath } from './warehouse-layout.js';

type LogColumn = (typeof LOG_COLUMNS)[number];

const LOG_ROW_COLUMNS: readonly RowColumn<LogRow>[] = LOG_COLUMNS.map((name: LogColumn) => ({
  name,
  type: 'VARCHAR' as const,
  value: (row: LogRow) => row[name],
}));

/** Normalises timestamps to ISO instants (UTC). @throws WarehouseError naming the bad row. */
function normalizedRows(rows: readonly LogRow[]): LogRow[] {
  return rows.map((row, index) => {
    const ms = Date.parse(row.timestamp);
    if (Number.isNaN(ms)) {
      throw new WarehouseError(`log row ${index}: bad timestamp ${JSON.stringify(row.timestamp)}`);
    }
    return { ...row, timestamp: new Date(ms).toISOString() };
  });
}

/**
 * {@link Warehouse.appendLogs} on DuckDB: one new Parquet file per call in
 * `tables/monitoring/logs/`, written to a temporary name and renamed, so readers never see a
 * partial append. `timestamp` is stored as TIMESTAMP, the other columns as VARCHAR.
 */
export async function appendDuckDbLogs(
  context: DuckDbContext,
  rows: readonly LogRow[],
): Promise<void> {
  if (rows.length === 0) return;
  const normalized = normalizedRows(rows);
  const folder = appendFolderPath(context.session.dir, LOGS_TABLE.dataset, LOGS_TABLE.table);
  const file = path.join(folder, `${context.now()}-${process.pid}-${randomUUID()}.parquet`);
  const temp = await loadTempTable(context.session, 'log_rows', LOG_ROW_COLUMNS, normalized);
  try {
    const columns = LOG_COLUMNS.map((name) =>
      name === 'timestamp' ? `CAST("timestamp" AS TIMESTAMP) AS "timestamp"` : `"${name}"`,
    );
    const select = `SELECT ${columns.join(', ')} FROM ${temp}`;
    await writeTableFile(
      context.session,
      select,
      file,
      { labels: {}, description: 'logs' },
      'create',
    );
  } finally {
    await context.session.run(`DROP TABLE IF EXISTS ${temp}`, {}, 'drop temporary logs');
  }
}

/** {@link Warehouse.readLogs} on DuckDB: filters bound as parameters, oldest first. */
export async function readDuckDbLogs(context: DuckDbContext, filter: LogFilter): Promise<LogRow[]> {
  await context.session.syncViews();
  if (!context.session.hasView(LOGS_TABLE.dataset, LOGS_TABLE.table)) return [];
  const conditions: string[] = [];
  const params: Record<string, string> = {};
  if (filter.experiment !== undefined) {
    conditions.push('experiment = $experiment');
    params.experiment = filter.experiment;
  }
  if (filter.since !== undefined) {
    if (Number.isNaN(Date.parse(filter.since))) {
      throw new WarehouseError(`readLogs: bad since ${JSON.stringify(filter.since)}`);
    }
    conditions.push('"timestamp" >= CAST($since AS TIMESTAMP)');
    params.since = new Date(Date.parse(filter.since)).toISOString();
  }
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const columns = LOG_COLUMNS.map((name) =>
    name === 'timestamp'
      ? `strftime("timestamp", '%Y-%m-%dT%H:%M:%S.%gZ') AS "timestamp"`
      : `"${name}"`,
  );
  const rows = await context.session.rows(
    `SELECT ${columns.join(', ')} FROM "${LOGS_TABLE.dataset}"."${LOGS_TABLE.table}" ${where} ORDER BY "timestamp"`,
    params,
    'read logs',
  );
  return rows.map((row) => ({
    timestamp: stringOrNull(row.timestamp) ?? '',
    ...(Object.fromEntries(
      LOG_COLUMNS.filter((name) => name !== 'timestamp').map((name) => [
        name,
        stringOrNull(row[name]),
      ]),
    ) as Omit<LogRow, 'timestamp'>),
  }));
}
