import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parquet, query, seedTemp, type SeededWarehouse } from './synthetic-helpers.js';

const SIMPLE_MAP = 'STRUCT("key" VARCHAR, "value" VARCHAR)[]';
const NATIVE_MAP =
  'STRUCT("key" VARCHAR, "value" STRUCT(branch VARCHAR, extra STRUCT("type" VARCHAR, enrollment_id VARCHAR)))[]';

/** Columns (and DuckDB types) the generated metric-hub definitions and the analysis read. */
const EXPECTED_COLUMNS: Record<string, Record<string, string>> = {
  'telemetry.clients_daily': {
    submission_date: 'DATE',
    client_id: 'VARCHAR',
    profile_group_id: 'VARCHAR',
    sample_id: 'INTEGER',
    active_hours_sum: 'DOUBLE',
    scalar_parent_browser_engagement_total_uri_count_sum: 'BIGINT',
    scalar_parent_browser_engagement_total_uri_count_normal_and_private_mode_sum: 'BIGINT',
    pings_aggregated_by_this_row: 'BIGINT',
    is_default_browser: 'BOOLEAN',
    country: 'VARCHAR',
    experiments: SIMPLE_MAP,
  },
  'telemetry.clients_last_seen': {
    submission_date: 'DATE',
    client_id: 'VARCHAR',
    is_regular_user_v3: 'BOOLEAN',
    is_new_or_resurrected_v3: 'BOOLEAN',
    activity_segments_v1: 'VARCHAR',
    days_seen_bits: 'BIGINT',
    days_active_bits: 'BIGINT',
    experiments: SIMPLE_MAP,
  },
  'telemetry.desktop_active_users': {
    submission_date: 'DATE',
    client_id: 'VARCHAR',
    is_desktop: 'BOOLEAN',
    is_dau: 'BOOLEAN',
    days_active_bits: 'BIGINT',
  },
  'search.search_clients_engines_sources_daily': {
    submission_date: 'DATE',
    client_id: 'VARCHAR',
    engine: 'VARCHAR',
    source: 'VARCHAR',
    sap: 'BIGINT',
    tagged_sap: 'BIGINT',
    tagged_follow_on: 'BIGINT',
    organic: 'BIGINT',
    search_with_ads: 'BIGINT',
    ad_click: 'BIGINT',
  },
  'telemetry.events': {
    submission_date: 'DATE',
    timestamp: 'TIMESTAMP',
    client_id: 'VARCHAR',
    profile_group_id: 'VARCHAR',
    sample_id: 'INTEGER',
    event_category: 'VARCHAR',
    event_method: 'VARCHAR',
    event_object: 'VARCHAR',
    event_string_value: 'VARCHAR',
    event_map_values: SIMPLE_MAP,
    experiments: NATIVE_MAP,
  },
  'org_mozilla_firefox.events_stream': {
    submission_timestamp: 'TIMESTAMP',
    client_id: 'VARCHAR',
    sample_id: 'INTEGER',
    event_category: 'VARCHAR',
    event_name: 'VARCHAR',
    event_extra: 'JSON',
    experiments: 'JSON',
  },
  'org_mozilla_firefox.baseline': {
    submission_timestamp: 'TIMESTAMP',
    document_id: 'VARCHAR',
    sample_id: 'INTEGER',
  },
};

