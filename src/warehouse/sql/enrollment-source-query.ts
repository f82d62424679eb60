import type { AnalysisUnit } from '../../config/analysis-config.js';
import { UnsupportedEnrollmentsQueryError } from '../warehouse-errors.js';
import { columnName } from './column-path.js';
import { dateParam } from './day-offset.js';
import type { TableNamer } from './table-namer.js';

/** What the enrollment source queries need besides the parameters. */
export interface EnrollmentSourceOptions {
  readonly queryType: string;
  readonly analysisUnit: AnalysisUnit;
  readonly appDataset: string | null;
  readonly customQuery: string | null;
  /** Whether `@sample_size` is bound (filter `sample_id < @sample_size`). */
  readonly sampled: boolean;
  readonly tables: TableNamer;
}

/**
 * The raw enrollments: one row per (analysis_id, branch) with `enrollment_date` (first event)
 * and `num_enrollment_events`, from enrollment events between `@enrollment_start` and
 * `@enrollment_end` (spec/analysis.md §1.5). A custom enrollment query is used as it is.
 * @throws UnsupportedEnrollmentsQueryError for other query types without a custom query.
 */
export function enrollmentSourceQuery(options: EnrollmentSourceOptions): string {
  if (options.customQuery !== null && options.customQuery.trim() !== '') {
    return options.customQuery;
  }
  switch (options.queryType) {
    case 'normandy':
      return normandyEnrollments(options);
    case 'glean-event':
      return gleanEventEnrollments(options);
    default:
      throw new UnsupportedEnrollmentsQueryError(
        `unsupported enrollments query type ${JSON.stringify(options.queryType)}: ` +
          `only "normandy" and "glean-event" are supported, or give a custom enrollment_query`,
      );
  }
}

function sampleFilter(sampled: boolean, alias: string): string {
  return sampled ? `\n  AND ${alias}.sample_id < @sample_size` : '';
}

function normandyEnrollments(options: EnrollmentSourceOptions): string {
  const unit = columnName(options.analysisUnit);
  return `SELECT
  ev.${unit} AS analysis_id,
  mozfun.map.get_key(ev.event_map_values, 'branch') AS branch,
  MIN(ev.submission_date) AS enrollment_date,
  COUNT(ev.submission_date) AS num_enrollment_events
FROM ${options.tables.source('telemetry', 'events')} ev
WHERE ev.event_category = 'normandy'
  AND ev.event_method = 'enroll'
  AND ev.event_string_value = @slug
  AND ev.submission_date BETWEEN ${dateParam('enrollment_start')} AND ${dateParam('enrollment_end')}${sampleFilter(options.sampled, 'ev')}
GROUP BY ev.${unit}, mozfun.map.get_key(ev.event_map_values, 'branch')`;
}

function gleanEventEnrollments(options: EnrollmentSourceOptions): string {
  if (options.appDataset === null || options.appDataset === '') {
    throw new UnsupportedEnrollmentsQueryError(
      'glean-event enrollments need the app dataset (e.g. org_mozilla_firefox)',
    );
  }
  const unit = columnName(options.analysisUnit);
  return `SELECT
  ev.${unit} AS analysis_id,
  JSON_VALUE(ev.event_extra, '$.branch') AS branch,
  MIN(DATE(ev.submission_timestamp)) AS enrollment_date,
  COUNT(ev.submission_timestamp) AS num_enrollment_events
FROM ${options.tables.source(options.appDataset, 'events_stream')} ev
WHERE ev.event_category = 'nimbus_events'
  AND ev.event_name = 'enrollment'
  AND JSON_VALUE(ev.event_extra, '$.experiment') = @slug
  AND DATE(ev.submission_timestamp) BETWEEN ${dateParam('enrollment_start')} AND ${dateParam('enrollment_end')}${sampleFilter(options.sampled, 'ev')}
GROUP BY ev.${unit}, JSON_VALUE(ev.event_extra, '$.branch')`;
}
