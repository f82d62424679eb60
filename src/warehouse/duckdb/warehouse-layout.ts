import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { safeIdentifier } from '../../analysis/sql-identifier.js';

/**
 * The embedded warehouse's folder layout (DESIGN.md; others read and write it directly):
 *
 * ```
 * <dir>/tables/<dataset>/<table>.parquet          one file per table, replaced atomically
 * <dir>/tables/<dataset>/<table>/<unique>.parquet  append-only tables, one file per append
 * <dir>/views/<dataset>/<view>.sql                 a view: its BigQuery SQL, translated on load
 * ```
 *
 * Telemetry lives in its BigQuery dataset names (`telemetry/clients_daily.parquet`,
 * `org_mozilla_firefox/events_stream.parquet`), results in `contrail/`, logs in
 * `monitoring/logs/`.
 */

/** Dataset of enrollments and statistics tables. */
export const RESULTS_DATASET = 'contrail';

/** Dataset and table of the append-only logs table. */
export const LOGS_TABLE = { dataset: 'monitoring', table: 'logs' } as const;

/** File extension of every table file. */
export const PARQUET_EXTENSION = '.parquet';

/** `<dir>/tables`. */
export function tablesRoot(dir: string): string {
  return path.join(dir, 'tables');
}

/**
 * `<dir>/tables/<dataset>/<table>.parquet`.
 * @throws UnsafeIdentifierError for a dataset or table name outside `[A-Za-z0-9_]`.
 */
export function tableFilePath(dir: string, dataset: string, table: string): string {
  return path.join(
    tablesRoot(dir),
    safeIdentifier(dataset, 'dataset name'),
    `${safeIdentifier(table, 'table name')}${PARQUET_EXTENSION}`,
  );
}

/**
 * `<dir>/tables/<dataset>/<table>/`: the folder of an append-only table.
 * @throws UnsafeIdentifierError for a dataset or table name outside `[A-Za-z0-9_]`.
 */
export function appendFolderPath(dir: string, dataset: string, table: string): string {
  return path.join(
    tablesRoot(dir),
    safeIdentifier(dataset, 'dataset name'),
    safeIdentifier(table, 'table name'),
  );
}

/**
 * A temporary sibling of `finalPath` (same folder, so a rename is atomic). Its name does not end
 * in `.parquet`, so readers never pick it up.
 */
export function tempPathFor(finalPath: string): string {
  return `${finalPath}.tmp-${process.pid}-${randomUUID()}`;
}

/** `<dir>/views`. */
export function viewsRoot(dir: string): string {
  return path.join(dir, 'views');
}

/**
 * `<dir>/views/<dataset>/<view>.sql`: a view's BigQuery SQL.
 * @throws UnsafeIdentifierError for a dataset or view name outside `[A-Za-z0-9_]`.
 */
export function viewFilePath(dir: string, dataset: string, view: string): string {
  return path.join(
    viewsRoot(dir),
    safeIdentifier(dataset, 'dataset name'),
    `${safeIdentifier(view, 'view name')}.sql`,
  );
}
