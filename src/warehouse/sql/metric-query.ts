import { assertExperimentSlug, safeIdentifier } from '../../analysis/sql-identifier.js';
import { enrollmentsTableName } from '../../analysis/table-names.js';
import type { DayWindow, MetricColumn, MetricReadSpec } from '../metric-read-spec.js';
import { branchIndexExpression } from './branch-index.js';
import { columnName, columnPath } from './column-path.js';
import { dateParam, dayOffset } from './day-offset.js';
import { enrollmentDayGuard } from './enrollment-day-guard.js';
import { customExposuresQuery } from './exposures-query.js';
import { metricDataRange } from './metric-data-range.js';
import { usedParams, type SqlParamValue, type SqlQuery } from './sql-query.js';
import type { TableNamer } from './table-namer.js';

/** Output column names of a metric query, in select order after `branch_index`. */
export interface MetricQueryColumns {
  /** Metric columns, then `<metric>_pre` covariates. */
  readonly values: readonly string[];
  /** Segment columns (BOOL). */
  readonly segments: readonly string[];
}

/**
 * The per-client metric query of one window and basis (spec/analysis.md §1.6), BigQuery SQL:
 * the population (enrolled clients; on the exposures basis, exposed ones — with a custom signal,
 * those with ≥ 1 signal event in the window), LEFT JOINed with one grouped subquery per data
 * source, so every client of the population gets a row and NULLs stay NULL. Columns:
 * `branch_index` (position in `spec.branches`, −1 for others), the metrics, the `<metric>_pre`
 * covariates (enrollment anchor) when asked, and the segment BOOLs.
 * @throws UnsafeIdentifierError for a bad slug, metric, segment or column name.
 * @throws RangeError for bad dates or windows, no metrics, or duplicate metric names.
 */
export function buildMetricQuery(
  spec: MetricReadSpec,
  tables: TableNamer,
): { query: SqlQuery; columns: MetricQueryColumns } {
  assertExperimentSlug(spec.slug);
  if (spec.metrics.length === 0) throw new RangeError('readMetric needs at least one metric');
  const covariate = spec.covariateWindow ?? null;
  const range = metricDataRange({
    startDate: spec.startDate,
    enrollmentPeriod: spec.enrollmentPeriod,
    windows: covariate ? [spec.window, covariate] : [spec.window],
    lastDateOfData: spec.lastDateOfData,
  });
  const values = spec.metrics.map((m) => safeIdentifier(m.name, 'metric name') as string);
  if (covariate) values.push(...values.map((name) => `${name}_pre`));
  if (new Set(values).size !== values.length) {
    throw new RangeError(`duplicate metric names: ${values.join(', ')}`);
  }
  const segments = spec.segments.map((s) => safeIdentifier(s, 'segment name') as string);
  const branch = branchIndexExpression('p.branch', spec.branches);
  const params: Record<string, SqlParamValue> = {
    ...branch.params,
    slug: spec.slug,
    enrollment_start: spec.startDate,
    data_start: range.first,
    data_end: range.last,
    last_date: spec.lastDateOfData,
  };
  const ctes = populationCtes(spec, tables);
  const joins: string[] = [];
  const selects = [`${branch.sql} AS branch_index`];
  const anchor =
    spec.basis === 'exposures' && !spec.exposureSignal ? 'exposure_date' : 'enrollment_date';
  const groups = groupByDataSource(spec.metrics);
  const windows: Array<{ window: DayWindow; anchor: string; suffix: string }> = [
    { window: spec.window, anchor, suffix: '' },
  ];
  if (covariate) windows.push({ window: covariate, anchor: 'enrollment_date', suffix: '_pre' });
  for (const { window, anchor: windowAnchor, suffix } of windows) {
    groups.forEach((metrics, index) => {
      const alias = `ds_${index}${suffix}`;
      const options = { window, anchor: windowAnchor, suffix, spec };
      ctes.push(`${alias} AS (\n${dataSourceQuery(metrics, options)}\n)`);
      joins.push(
        `LEFT JOIN ${alias} ON ${alias}.analysis_id = p.analysis_id AND ${alias}.branch = p.branch`,
      );
      for (const metric of metrics) {
        selects.push(`${alias}.${columnName(`${metric.name}${suffix}`)}`);
      }
    });
  }
  for (const segment of segments) selects.push(`p.${columnName(segment, 'segment name')}`);
  const sql = `WITH ${ctes.join(',\n')}
SELECT
  ${selects.join(',\n  ')}
FROM population p
${joins.join('\n')}`;
  return { query: { sql, params: usedParams(sql, params) }, columns: { values, segments } };
}

