import { assertExperimentSlug, safeIdentifier } from '../../analysis/sql-identifier.js';
import type { DayWindow, MetricColumn, MetricReadSpec } from '../metric-read-spec.js';
import { branchIndexExpression } from './branch-index.js';
import { columnName } from './column-path.js';
import { dataSourceSubquery } from './data-source-subquery.js';
import { metricDataRange } from './metric-data-range.js';
import { carriedSegment, populationCtes } from './population-ctes.js';
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
 * covariates (enrollment anchor) when asked, and the segment BOOLs. The first subquery carries
 * the population's branch and segments, so the common one-source read needs no join back.
 * @throws UnsafeIdentifierError for a bad slug, metric, segment or column name.
 * @throws RangeError for bad dates or windows, no metrics, or duplicate metric names.
 */
export function buildMetricQuery(
  spec: MetricReadSpec,
  tables: TableNamer,
): { query: SqlQuery; columns: MetricQueryColumns } {
  const { values, segments, range } = validateMetricSpec(spec);
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
  const options = { slug: spec.slug, analysisUnit: spec.analysisUnit };
  const parts = subqueryParts(spec);
  const joins: string[] = [];
  const selects = [`${branch.sql} AS branch_index`];
  parts.forEach((part, index) => {
    const carried = index === 0 ? segments.length : 0;
    ctes.push(
      `${part.alias} AS (\n${dataSourceSubquery(part, { ...options, carriedSegments: carried })}\n)`,
    );
    const source = index === 0 ? 'p' : part.alias;
    if (index > 0) {
      joins.push(
        `LEFT JOIN ${part.alias} ON ${part.alias}.analysis_id = p.analysis_id AND ${part.alias}.branch = p.branch`,
      );
    }
    for (const metric of part.metrics) {
      selects.push(`${source}.${columnName(`${metric.name}${part.suffix}`)}`);
    }
  });
  segments.forEach((segment, index) => {
    selects.push(`p.${carriedSegment(index)} AS ${columnName(segment, 'segment name')}`);
  });
  // Rows come back in a fixed order, so sums over them (the linear model's) are bit-identical
  // from run to run; a parallel hash aggregate returns them in any order otherwise.
  const sql = `WITH ${ctes.join(',\n')}
SELECT
  ${selects.join(',\n  ')}
FROM ${parts[0]?.alias ?? 'ds_0'} p${joins.map((join) => `\n${join}`).join('')}
ORDER BY p.analysis_id, p.branch`;
  return { query: { sql, params: usedParams(sql, params) }, columns: { values, segments } };
}

/** Checks names, windows and dates; returns the output columns and the data range. */
function validateMetricSpec(spec: MetricReadSpec) {
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
  return { values, segments, range };
}

/** One grouped subquery: one data source's metrics over one window. */
interface SubqueryPart {
  readonly alias: string;
  readonly metrics: readonly MetricColumn[];
  readonly window: DayWindow;
  readonly anchor: 'enrollment_date' | 'exposure_date';
  readonly suffix: '' | '_pre';
}

/** The analysis window per data source, then the covariate window per data source. */
function subqueryParts(spec: MetricReadSpec): SubqueryPart[] {
  const anchor =
    spec.basis === 'exposures' && !spec.exposureSignal ? 'exposure_date' : 'enrollment_date';
  const groups = groupByDataSource(spec.metrics);
  const parts = groups.map((metrics, index): SubqueryPart => ({
    alias: `ds_${index}`,
    metrics,
    window: spec.window,
    anchor,
    suffix: '',
  }));
  const covariate = spec.covariateWindow;
  if (covariate) {
    groups.forEach((metrics, index) =>
      parts.push({
        alias: `ds_${index}_pre`,
        metrics,
        window: covariate,
        anchor: 'enrollment_date',
        suffix: '_pre',
      }),
    );
  }
  return parts;
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
