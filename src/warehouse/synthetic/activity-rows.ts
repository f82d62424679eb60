import { activeDrawSql } from './enrollment-tables.js';
import {
  ADS_SHARE,
  ENROLLMENT_DAY_TAG_RATE,
  FOLLOW_ON_SHARE,
  HOUR_TICKS,
  ORGANIC_SIGMA,
  SEARCH_SIGMA,
} from './model-macros.js';

/**
 * SQL for the per-client-day activity of one platform: every (client, day) of the calendar,
 * kept when the client is active that day, with the experiment tag and the effective knobs.
 *
 * A row is "tagged" (carries the experiment in its `experiments` map and gets the treatment)
 * from the day after enrollment on, and on the enrollment day itself with probability
 * {@link ENROLLMENT_DAY_TAG_RATE} (the rest of that day's activity came before enrolling).
 * The activity knob acts from the day after enrollment (the enrollment day is active anyway).
 * DuckDB inlines CTE columns into the expressions that use them and only shares repeated
 * subexpressions outside CASE, so values used more than once are computed with arithmetic on
 * booleans (`flag::INTEGER * value`) rather than CASE.
 */
/** The numeric client columns the generators read (strings are joined at export). */
const PROPENSITY_COLUMNS = [
  'ck',
  'a',
  'churn',
  'first_t',
  'zero_hours',
  'mu_hours',
  'uri_rate',
  'uri_prob',
  'private_share',
  'default_prob',
  'search_prob',
  'mu_search',
  'tagged_share',
  'organic_prob',
  'mu_organic',
  'ad_ctr',
  't_e',
  'k_activity',
  'k_intensity',
  'k_search',
  'k_ad',
  'k_default',
]
  .map((column) => `c.${column}`)
  .join(', ');

function activeGridSql(platform: number): string {
  return `WITH grid AS (
  SELECT d.t, d.date, syn_h(c.ck, d.t, 1) AS h1,
    CASE WHEN d.weekend THEN c.weekend_f ELSE c.weekday_f END AS day_f,
    CASE WHEN d.weekend THEN c.weekend_int ELSE 1.0 END AS day_int,
    c.slug IS NOT NULL AS enrolled, ${PROPENSITY_COLUMNS}
  FROM days d CROSS JOIN clients_x c WHERE c.platform = ${platform}
), active AS (
  SELECT *,
    enrolled AND (t > t_e OR (t = t_e AND syn_slot(h1, 1) < ${ENROLLMENT_DAY_TAG_RATE})) AS tagged
  FROM grid
  WHERE ${activeDrawSql('ck', 't')} < syn_activity(a, day_f, churn, first_t, t,
                                         CASE WHEN t > t_e THEN k_activity ELSE 0.0 END)
), effective AS (
  SELECT *,
    syn_slot(h1, 2) < zero_hours AS zero_day,
    tagged::INTEGER * k_intensity AS eff_intensity,
    tagged::INTEGER * k_search AS eff_search,
    tagged::INTEGER * k_ad AS eff_ad,
    tagged::INTEGER * k_default AS eff_default
  FROM active
)`;
}

/**
 * Columns every platform's rows keep. Rows stay numeric: the table writers join the client's
 * strings (ids, country, experiment slug and branch) from `clients_x` by `ck`, which is much
 * cheaper than storing them per row.
 */
const KEPT = 't, date, ck, tagged';

/**
 * `desktop_draws`: the active desktop client-days with their expensive draws (log-normal hours,
 * searches) computed once and stored, so that the measures derived from them in
 * {@link createDesktopRowsSql} read columns instead of re-evaluating the draws.
 */