/** `population` (clients analysed, with segment columns) and `anchors` (their dates only). */
function populationCtes(spec: MetricReadSpec, tables: TableNamer): string[] {
  const table = tables.result(enrollmentsTableName(spec.slug));
  const segmentColumns = spec.segments.map((s) => `, e.${columnName(s, 'segment name')}`).join('');
  const exposedOnly =
    spec.basis === 'exposures' && !spec.exposureSignal ? '\n  AND e.exposure_date IS NOT NULL' : '';
  const ctes = [
    `enrollments AS (
SELECT e.analysis_id, e.branch, e.enrollment_date, e.exposure_date${segmentColumns}
FROM ${table} e
WHERE e.branch IS NOT NULL${exposedOnly}
)`,
  ];
  if (spec.basis === 'exposures' && spec.exposureSignal) {
    const signal = customExposuresQuery({
      signal: spec.exposureSignal,
      analysisUnit: spec.analysisUnit,
      enrollmentsCte: 'enrollments',
      window: {
        analysisWindowStart: dayOffset('e.enrollment_date', spec.window.start),
        analysisWindowEnd: dayOffset('e.enrollment_date', spec.window.end),
      },
    });
    ctes.push(`signal_exposures AS (\n${signal}\n)`);
    ctes.push(`population AS (
SELECT e.*
FROM enrollments e
JOIN signal_exposures s ON s.analysis_id = e.analysis_id AND s.branch = e.branch
)`);
  } else {
    ctes.push('population AS (\nSELECT * FROM enrollments\n)');
  }
  ctes.push(
    'anchors AS (\nSELECT analysis_id, branch, enrollment_date, exposure_date FROM population\n)',
  );
  return ctes;
}

/** Metrics grouped by data source name, in first-seen order. */
function groupByDataSource(metrics: readonly MetricColumn[]): MetricColumn[][] {
  const groups = new Map<string, MetricColumn[]>();
  for (const metric of metrics) {
    const key = metric.dataSource.name;
    const group = groups.get(key);
    if (group) group.push(metric);
    else groups.set(key, [metric]);
  }
  return [...groups.values()];
}

/** One data source's metrics per client over one window, with the enrollment-day guard. */
function dataSourceQuery(
  metrics: readonly MetricColumn[],
  options: { window: DayWindow; anchor: string; suffix: string; spec: MetricReadSpec },
): string {
  const source = metrics[0]?.dataSource;
  if (!source) throw new RangeError('a data source group needs at least one metric');
  const unit = options.spec.analysisUnit;
  const id = columnPath('ds', unit === 'client_id' ? source.clientIdColumn : source.groupIdColumn);
  const date = columnPath('ds', source.submissionDateColumn);
  const guard = enrollmentDayGuard(source.experimentsColumnType, {
    dataSourceAlias: 'ds',
    submissionDate: date,
    enrollmentDate: 'e.enrollment_date',
    slug: options.spec.slug,
  });
  const columns = metrics
    .map((m) => `  ${m.selectExpression} AS ${columnName(`${m.name}${options.suffix}`)}`)
    .join(',\n');
  return `SELECT
  e.analysis_id,
  e.branch,
${columns}
FROM anchors e
LEFT JOIN ${source.fromExpression} ds
  ON ${id} = e.analysis_id
  AND ${date} BETWEEN ${dateParam('data_start')} AND ${dateParam('data_end')}
  AND ${date} BETWEEN ${dayOffset(`e.${options.anchor}`, options.window.start)} AND ${dayOffset(`e.${options.anchor}`, options.window.end)}
  ${guard}
GROUP BY e.analysis_id, e.branch`;
}
