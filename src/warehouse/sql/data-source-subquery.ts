import type { AnalysisUnit } from '../../config/analysis-config.js';
import type { DayWindow, MetricColumn } from '../metric-read-spec.js';
import { columnName, columnPath } from './column-path.js';
import { dateParam, dayOffset } from './day-offset.js';
import { enrollmentDayGuard } from './enrollment-day-guard.js';
import { carriedSegment } from './population-ctes.js';

/** One data source's metrics over one window (one telemetry scan). */
export interface DataSourcePart {
  /** The metrics (all of one data source). */
  readonly metrics: readonly MetricColumn[];
  readonly window: DayWindow;
  /** The date each client's window is counted from. */
  readonly anchor: 'enrollment_date' | 'exposure_date';
  /** Appended to every metric column name (`_pre` for covariates). */
  readonly suffix: string;
}

/** Options of {@link dataSourceSubquery}. */
export interface DataSourceSubqueryOptions {
  readonly slug: string;
  readonly analysisUnit: AnalysisUnit;
  /** Segment columns of `anchors` passed through (grouped by, so unchanged). */
  readonly carriedSegments: number;
  /** Extra aggregate columns (`expression AS name`), e.g. the sanity columns. */
  readonly extraColumns?: readonly string[];
  /**
   * `anchors` holds one row per client and slice ({@link SLICE_COLUMNS}): each row's window is
   * its own `[first, last]` dates, and the slice key is a key column (the part's window and
   * anchor are not used).
   */
  readonly sliced?: boolean;
}

/** Columns of a sliced `anchors` CTE: the slice key and the row's window dates. */
export const SLICE_COLUMNS = {
  key: 'contrail_slice',
  first: 'contrail_window_first',
  last: 'contrail_window_last',
} as const;

/** Key columns of a data source's matching rows (names no metric-hub source uses). */
const ROW_ID = '__contrail_analysis_id';
const ROW_BRANCH = '__contrail_branch';
const ROW_SLICE = '__contrail_slice';

/**
 * One data source's metrics per client of `anchors` over one window, with the enrollment-day
 * guard, reading the data range `@data_start`..`@data_end`. The matching rows are found by an
 * inner join filtered in WHERE, then joined back to every client on equalities only: the same
 * rows as one LEFT JOIN with all conditions in ON (mozanalysis' shape), but engines can hash-join
 * it (DuckDB falls back to a nested-loop join for the guard's OR). Every client gets a row.
 * @throws RangeError for a part without metrics and no extra columns.
 */
export function dataSourceSubquery(
  part: DataSourcePart,
  options: DataSourceSubqueryOptions,
): string {
  const source = part.metrics[0]?.dataSource;
  if (!source) throw new RangeError('a data source part needs at least one metric');
  const id = columnPath(
    'ds',
    options.analysisUnit === 'client_id' ? source.clientIdColumn : source.groupIdColumn,
  );
  const date = columnPath('ds', source.submissionDateColumn);
  const guard = enrollmentDayGuard(source.experimentsColumnType, {
    dataSourceAlias: 'ds',
    submissionDate: date,
    enrollmentDate: 'e.enrollment_date',
    slug: options.slug,
  });
  const keys = options.sliced
    ? [`e.${SLICE_COLUMNS.key}`, 'e.analysis_id', 'e.branch']
    : ['e.analysis_id', 'e.branch'];
  for (let index = 0; index < options.carriedSegments; index += 1) {
    keys.push(`e.${carriedSegment(index)}`);
  }
  const columns = [
    ...part.metrics.map((m) => `${m.selectExpression} AS ${columnName(`${m.name}${part.suffix}`)}`),
    ...(options.extraColumns ?? []),
  ]
    .map((column) => `  ${column}`)
    .join(',\n');
  const anchor = `e.${part.anchor}`;
  const within = options.sliced
    ? `${date} BETWEEN e.${SLICE_COLUMNS.first} AND e.${SLICE_COLUMNS.last}`
    : `${date} BETWEEN ${dayOffset(anchor, part.window.start)} AND ${dayOffset(anchor, part.window.end)}`;
  const sliceId = options.sliced ? `e.${SLICE_COLUMNS.key} AS ${ROW_SLICE}, ` : '';
  const sliceOn = options.sliced ? ` AND ds.${ROW_SLICE} = e.${SLICE_COLUMNS.key}` : '';
  return `SELECT
  ${keys.join(',\n  ')},
${columns}
FROM anchors e
LEFT JOIN (
  SELECT ${sliceId}e.analysis_id AS ${ROW_ID}, e.branch AS ${ROW_BRANCH}, ds.*
  FROM anchors e
  JOIN ${source.fromExpression} ds
    ON ${id} = e.analysis_id
  WHERE ${date} BETWEEN ${dateParam('data_start')} AND ${dateParam('data_end')}
    AND ${within}
    ${guard}
) ds
  ON ds.${ROW_ID} = e.analysis_id AND ds.${ROW_BRANCH} = e.branch${sliceOn}
GROUP BY ${keys.join(', ')}`;
}
