import { TableNotFoundError } from '../warehouse-errors.js';
import type { MetricValues } from '../metric-read-spec.js';
import type { ColumnRead, JobContext, Warehouse } from '../warehouse.js';
import { parseMetricsTableDescription } from './metrics-table-description.js';
import { orderByRowIndex } from './order-by-row-index.js';

/** What a metric job reads from a metrics table. */
export interface MetricsTableRead {
  readonly table: string;
  /** Metric columns (NULL → NaN). */
  readonly columns: readonly string[];
  /** Segment columns (0/1 masks). */
  readonly segments: readonly string[];
}

/**
 * A metric's per-client values from the window's metrics table: only its own columns, the
 * branch index and the segment masks (a projection; no telemetry), put in `row_index` order so
 * the values are in the same order from any warehouse and any read (statistics over them are
 * bit-reproducible). Branch names come from the table's description.
 * @throws TableNotFoundError when the metrics table does not exist.
 */
export async function readMetricsTable(
  warehouse: Warehouse,
  read: MetricsTableRead,
  job?: JobContext,
): Promise<MetricValues> {
  const info = await warehouse.tableInfo(read.table);
  if (info === null) throw new TableNotFoundError(`no metrics table ${read.table}`);
  const { branches } = parseMetricsTableDescription(read.table, info.description);
  const asked: ColumnRead[] = [
    { name: 'row_index', kind: 'f64' },
    { name: 'branch_index', kind: 'u16' },
    ...read.columns.map((name): ColumnRead => ({ name, kind: 'f64' })),
    ...read.segments.map((name): ColumnRead => ({ name, kind: 'u8' })),
  ];
  const typed = await warehouse.readColumns(read.table, asked, job);
  const ordered = orderByRowIndex(typed);
  const [, branch, ...rest] = ordered.columns;
  const columns: Record<string, Float64Array> = {};
  read.columns.forEach((name, i) => (columns[name] = rest[i] as Float64Array));
  const segments: Record<string, Uint8Array> = {};
  read.segments.forEach(
    (name, i) => (segments[name] = rest[read.columns.length + i] as Uint8Array),
  );
  return {
    branches,
    branch: branch as Uint16Array,
    columns,
    segments,
    clients: ordered.rows,
  };
}
