import { simpleExperimentsSql, type GeneratedTable } from './generated-table.js';

/**
 * The Firefox Desktop telemetry tables, all projections of `desktop_rows` (one row per active
 * client-day), sorted by day and client like a date-partitioned BigQuery table.
 *
 * Columns are those the firefox_desktop metric-hub defaults read: active hours, URI counts, days
 * of use, default browser, the search counts (in `search.search_clients_engines_sources_daily`),
 * DAU qualification, segments' activity labels, and the `experiments` map.
 */
export const DESKTOP_TABLES: readonly GeneratedTable[] = [
  {
    dataset: 'telemetry',
    table: 'clients_daily',
    select: `SELECT date AS submission_date, client_id, profile_group_id, sample_id,
  active_hours_sum,
  uri_count AS scalar_parent_browser_engagement_total_uri_count_sum,
  uri_count_all_modes AS scalar_parent_browser_engagement_total_uri_count_normal_and_private_mode_sum,
  pings AS pings_aggregated_by_this_row,
  is_default_browser,
  sap + organic AS search_count_all,
  ad_click AS ad_clicks_count_all,
  country, locale, os, 'release' AS normalized_channel,
  ${simpleExperimentsSql()} AS experiments
FROM desktop_rows JOIN clients_x USING (ck)`,
  },
  {
    dataset: 'telemetry',
    table: 'clients_last_seen',
    select: `SELECT date AS submission_date, client_id, profile_group_id, sample_id,
  activity_segment IN ('core_user', 'regular_user') AS is_regular_user_v3,
  first_t >= 0 AND t - first_t < 27 AS is_new_or_resurrected_v3,
  activity_segment AS activity_segments_v1,
  0 AS days_since_seen,
  days_seen_bits, days_active_bits,
  country, os, 'release' AS normalized_channel,
  ${simpleExperimentsSql()} AS experiments
FROM desktop_rows JOIN clients_x USING (ck)`,
  },
  {
    dataset: 'telemetry',
    table: 'desktop_active_users',
    select: `SELECT date AS submission_date, client_id, profile_group_id, sample_id,
  TRUE AS is_desktop, TRUE AS is_daily_user,
  active_hours_sum > 0 AND uri_count > 0 AS is_dau,
  days_seen_bits, days_active_bits,
  country, 'release' AS normalized_channel
FROM desktop_rows JOIN clients_x USING (ck)`,
  },
  {
    dataset: 'search',
    table: 'search_clients_engines_sources_daily',
    select: `SELECT date AS submission_date, client_id, profile_group_id, sample_id, engine,
  CASE WHEN u_source < 0.7 THEN 'urlbar' ELSE 'searchbar' END AS source,
  country, sap, tagged_sap, tagged_follow_on, organic, search_with_ads, ad_click
FROM desktop_rows JOIN clients_x USING (ck) WHERE sap > 0 OR organic > 0`,
  },
];