export function createDesktopDrawsSql(): string {
  return `CREATE TABLE desktop_draws AS
${activeGridSql(0)}, hashed AS (
  SELECT *, syn_h(ck, t, 2) AS h2, syn_h(ck, t, 4) AS h4, syn_h(ck, t, 5) AS h5,
    syn_h(ck, t, 7) AS h7, syn_h(ck, t, 8) AS h8
  FROM effective
)
SELECT t, date, ck, tagged, zero_day, eff_ad, eff_default, uri_prob, uri_rate, private_share,
  default_prob, tagged_share, ad_ctr, h2, h4, h7,
  syn_h(ck, t, 3) AS h3, syn_h(ck, t, 6) AS h6,
  syn_hours_draw(mu_hours, syn_bm(h2), day_int, eff_intensity) AS hours_raw,
  ((syn_slot(h4, 2) < search_prob)::INTEGER * (1 + floor(exp(mu_search + ${SEARCH_SIGMA} * syn_bm(h5))
    * (1 + eff_search) + syn_slot(h5, 2))))::BIGINT AS sap,
  ((syn_slot(h7, 1) < organic_prob)::INTEGER * (1 + floor(exp(mu_organic + ${ORGANIC_SIGMA} * syn_bm(h8))
    + syn_slot(h8, 2))))::BIGINT AS organic
FROM hashed`;
}

/**
 * A 28-day bit pattern as BigQuery's `clients_last_seen` keeps it: bit i set when the client was
 * seen (and `condition` held) i days before this row's day. Sums of distinct powers of two are
 * exact in doubles, so the window sum does not depend on the order it is added in.
 */
function bitsSql(condition: string): string {
  return `(sum(CASE WHEN ${condition} THEN pow(2.0, -t) ELSE 0.0 END)
    OVER (PARTITION BY ck ORDER BY t RANGE BETWEEN 27 PRECEDING AND CURRENT ROW)
    * pow(2.0, t))::BIGINT`;
}

/**
 * `desktop_rows`: every measure the desktop tables publish, from `desktop_draws`, in day order
 * (the bit patterns' window sorts by client; the tables should read like date partitions).
 */
export function createDesktopRowsSql(): string {
  return `CREATE TABLE desktop_rows AS
WITH counted AS (
  SELECT *,
    (NOT zero_day)::INTEGER
      * (floor(hours_raw * ${HOUR_TICKS} + syn_slot(h2, 2)) + 1) / ${HOUR_TICKS} AS active_hours_sum,
    ((NOT zero_day AND syn_slot(h3, 0) < uri_prob)::INTEGER
      * (1 + floor(hours_raw * uri_rate + syn_slot(h3, 1))))::BIGINT AS uri_count,
    (1 + floor(syn_exp(syn_slot(h4, 0), 1.5)))::BIGINT AS pings,
    syn_slot(h4, 1) < syn_clamp01(default_prob + eff_default) AS is_default_browser,
    floor(sap * tagged_share + syn_slot(h6, 0))::BIGINT AS tagged_sap,
    floor(sap * ${ADS_SHARE} + syn_slot(h6, 2))::BIGINT AS search_with_ads
  FROM desktop_draws
)
SELECT ${KEPT}, active_hours_sum, uri_count, pings, is_default_browser, sap, tagged_sap, organic,
  search_with_ads, syn_slot(h7, 2) AS u_source,
  ${bitsSql('TRUE')} AS days_seen_bits,
  ${bitsSql('active_hours_sum > 0 AND uri_count > 0')} AS days_active_bits,
  uri_count + ((uri_count > 0)::INTEGER
    * floor(uri_count * private_share + syn_slot(h3, 2)))::BIGINT AS uri_count_all_modes,
  floor(tagged_sap * ${FOLLOW_ON_SHARE} + syn_slot(h6, 1))::BIGINT AS tagged_follow_on,
  floor(search_with_ads * ad_ctr * (1 + eff_ad) + syn_slot(h7, 0))::BIGINT AS ad_click
FROM counted
ORDER BY t, ck`;
}

/** `fenix_rows`: Fenix activity with the baseline ping's duration in seconds. */
export function createFenixRowsSql(): string {
  return `CREATE TABLE fenix_rows AS
${activeGridSql(1)}, hashed AS (
  SELECT *, syn_h(ck, t, 2) AS h2 FROM effective
)
SELECT ${KEPT},
  ((NOT zero_day)::INTEGER * floor(syn_hours_draw(mu_hours, syn_bm(h2), day_int, eff_intensity)
    * 3600 + syn_slot(h2, 2)))::BIGINT AS duration
FROM hashed`;
}
