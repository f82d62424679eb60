import type { Logger } from 'pino';

import { coerceError } from '../analysis/coerce-error.js';
import type { IsoDate } from '../analysis/iso-date.js';
import type { LogRow } from '../warehouse/log-row.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { EnqueueResult } from './enqueue-run.js';

/**
 * Logs-table rows (WARNING, `DataNotReady`) for the windows a run left out because their data
 * has not landed, under their experiment and period, so they show next to its results.
 */
export function notReadyLogs(enqueued: EnqueueResult, date: IsoDate, now: Date): LogRow[] {
  return enqueued.windows
    .filter((window) => window.outcome === 'not-ready')
    .map((window) => ({
      timestamp: now.toISOString(),
      source: 'contrail',
      experiment: window.experiment,
      metric: null,
      statistic: null,
      analysis_basis: null,
      segment: null,
      analysis_period: window.period,
      message: `run ${date}: ${window.period} ${window.windowIndex} not ready: ${window.reason ?? ''}`,
      log_level: 'WARNING',
      exception: null,
      filename: null,
      func_name: 'plan',
      exception_type: 'DataNotReady',
    }));
}

/**
 * Appends {@link notReadyLogs} to the warehouse's logs table. A failing append is logged and
 * does not stop the run (the windows are reported on the command line as well).
 */
export async function recordNotReadyWindows(
  deps: { readonly warehouse: Warehouse; readonly logger: Logger },
  enqueued: EnqueueResult,
  date: IsoDate,
  now: Date,
): Promise<void> {
  const rows = notReadyLogs(enqueued, date, now);
  if (rows.length === 0) return;
  for (const row of rows) {
    deps.logger.warn(
      { experiment: row.experiment, period: row.analysis_period },
      row.message ?? '',
    );
  }
  try {
    await deps.warehouse.appendLogs(rows);
  } catch (e) {
    const error = coerceError(e);
    deps.logger.error({ err: error.message, rows: rows.length }, 'could not write the logs table');
  }
}
