import type { StatisticRow } from '../../stats/statistic-row.js';

/**
 * Where metric jobs leave their result rows for the finalizer. Job return values stay tiny
 * (BullMQ copies them into Redis several times, operations.md §4); the rows wait here, keyed by
 * the finalize job (`group`) and the metric job (`key`). Writing the same key again replaces it,
 * so a retried metric job never doubles its rows.
 */
export interface RowStage {
  /** Replaces the rows staged under (`group`, `key`). */
  write(group: string, key: string, rows: readonly StatisticRow[]): Promise<void>;
  /** Every key staged under `group` with its rows; empty when nothing was staged. */
  read(group: string): Promise<Map<string, StatisticRow[]>>;
  /** Removes everything staged under `group` (after the finalizer wrote its table). */
  drop(group: string): Promise<void>;
}
