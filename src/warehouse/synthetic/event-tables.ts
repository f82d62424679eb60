import {
  SIMPLE_MAP_TYPE,
  jsonExperimentsSql,
  nativeExperimentsSql,
  timestampSql,
  type GeneratedTable,
} from './generated-table.js';
import { ENROLLMENT_DAY_TAG_RATE } from './model-macros.js';

/**
 * Event tables: `telemetry.events` (normandy enroll, expose/exposure and unenroll events of
 * desktop enrollments, plus decoys a query must filter out) and the Glean `events_stream` and
 * `baseline` tables of Fenix (`org_mozilla_firefox` dataset).
 */

/** Share of enrolled desktop clients that also get a decoy event (category `foo`). */
const DECOY_RATE = 0.05;

function enrolledSql(platform: number, days: number): string {
  return `WITH enrolled AS (
  SELECT e.*, c.client_id, c.profile_group_id, c.sample_id,
    e.t_e AS t, syn_u(40, e.ck, e.t_e) < ${ENROLLMENT_DAY_TAG_RATE} AS tagged,
    e.exposed AND e.t_exposure < ${days} AS exposure_in_data
  FROM enrollments e JOIN clients c ON c.ck = e.ck WHERE c.platform = ${platform}
)`;
}

function mapSql(entries: readonly [string, string][]): string {
  const items = entries.map(([k, v]) => `{'key': '${k}', 'value': ${v}}`);
  return `[${items.join(', ')}]::${SIMPLE_MAP_TYPE}`;
}

/** One kind of normandy event, as SQL expressions over the `enrolled` CTE. */
interface NormandyEvent {
  readonly category?: string;
  readonly method: string;
  readonly day: string;
  readonly tagged: string;
  readonly values: string;
}

function normandyRow(event: NormandyEvent): string {
  const { category = 'normandy', method, day, tagged, values } = event;
  return `SELECT syn_date(${day}) AS submission_date, ${timestampSql(52, 'ck', day)} AS timestamp,
    client_id, profile_group_id, sample_id, '${category}' AS event_category,
    ${method} AS event_method, 'nimbus_experiment' AS event_object, slug AS event_string_value,
    ${values} AS event_map_values,
    ${nativeExperimentsSql(tagged)} AS experiments,
    {'experiments': ${nativeExperimentsSql(tagged)}} AS environment,
    'release' AS normalized_channel, ck, ${day} AS t`;
}

/** `telemetry.events` for the desktop enrollments. */
export function normandyEventsTable(days: number): GeneratedTable {
  const enroll = normandyRow({
    method: "'enroll'",
    day: 't_e',
    tagged: 'tagged',
    values: mapSql([
      ['branch', 'branch'],
      ['enrollmentId', 'enrollment_id'],
      ['experimentType', "'nimbus'"],
    ]),
  });
  const exposure = normandyRow({
    method: 'exposure_method',
    day: 't_exposure',
    // an exposure happens after enrolling, so its ping always carries the experiment
    tagged: 'TRUE',
    values: mapSql([
      ['branchSlug', 'branch'],
      ['featureId', "'feature'"],
    ]),
  });
  const unenroll = normandyRow({
    method: "'unenroll'",
    day: 't_unenroll',
    tagged: 'TRUE',
    values: mapSql([
      ['reason', "'studies-opt-out'"],
      ['branch', 'branch'],
    ]),
  });
  const decoy = normandyRow({
    category: 'foo',
    method: "'enroll'",
    day: 't_e',
    tagged: 'FALSE',
    values: mapSql([['branch', "'decoy'"]]),
  });
  return {
    dataset: 'telemetry',
    table: 'events',
    select: `${enrolledSql(0, days)}, all_events AS (
  ${enroll} FROM enrolled
  UNION ALL ${exposure} FROM enrolled, range(exposure_events) WHERE exposure_in_data
  UNION ALL ${unenroll} FROM enrolled WHERE t_unenroll < ${days}
  UNION ALL ${decoy} FROM enrolled WHERE syn_u(69, ck, -4) < ${DECOY_RATE}
)
SELECT * EXCLUDE (ck, t) FROM all_events ORDER BY t, ck, timestamp, event_category, event_method`,
  };
}

/** The Glean event row of `events_stream` with category, name and extra (a JSON object). */
function gleanEventRow(name: string, day: string, extra: string): string {
  return `SELECT ${timestampSql(53, 'ck', day)} AS submission_timestamp, client_id, sample_id,
    'release' AS normalized_channel, 'Android' AS normalized_os,
    'nimbus_events' AS event_category, '${name}' AS event_name,
    json_object(${extra})::JSON AS event_extra,
    ${jsonExperimentsSql()} AS experiments, ck, ${day} AS t`;
}

/** `org_mozilla_firefox.events_stream`: nimbus enrollment/exposure events plus app events. */
export function gleanEventsStreamTable(days: number): GeneratedTable {
  const enrollment = gleanEventRow(
    'enrollment',
    't_e',
    "'experiment', slug, 'branch', branch, 'enrollment_id', enrollment_id, 'experiment_type', 'nimbus'",
  );
  const exposure = gleanEventRow(
    'exposure',
    't_exposure',
    "'experiment', slug, 'branch', branch, 'feature_id', 'homescreen'",
  );
  return {
    dataset: 'org_mozilla_firefox',
    table: 'events_stream',
    select: `${enrolledSql(1, days)}, all_events AS (
  ${enrollment} FROM enrolled
  UNION ALL ${exposure} FROM (SELECT * REPLACE (TRUE AS tagged) FROM enrolled)
    WHERE exposure_in_data
  UNION ALL SELECT ${timestampSql(54)} AS submission_timestamp, client_id, sample_id,
    'release', 'Android', 'homepage', 'opened', '{}'::JSON, ${jsonExperimentsSql()}, ck, t
    FROM fenix_rows JOIN clients_x USING (ck) WHERE syn_u(55, ck, t) < 0.3
)
SELECT * EXCLUDE (ck, t) FROM all_events ORDER BY t, ck, submission_timestamp, event_name`,
  };
}

/** `org_mozilla_firefox.baseline`: one Glean baseline ping per active Fenix client-day. */
export const GLEAN_BASELINE_TABLE: GeneratedTable = {
  dataset: 'org_mozilla_firefox',
  table: 'baseline',
  select: `SELECT ${timestampSql(50)} AS submission_timestamp,
  syn_uuid(md5('baseline:' || syn_u(56, ck, t))) AS document_id,
  sample_id, 'release' AS normalized_channel, country AS normalized_country_code,
  {'client_id': client_id, 'app_build': '2026021012', 'app_display_version': '147.0'} AS client_info,
  {'experiments': ${nativeExperimentsSql()}} AS ping_info,
  {'timespan': {'glean_baseline_duration': {'time_unit': 'second', 'value': duration}}} AS metrics
FROM fenix_rows JOIN clients_x USING (ck)`,
};
