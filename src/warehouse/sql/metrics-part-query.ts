import { assertExperimentSlug, safeIdentifier } from '../../analysis/sql-identifier.js';
import type { DayWindow, MetricColumn } from '../metric-read-spec.js';
import { sliceKey, type MetricsTableSpec, type ScanSlice } from '../metrics-table-spec.js';
import { columnName } from './column-path.js';
import { dataSourceSubquery, SLICE_COLUMNS } from './data-source-subquery.js';
import { dayOffset } from './day-offset.js';
import { metricDataRange } from './metric-data-range.js';
import { populationCtes } from './population-ctes.js';
import { sanityColumnNames, sanityColumns } from './sanity-columns.js';
import { usedParams, type SqlParamValue, type SqlQuery } from './sql-query.js';
import type { TableNamer } from './table-namer.js';

/** One telemetry scan of the metrics stage: one data source over one or more windows. */
export interface MetricsPart {
  /** Data source name. */
  readonly dataSource: string;
  /**
   * `analysis`: the metrics of every slice (window × basis), one row per client and slice;
   * `covariate`: `<metric><suffix>` columns over a pre-enrollment window, one row per client.
   */
  readonly role: 'analysis' | 'covariate';
  /** The covariate window (an analysis part's windows are its slices'). */
  readonly window: DayWindow;
  /** Appended to each metric's column name ('' or a covariate suffix). */
  readonly suffix: string;
  readonly metrics: readonly MetricColumn[];
  /** The slices an analysis part computes (empty for covariate parts). */
  readonly slices: readonly ScanSlice[];
}

/** Output columns of a part, after its keys (`contrail_slice`,) `analysis_id, branch`. */
export function partColumns(part: MetricsPart): string[] {
  const source = part.metrics[0]?.dataSource;
  const sanity = part.role === 'analysis' && source ? sanityColumnNames(source) : [];
  return [...part.metrics.map((m) => `${m.name}${part.suffix}`), ...sanity];
}

/** The date each client's window counts from on a slice's basis. */
function anchorColumn(spec: MetricsTableSpec, slice: ScanSlice): string {
  return slice.basis === 'exposures' && !spec.exposureSignal ? 'exposure_date' : 'enrollment_date';
}

/**
 * The CTEs of an analysis part's population: one population per basis (per basis and window
 * with a custom exposure signal, which is evaluated over the window), then `anchors`, one row
 * per client and slice with the slice key and the row's window dates.
 */
function slicedAnchors(spec: MetricsTableSpec, part: MetricsPart, tables: TableNamer): string[] {
  const ctes: string[] = [];
  const populations = new Map<string, string>();
  const rows = part.slices.map((slice) => {
    const population = spec.exposureSignal
      ? `${slice.basis}:${slice.window.start}:${slice.window.end}`
      : slice.basis;
    let suffix = populations.get(population);
    if (suffix === undefined) {
      suffix = `_p${populations.size}`;
      populations.set(population, suffix);
      ctes.push(
        ...populationCtes(
          { ...spec, basis: slice.basis, window: slice.window, segments: [] },
          tables,
          suffix,
        ),
      );
    }
    const anchor = anchorColumn(spec, slice);
    return `SELECT '${sliceKey(safeSlice(slice))}' AS ${SLICE_COLUMNS.key}, analysis_id, branch, enrollment_date, exposure_date,
  ${dayOffset(anchor, slice.window.start)} AS ${SLICE_COLUMNS.first},
  ${dayOffset(anchor, slice.window.end)} AS ${SLICE_COLUMNS.last}
FROM anchors${suffix}`;
  });
  ctes.push(`anchors AS (\n${rows.join('\nUNION ALL\n')}\n)`);
  return ctes;
}

/** A slice whose key is safe to quote: a known basis and period, a positive window index. */
function safeSlice(slice: ScanSlice): ScanSlice {
  if (!/^[a-z0-9_]+$/.test(slice.basis) || !/^[a-z0-9_]+$/.test(slice.period)) {
    throw new RangeError(`bad slice ${slice.basis}.${slice.period}`);
  }
  if (!Number.isSafeInteger(slice.windowIndex) || slice.windowIndex < 1) {
    throw new RangeError(`bad window index ${slice.windowIndex}`);
  }
  return slice;
}

/**
 * The query of one part. An analysis part reads the data source once for every slice of the
 * scan (window × basis): every client of each slice's population with the slice key, the part's
 * metric columns and the data source's sanity columns. A covariate part reads the pre-enrollment
 * range only (never its union with an analysis range), for every enrolled client. Either reads
 * the data source once, over the part's own dates.
 * @throws UnsafeIdentifierError for a bad slug, metric, segment or column name.
 * @throws RangeError for bad dates or windows, or a part without metrics or slices.
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
  const analysis = part.role === 'analysis';
  if (analysis && part.slices.length === 0) {
    throw new RangeError(`part ${part.dataSource} has no slices`);
  }
  const range = metricDataRange({
    startDate: spec.startDate,
    enrollmentPeriod: spec.enrollmentPeriod,
    windows: analysis ? part.slices.map((s) => s.window) : [part.window],
    lastDateOfData: spec.lastDateOfData,
  });
  const ctes = analysis
    ? slicedAnchors(spec, part, tables)
    : populationCtes({ ...spec, basis: 'enrollments', segments: [] }, tables);
  const subquery = dataSourceSubquery(
    { metrics: part.metrics, window: part.window, anchor: 'enrollment_date', suffix: part.suffix },
    {
      slug: spec.slug,
      analysisUnit: spec.analysisUnit,
      carriedSegments: 0,
      extraColumns: analysis ? sanityColumns(source, spec.slug) : [],
      sliced: analysis,
    },
  );
  ctes.push(`part AS (\n${subquery}\n)`);
  const keys = analysis ? [SLICE_COLUMNS.key, 'analysis_id', 'branch'] : ['analysis_id', 'branch'];
  const selects = [...keys, ...partColumns(part).map((c) => columnName(c))];
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
