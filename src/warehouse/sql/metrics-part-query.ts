import { assertExperimentSlug, safeIdentifier } from '../../analysis/sql-identifier.js';
import type { DayWindow, MetricColumn } from '../metric-read-spec.js';
import type { MetricsTableSpec } from '../metrics-table-spec.js';
import { columnName } from './column-path.js';
import { dataSourceSubquery } from './data-source-subquery.js';
import { metricDataRange } from './metric-data-range.js';
import { populationCtes } from './population-ctes.js';
import { sanityColumnNames, sanityColumns } from './sanity-columns.js';
import { usedParams, type SqlParamValue, type SqlQuery } from './sql-query.js';
import type { TableNamer } from './table-namer.js';

/** One telemetry scan of the metrics stage: one data source over one window. */
export interface MetricsPart {
  /** Data source name. */
  readonly dataSource: string;
  /** `analysis` (the window's metrics) or `covariate` (`<metric><suffix>` columns). */
  readonly role: 'analysis' | 'covariate';
  readonly window: DayWindow;
  /** Appended to each metric's column name ('' or a covariate suffix). */
  readonly suffix: string;
  readonly metrics: readonly MetricColumn[];
}

/** Output columns of a part, after `analysis_id, branch`. */
export function partColumns(part: MetricsPart): string[] {
  const source = part.metrics[0]?.dataSource;
  const sanity = part.role === 'analysis' && source ? sanityColumnNames(source) : [];
  return [...part.metrics.map((m) => `${m.name}${part.suffix}`), ...sanity];
}

/**
 * The query of one part: every client of the window's population (`analysis_id, branch`) with
 * the part's metric columns and, for analysis parts, the data source's sanity columns. It reads
 * the data source once, over the part's own dates only: the analysis window's range for the
 * analysis part, the pre-enrollment range for a covariate part (never their union).
 * @throws UnsafeIdentifierError for a bad slug, metric, segment or column name.
 * @throws RangeError for bad dates or windows, or a part without metrics.
 */
export function buildMetricsPartQuery(
  spec: MetricsTableSpec,
  part: MetricsPart,
  tables: TableNamer,
): SqlQuery {
  assertExperimentSlug(spec.slug);
  const source = part.metrics[0]?.dataSource;
  if (source === undefined) throw new RangeError(`part ${part.dataSource} has no metrics`);
  part.metrics.forEach((m) => safeIdentifier(m.name, 'metric name'));
  const range = metricDataRange({
    startDate: spec.startDate,
    enrollmentPeriod: spec.enrollmentPeriod,
    windows: [part.window],
    lastDateOfData: spec.lastDateOfData,
  });
  const anchor =
    part.role === 'analysis' && spec.basis === 'exposures' && !spec.exposureSignal
      ? 'exposure_date'
      : 'enrollment_date';
  const ctes = populationCtes({ ...spec, segments: [] }, tables);
  const subquery = dataSourceSubquery(
    { metrics: part.metrics, window: part.window, anchor, suffix: part.suffix },
    {
      slug: spec.slug,
      analysisUnit: spec.analysisUnit,
      carriedSegments: 0,
      extraColumns: part.role === 'analysis' ? sanityColumns(source, spec.slug) : [],
    },
  );
  ctes.push(`part AS (\n${subquery}\n)`);
  const selects = ['analysis_id', 'branch', ...partColumns(part).map((c) => columnName(c))];
  const sql = `WITH ${ctes.join(',\n')}
SELECT ${selects.join(', ')}
FROM part`;
  const params: Record<string, SqlParamValue> = {
    slug: spec.slug,
    data_start: range.first,
    data_end: range.last,
    enrollment_start: spec.startDate,
    last_date: spec.lastDateOfData,
  };
  return { sql, params: usedParams(sql, params) };
}
