import { addDays, compareIsoDates, isIsoDate } from '../../analysis/iso-date.js';
import { assertExperimentSlug } from '../../analysis/sql-identifier.js';
import type { EnrollmentsSpec } from '../enrollments-spec.js';
import { enrollmentSourceQuery } from './enrollment-source-query.js';
import { customExposuresQuery, defaultExposuresQuery } from './exposures-query.js';
import { dateParam } from './day-offset.js';
import { groupSegments, segmentGroupQuery } from './segments-query.js';
import { columnName } from './column-path.js';
import { usedParams, type SqlParamValue, type SqlQuery } from './sql-query.js';
import type { TableNamer } from './table-namer.js';

/**
 * The query whose result is `enrollments_<slug>` (spec/analysis.md §1.5): the enrollment source
 * (or custom query) → one LEFT JOIN per segment group → LEFT JOIN exposures. Columns:
 * `analysis_id, branch, enrollment_date, num_enrollment_events, <segment BOOLs>, exposure_date,
 * num_exposure_events`.
 * @throws UnsafeIdentifierError for a bad slug, segment name or column name.
 * @throws UnsupportedEnrollmentsQueryError for an unsupported enrollments query type.
 * @throws RangeError for bad dates, enrollment period or sample size.
 */
export function buildEnrollmentsQuery(spec: EnrollmentsSpec, tables: TableNamer): SqlQuery {
  const params = enrollmentsParams(spec);
  const appDataset = spec.appDataset ?? null;
  const source = enrollmentSourceQuery({
    queryType: spec.enrollmentsQueryType,
    analysisUnit: spec.analysisUnit,
    appDataset,
    customQuery: spec.enrollmentQuery ?? null,
    sampled: 'sample_size' in params,
    tables,
  });
  const ctes = [`raw_enrollments AS (\n${source}\n)`];
  const joins: string[] = [];
  const segmentColumns: string[] = [];
  groupSegments(spec.segments).forEach((group, index) => {
    const alias = `segment_${index}`;
    ctes.push(
      `${alias} AS (\n${segmentGroupQuery(group, { analysisUnit: spec.analysisUnit, enrollmentsCte: 'raw_enrollments' })}\n)`,
    );
    joins.push(
      `LEFT JOIN ${alias} ON ${alias}.analysis_id = e.analysis_id AND ${alias}.branch = e.branch`,
    );
    for (const segment of group.segments) {
      segmentColumns.push(`${alias}.${columnName(segment.name, 'segment name')}`);
    }
  });
  const exposures = spec.exposureSignal
    ? customExposuresQuery({
        signal: spec.exposureSignal,
        analysisUnit: spec.analysisUnit,
        enrollmentsCte: 'raw_enrollments',
        window: {
          analysisWindowStart: dateParam('enrollment_start'),
          analysisWindowEnd: dateParam('enrollment_end'),
        },
      })
    : defaultExposuresQuery({
        queryType: spec.enrollmentsQueryType,
        analysisUnit: spec.analysisUnit,
        appDataset,
        enrollmentsCte: 'raw_enrollments',
        tables,
      });
  let exposureColumns =
    'CAST(NULL AS DATE) AS exposure_date,\n  CAST(0 AS INT64) AS num_exposure_events';
  if (exposures !== null) {
    ctes.push(`exposures AS (\n${exposures}\n)`);
    joins.push('LEFT JOIN exposures x ON x.analysis_id = e.analysis_id AND x.branch = e.branch');
    exposureColumns =
      'x.exposure_date,\n  COALESCE(x.num_exposure_events, 0) AS num_exposure_events';
  }
  const columns = [
    'e.analysis_id',
    'e.branch',
    'e.enrollment_date',
    'e.num_enrollment_events',
    ...segmentColumns,
    exposureColumns,
  ];
  const sql = `WITH ${ctes.join(',\n')}
SELECT
  ${columns.join(',\n  ')}
FROM raw_enrollments e
${joins.join('\n')}`.trimEnd();
  return { sql, params: usedParams(sql, params) };
}

/**
 * The bound parameters: `@slug`, `@enrollment_start`, `@enrollment_end` (start + period, capped
 * at the last day of data), `@last_date` and, when sampling, `@sample_size`.
 */
export function enrollmentsParams(spec: EnrollmentsSpec): Record<string, SqlParamValue> {
  assertExperimentSlug(spec.slug);
  for (const [key, value] of [
    ['startDate', spec.startDate],
    ['lastDateOfData', spec.lastDateOfData],
  ] as const) {
    if (!isIsoDate(value)) throw new RangeError(`${key} is not a YYYY-MM-DD date: ${value}`);
  }
  if (!Number.isSafeInteger(spec.enrollmentPeriod) || spec.enrollmentPeriod < 0) {
    throw new RangeError(
      `enrollmentPeriod must be a whole number of days ≥ 0: ${spec.enrollmentPeriod}`,
    );
  }
  const lastEnrollment = addDays(spec.startDate, spec.enrollmentPeriod);
  const params: Record<string, SqlParamValue> = {
    slug: spec.slug,
    enrollment_start: spec.startDate,
    enrollment_end:
      compareIsoDates(lastEnrollment, spec.lastDateOfData) <= 0
        ? lastEnrollment
        : spec.lastDateOfData,
    last_date: spec.lastDateOfData,
  };
  const sampleSize = spec.sampleSize;
  if (sampleSize !== undefined && sampleSize !== null) {
    if (!Number.isFinite(sampleSize) || sampleSize < 0 || sampleSize > 100) {
      throw new RangeError(`sampleSize must be between 0 and 100: ${sampleSize}`);
    }
    params.sample_size = sampleSize;
  }
  return params;
}