describe('synthetic warehouse tables (read back from Parquet)', () => {
  let seeded: SeededWarehouse;
  let dailyTable: string;

  beforeAll(async () => {
    seeded = await seedTemp({ clients: 2000, days: 42, seed: 3 });
    dailyTable = parquet(seeded.dir, 'telemetry', 'clients_daily');
  });
  afterAll(async () => {
    await seeded?.remove();
  });

  it.each(Object.entries(EXPECTED_COLUMNS))(
    '%s has the columns the metrics read',
    async (name, columns) => {
      const [dataset = '', table = ''] = name.split('.');
      const described = await query(
        `DESCRIBE SELECT * FROM ${parquet(seeded.dir, dataset, table)}`,
      );
      const types = Object.fromEntries(described.map((r) => [r['column_name'], r['column_type']]));
      expect(types).toMatchObject(columns);
      const count = await query(`SELECT count(*) AS n FROM ${parquet(seeded.dir, dataset, table)}`);
      const manifestRows = seeded.manifest.tables.find(
        (t) => `${t.dataset}.${t.table}` === name,
      )?.rows;
      expect(Number(count[0]?.['n'])).toBe(manifestRows);
      expect(manifestRows).toBeGreaterThan(0);
    },
  );

  it('nests the Glean baseline fields where metric-hub reads them', async () => {
    const rows =
      await query(`SELECT typeof(metrics.timespan.glean_baseline_duration.value) AS duration,
        typeof(client_info.client_id) AS client, typeof(ping_info.experiments) AS experiments
      FROM ${parquet(seeded.dir, 'org_mozilla_firefox', 'baseline')} LIMIT 1`);
    expect(rows[0]).toEqual({
      duration: 'BIGINT',
      client: 'VARCHAR',
      experiments: NATIVE_MAP,
    });
  });

  it('has zero-inflated, heavy-tailed active hours', async () => {
    const [r] = await query(`SELECT avg((active_hours_sum = 0)::INTEGER) AS zero,
        quantile_cont(active_hours_sum, 0.5) AS median, quantile_cont(active_hours_sum, 0.99) AS p99
      FROM ${dailyTable}`);
    expect(Number(r?.['zero'])).toBeGreaterThan(0.05);
    expect(Number(r?.['zero'])).toBeLessThan(0.3);
    expect(Number(r?.['p99']) / Number(r?.['median'])).toBeGreaterThan(5);
  });

  it('has a weekday cycle, per-client propensity and retention decay', async () => {
    const [week] = await query(`SELECT
        count(*) FILTER (WHERE dayofweek(submission_date) NOT IN (0, 6))
          / count(DISTINCT submission_date) FILTER (WHERE dayofweek(submission_date) NOT IN (0, 6)) AS weekday,
        count(*) FILTER (WHERE dayofweek(submission_date) IN (0, 6))
          / count(DISTINCT submission_date) FILTER (WHERE dayofweek(submission_date) IN (0, 6)) AS weekend
      FROM ${dailyTable}`);
    expect(Number(week?.['weekday'])).toBeGreaterThan(1.1 * Number(week?.['weekend']));
    const [spread] =
      await query(`SELECT avg((days >= 30)::INTEGER) AS daily, avg((days <= 8)::INTEGER) AS rare
      FROM (SELECT client_id, count(*) AS days FROM ${dailyTable} GROUP BY client_id)`);
    expect(Number(spread?.['daily'])).toBeGreaterThan(0.2);
    expect(Number(spread?.['rare'])).toBeGreaterThan(0.1);
    const [decay] =
      await query(`WITH bounds AS (SELECT min(submission_date) AS first, max(submission_date) AS last FROM ${dailyTable}),
        cohort AS (SELECT DISTINCT client_id FROM ${dailyTable}, bounds WHERE submission_date < first + 7)
      SELECT count(*) FILTER (WHERE submission_date < first + 7) AS early,
             count(*) FILTER (WHERE submission_date > last - 7) AS late
      FROM ${dailyTable} JOIN cohort USING (client_id), bounds`);
    expect(Number(decay?.['late'])).toBeLessThan(0.95 * Number(decay?.['early']));
  });

  it('tags rows with the enrolled experiment from enrollment on, in both map shapes', async () => {
    const rows = await query(`WITH e AS (
        SELECT client_id, event_string_value AS slug, submission_date AS enrolled,
          list_filter(event_map_values, x -> x.key = 'branch')[1].value AS branch
        FROM ${parquet(seeded.dir, 'telemetry', 'events')}
        WHERE event_category = 'normandy' AND event_method = 'enroll')
      SELECT
        count(*) FILTER (WHERE d.submission_date > e.enrolled
          AND list_filter(d.experiments, x -> x.key = e.slug)[1].value IS DISTINCT FROM e.branch) AS wrong_after,
        count(*) FILTER (WHERE d.submission_date < e.enrolled
          AND len(list_filter(d.experiments, x -> x.key = e.slug)) > 0) AS tagged_before,
        avg((len(list_filter(d.experiments, x -> x.key = e.slug)) > 0)::INTEGER)
          FILTER (WHERE d.submission_date = e.enrolled) AS tagged_on_day
      FROM e JOIN ${dailyTable} d USING (client_id)`);
    expect(Number(rows[0]?.['wrong_after'])).toBe(0);
    expect(Number(rows[0]?.['tagged_before'])).toBe(0);
    expect(Number(rows[0]?.['tagged_on_day'])).toBeGreaterThan(0.6);
    expect(Number(rows[0]?.['tagged_on_day'])).toBeLessThan(0.9);
    const stream =
      await query(`SELECT count(*) AS n FROM ${parquet(seeded.dir, 'org_mozilla_firefox', 'events_stream')}
      WHERE event_name = 'exposure'
        AND json_extract_string(experiments, '$."fenix-homescreen-cards".branch')
          IS DISTINCT FROM json_extract_string(event_extra, '$.branch')`);
    expect(Number(stream[0]?.['n'])).toBe(0);
  });

  it('keeps 28-day bit patterns and writes the tables in day order', async () => {
    const lastSeen = parquet(seeded.dir, 'telemetry', 'clients_last_seen');
    const [bits] = await query(`SELECT
        count(*) FILTER (WHERE days_seen_bits & 1 = 0) AS not_seen_today,
        count(*) FILTER (WHERE days_seen_bits >= 268435456) AS beyond_28_days,
        count(*) FILTER (WHERE days_active_bits & ~days_seen_bits != 0) AS active_not_seen,
        max(bit_count(days_seen_bits)) AS most_days
      FROM ${lastSeen}`);
    expect(Number(bits?.['not_seen_today'])).toBe(0);
    expect(Number(bits?.['beyond_28_days'])).toBe(0);
    expect(Number(bits?.['active_not_seen'])).toBe(0);
    expect(Number(bits?.['most_days'])).toBeGreaterThan(20);
    const [order] =
      await query(`SELECT count(*) FILTER (WHERE submission_date < previous) AS backwards
      FROM (SELECT submission_date, lag(submission_date) OVER () AS previous FROM ${dailyTable})`);
    expect(Number(order?.['backwards'])).toBe(0);
  });

  it('sends exposure events only on or after enrollment, and decoys outside normandy', async () => {
    const [r] = await query(`WITH e AS (
        SELECT client_id, event_string_value AS slug, min(submission_date) AS enrolled
        FROM ${parquet(seeded.dir, 'telemetry', 'events')}
        WHERE event_category = 'normandy' AND event_method = 'enroll' GROUP BY ALL)
      SELECT count(*) FILTER (WHERE x.submission_date < e.enrolled) AS early,
        count(*) AS exposures
      FROM ${parquet(seeded.dir, 'telemetry', 'events')} x JOIN e
        ON x.client_id = e.client_id AND x.event_string_value = e.slug
      WHERE x.event_method IN ('expose', 'exposure')`);
    expect(Number(r?.['early'])).toBe(0);
    expect(Number(r?.['exposures'])).toBeGreaterThan(100);
    const [decoys] =
      await query(`SELECT count(*) AS n FROM ${parquet(seeded.dir, 'telemetry', 'events')}
      WHERE event_category = 'foo' AND event_method = 'enroll'`);
    expect(Number(decoys?.['n'])).toBeGreaterThan(0);
  });
});
