import type {
  AnalysisUnit,
  ExposureSignal,
  ExposureWindowBound,
} from '../../config/analysis-config.js';
import { columnName, columnPath } from './column-path.js';
import { dateParam, dayOffset } from './day-offset.js';
import type { TableNamer } from './table-namer.js';

/** SQL date expressions the exposure-signal window keywords resolve to. */
export interface SignalWindowContext {
  /** Expression for `analysis_window_start` (and the default start when null is not wanted). */
  readonly analysisWindowStart: string;
  /** Expression for `analysis_window_end`; also the end when the signal leaves it open. */
  readonly analysisWindowEnd: string;
}

/**
 * A custom exposure signal's window bound as a SQL date expression. Numbers are days relative to
 * each client's enrollment date; `enrollment_start`/`enrollment_end` are the experiment's first
 * and last enrollment days; `analysis_window_*` come from `context`. A null start is the client's
 * enrollment date, a null end the analysis window end.
 */
export function signalWindowBound(
  bound: ExposureWindowBound | null,
  side: 'start' | 'end',
  context: SignalWindowContext,
): string {
  if (bound === null) {
    return side === 'start' ? 'e.enrollment_date' : context.analysisWindowEnd;
  }
  if (typeof bound === 'number') return dayOffset('e.enrollment_date', bound);
  switch (bound) {
    case 'enrollment_start':
      return dateParam('enrollment_start');
    case 'enrollment_end':
      return dateParam('enrollment_end');
    case 'analysis_window_start':
      return context.analysisWindowStart;
    case 'analysis_window_end':
      return context.analysisWindowEnd;
  }
}

/**
 * Per enrolled client (from the CTE `enrollmentsCte`: analysis_id, branch, enrollment_date), the
 * first day and number of events of a custom exposure signal: rows of the signal's data source
 * within its window for which the signal's boolean select is true. Clients without a signal event
 * have no row.
 */
export function customExposuresQuery(options: {
  readonly signal: ExposureSignal;
  readonly analysisUnit: AnalysisUnit;
  readonly enrollmentsCte: string;
  readonly window: SignalWindowContext;
}): string {
  const { signal, analysisUnit } = options;
  const source = signal.dataSource;
  const id = columnPath(
    'ds',
    analysisUnit === 'client_id' ? source.clientIdColumn : source.groupIdColumn,
  );
  const date = columnPath('ds', source.submissionDateColumn);
  const start = signalWindowBound(signal.windowStart, 'start', options.window);
  const end = signalWindowBound(signal.windowEnd, 'end', options.window);
  return `SELECT
  e.analysis_id,
  e.branch,
  MIN(${date}) AS exposure_date,
  COUNT(${date}) AS num_exposure_events
FROM ${options.enrollmentsCte} e
JOIN ${source.fromExpression} ds
  ON ${id} = e.analysis_id
  AND ${date} BETWEEN ${start} AND ${end}
  AND ${date} <= ${dateParam('last_date')}
WHERE (${signal.selectExpression})
GROUP BY e.analysis_id, e.branch`;
}

/**
 * The default exposures (spec/analysis.md §1.5): normandy `expose`/`exposure` events or Glean
 * nimbus `exposure` events of the experiment in the client's own branch, within the enrollment
 * dates and on or after the client's enrollment. Null for enrollment sources without exposure
 * events (the table then has no exposures).
 */
export function defaultExposuresQuery(options: {
  readonly queryType: string;
  readonly analysisUnit: AnalysisUnit;
  readonly appDataset: string | null;
  readonly enrollmentsCte: string;
  readonly tables: TableNamer;
}): string | null {
  const unit = columnName(options.analysisUnit);
  const inEnrollment = `BETWEEN ${dateParam('enrollment_start')} AND ${dateParam('enrollment_end')}`;
  if (options.queryType === 'normandy') {
    return `SELECT
  e.analysis_id,
  e.branch,
  MIN(ev.submission_date) AS exposure_date,
  COUNT(ev.submission_date) AS num_exposure_events
FROM ${options.enrollmentsCte} e
JOIN ${options.tables.source('telemetry', 'events')} ev
  ON ev.${unit} = e.analysis_id
  AND mozfun.map.get_key(ev.event_map_values, 'branchSlug') = e.branch
  AND ev.submission_date ${inEnrollment}
  AND ev.submission_date >= e.enrollment_date
WHERE ev.event_category = 'normandy'
  AND ev.event_method IN ('expose', 'exposure')
  AND ev.event_string_value = @slug
GROUP BY e.analysis_id, e.branch`;
  }
  if (options.queryType === 'glean-event' && options.appDataset) {
    return `SELECT
  e.analysis_id,
  e.branch,
  MIN(DATE(ev.submission_timestamp)) AS exposure_date,
  COUNT(ev.submission_timestamp) AS num_exposure_events
FROM ${options.enrollmentsCte} e
JOIN ${options.tables.source(options.appDataset, 'events_stream')} ev
  ON ev.${unit} = e.analysis_id
  AND JSON_VALUE(ev.event_extra, '$.branch') = e.branch
  AND DATE(ev.submission_timestamp) ${inEnrollment}
  AND DATE(ev.submission_timestamp) >= e.enrollment_date
WHERE ev.event_category = 'nimbus_events'
  AND ev.event_name = 'exposure'
  AND JSON_VALUE(ev.event_extra, '$.experiment') = @slug
GROUP BY e.analysis_id, e.branch`;
  }
  return null;
}
