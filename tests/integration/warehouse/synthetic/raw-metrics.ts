import { parquet, query } from './synthetic-helpers.js';

/** Mean, sample variance and count of one metric in one branch, from the raw tables. */
export interface BranchMoments {
  readonly n: number;
  readonly mean: number;
  readonly variance: number;
}

/** Metric → branch → moments. */
export type RawMetrics = Record<string, Record<string, BranchMoments>>;

/** Desktop metrics computed here straight from the Parquet files, as the definitions say. */
export const RAW_DESKTOP_METRICS = [
  'active_hours',
  'uri_count',
  'days_of_use',
  'is_default_browser',
  'retained',
  'search_count',
  'ad_clicks',
] as const;

/** Fenix metrics computed here from the Glean baseline table. */
export const RAW_FENIX_METRICS = ['active_hours', 'days_of_use', 'retained'] as const;

/** Enrolled clients of a normandy experiment: client_id, branch, enrollment_date. */
function normandyEnrollments(dir: string, slug: string): string {
  return `SELECT client_id, list_filter(event_map_values, x -> x.key = 'branch')[1].value AS branch,
    min(submission_date) AS enrollment_date
  FROM ${parquet(dir, 'telemetry', 'events')}
  WHERE event_category = 'normandy' AND event_method = 'enroll' AND event_string_value = '${slug}'
  GROUP BY ALL`;
}

/** Rows of `source` joined to the enrollments `e` by client (hash join), inside the window. */
function windowRows(source: string, alias: string, start: number, end: number): string {
  return `FROM e JOIN ${source} ${alias} ON ${alias}.client_id = e.client_id
  WHERE ${alias}.submission_date BETWEEN e.enrollment_date + ${start} AND e.enrollment_date + ${end}`;
}

function desktopSql(dir: string, slug: string, start: number, end: number): string {
  const daily = parquet(dir, 'telemetry', 'clients_daily');
  const search = parquet(dir, 'search', 'search_clients_engines_sources_daily');
  return `WITH e AS (${normandyEnrollments(dir, slug)}
), cd AS (
  SELECT e.client_id, sum(d.active_hours_sum) AS active_hours,
    sum(d.scalar_parent_browser_engagement_total_uri_count_sum) AS uri_count,
    count(*) AS days_of_use, bool_or(d.is_default_browser)::INTEGER AS is_default_browser,
    (sum(d.pings_aggregated_by_this_row) > 0)::INTEGER AS retained
  ${windowRows(daily, 'd', start, end)}
    AND (d.submission_date != e.enrollment_date
         OR len(list_filter(d.experiments, x -> x.key = '${slug}')) > 0)
  GROUP BY e.client_id
), se AS (
  SELECT e.client_id, sum(s.sap) AS search_count, sum(s.ad_click) AS ad_clicks
  ${windowRows(search, 's', start, end)}
  GROUP BY e.client_id
)
SELECT e.client_id, e.branch,
  coalesce(cd.active_hours, 0) AS active_hours, coalesce(cd.uri_count, 0) AS uri_count,
  coalesce(cd.days_of_use, 0) AS days_of_use,
  coalesce(cd.is_default_browser, 0) AS is_default_browser, coalesce(cd.retained, 0) AS retained,
  coalesce(se.search_count, 0) AS search_count, coalesce(se.ad_clicks, 0) AS ad_clicks
FROM e LEFT JOIN cd USING (client_id) LEFT JOIN se USING (client_id)`;
}

function fenixSql(dir: string, slug: string, start: number, end: number): string {
  const stream = parquet(dir, 'org_mozilla_firefox', 'events_stream');
  const baseline = parquet(dir, 'org_mozilla_firefox', 'baseline');
  return `WITH e AS (
  SELECT client_id, json_extract_string(event_extra, '$.branch') AS branch,
    min(submission_timestamp::DATE) AS enrollment_date
  FROM ${stream}
  WHERE event_category = 'nimbus_events' AND event_name = 'enrollment'
    AND json_extract_string(event_extra, '$.experiment') = '${slug}'
  GROUP BY ALL
), b AS (
  SELECT client_info.client_id AS client_id, submission_timestamp::DATE AS submission_date,
    metrics.timespan.glean_baseline_duration.value AS duration, document_id,
    len(list_filter(ping_info.experiments, x -> x.key = '${slug}')) > 0 AS tagged
  FROM ${baseline}
), per_client AS (
  SELECT e.client_id, sum(b2.duration) / 3600.0 AS active_hours,
    count(DISTINCT b2.submission_date) AS days_of_use, (count(b2.document_id) > 0)::INTEGER AS retained
  ${windowRows('b', 'b2', start, end)}
    AND (b2.submission_date != e.enrollment_date OR b2.tagged)
  GROUP BY e.client_id
)
SELECT e.client_id, e.branch, coalesce(p.active_hours, 0) AS active_hours,
  coalesce(p.days_of_use, 0) AS days_of_use, coalesce(p.retained, 0) AS retained
FROM e LEFT JOIN per_client p USING (client_id)`;
}

/**
 * Per-branch moments of the raw per-client metrics of one experiment and window (enrollments
 * basis, enrollment-day guard applied), computed independently of contrail's SQL builders.
 */
export async function rawMetrics(
  dir: string,
  platform: 'firefox_desktop' | 'fenix',
  slug: string,
  window: { start: number; end: number },
): Promise<RawMetrics> {
  const metrics = platform === 'fenix' ? RAW_FENIX_METRICS : RAW_DESKTOP_METRICS;
  const perClient =
    platform === 'fenix'
      ? fenixSql(dir, slug, window.start, window.end)
      : desktopSql(dir, slug, window.start, window.end);
  const columns = metrics.map((m) => `avg(${m}) AS ${m}_mean, var_samp(${m}) AS ${m}_var`);
  const rows = await query(
    `SELECT branch, count(*) AS n, ${columns.join(', ')} FROM (${perClient}) GROUP BY branch`,
  );
  const result: RawMetrics = {};
  for (const metric of metrics) {
    result[metric] = Object.fromEntries(
      rows.map((r) => [
        String(r['branch']),
        {
          n: Number(r['n']),
          mean: Number(r[`${metric}_mean`]),
          variance: Number(r[`${metric}_var`]),
        },
      ]),
    );
  }
  return result;
}
