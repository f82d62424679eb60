import type { Logger } from 'pino';

import type { IsoDate } from '../analysis/iso-date.js';
import { coerceError } from '../analysis/coerce-error.js';
import type { LogRow } from '../warehouse/log-row.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { PlannedRun } from './plan-run.js';

/**
 * Logs-table rows for what planning dropped: each experiment's config or source problem, and
 * each unexpected skip (unsafe names, unsupported applications, ...), with the experiment's slug
 * so they show next to its results (jetstream logs them the same way). Expected skips (ended,
 * still enrolling, ...) are not errors and are left out.
 */
export function runProblemLogs(planned: PlannedRun, date: IsoDate, now: Date): LogRow[] {
  const row = (fields: Partial<LogRow>): LogRow => ({
    timestamp: now.toISOString(),
    source: 'contrail',
    experiment: null,
    metric: null,
    statistic: null,
    analysis_basis: null,
    segment: null,
    analysis_period: null,
    message: null,
    log_level: 'ERROR',
    exception: null,
    filename: null,
    func_name: 'plan',
    exception_type: null,
    ...fields,
  });
  const problems = planned.problems.map((problem) =>
    row({
      experiment: problem.experiment,
      message: `run ${date}: ${problem.message}`,
      exception: problem.message,
      exception_type: problem.exceptionType,
    }),
  );
  const skips = planned.plan.skipped
    .filter((skip) => !skip.expected)
    .map((skip) =>
      row({
        experiment: skip.experiment,
        metric: skip.metric,
        analysis_period: skip.period,
        message: `run ${date}: ${skip.reason}`,
        exception: skip.reason,
        exception_type: skip.code,
      }),
    );
  return [...problems, ...skips];
}

/**
 * Appends {@link runProblemLogs} to the warehouse's logs table. A failing append is logged and
 * does not stop the run (the problems are reported on the command line as well).
 */
export async function recordRunProblems(
  deps: { readonly warehouse: Warehouse; readonly logger: Logger },
  planned: PlannedRun,
  date: IsoDate,
  now: Date,
): Promise<void> {
  const rows = runProblemLogs(planned, date, now);
  if (rows.length === 0) return;
  try {
    await deps.warehouse.appendLogs(rows);
  } catch (e) {
    const error = coerceError(e);
    deps.logger.error({ err: error.message, rows: rows.length }, 'could not write the logs table');
  }
}
