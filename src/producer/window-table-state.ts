import { parseStatisticsTableDescription } from '../analysis/statistics-table-description.js';
import { TABLE_LABELS } from '../analysis/table-labels.js';
import type { TableInfo } from '../warehouse/table-info.js';

/**
 * What the warehouse says of a window — the authority on whether it is done (Redis job states
 * are a cache of it):
 * - `done`: its statistics table is complete, for the configuration it was computed with;
 * - `failed`: the table exists but some metrics' rows are missing or stale (`failedMetrics`,
 *   null when a table written before they were recorded does not say which);
 * - `outdated`: the table was computed with another configuration;
 * - `missing`: there is no table.
 */
export type WindowTableState =
  | { readonly state: 'done' }
  | { readonly state: 'failed'; readonly failedMetrics: readonly string[] | null }
  | { readonly state: 'outdated' }
  | { readonly state: 'missing' };

/**
 * The state of a window from its statistics table's info (null: no table) and the hash of the
 * window's current configuration. Tables written before the hash was recorded count as computed
 * with the current configuration. Pure.
 */
export function windowTableState(info: TableInfo | null, configHash: string): WindowTableState {
  if (info === null) return { state: 'missing' };
  const recorded = info.labels[TABLE_LABELS.config];
  if (recorded !== undefined && recorded !== configHash) return { state: 'outdated' };
  if (info.labels[TABLE_LABELS.complete] === 'true') return { state: 'done' };
  const failed = parseStatisticsTableDescription(info.description)?.failedMetrics ?? null;
  return { state: 'failed', failedMetrics: failed };
}
