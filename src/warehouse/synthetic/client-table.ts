import type { SeedPlan } from './seed-plan.js';

/**
 * SQL creating `clients`: one row per client of every platform with its stable propensities.
 * `ck` (2 × index + platform) keys every draw of that client. Platform 0 is Firefox Desktop,
 * 1 is Fenix.
 *
 * Distributions: four activity classes (core, regular, casual, infrequent) with their base daily
 * activity, a weekday or weekend pattern, a quarter of clients churning at 1–6 % a day, 15 % new
 * profiles first seen during the data range, log-normal usage intensity across clients, and
 * zero-inflation (active days with no active hours).
 */
export function createClientsSql(plan: SeedPlan): string {
  const { seed, days } = plan.options;
  return `CREATE TABLE clients AS
WITH keyed AS (
  SELECT 0 AS platform, range AS i, range * 2 AS ck FROM range(${plan.population.firefox_desktop})
  UNION ALL
  SELECT 1 AS platform, range AS i, range * 2 + 1 AS ck FROM range(${plan.population.fenix})
), drawn AS (
  SELECT platform, i, ck,
    CASE WHEN i % 2 = 1 AND syn_u(2, ck, -1) < 0.16 THEN ck - 2 ELSE ck END AS group_key,
    (hash(hash(${seed}, 3, ck)) % 100)::INTEGER AS sample_id,
    (hash(hash(${seed}, 4, ck)) % 10000)::INTEGER AS bucket,
    syn_u(5, ck, -1) AS u_class, syn_u(6, ck, -1) AS u_rate, syn_u(7, ck, -1) AS u_week,
    syn_u(8, ck, -1) AS u_churn, syn_u(10, ck, -1) AS u_new, syn_u(17, ck, -1) AS u_default,
    syn_u(26, ck, -1) AS u_country, syn_u(27, ck, -1) AS u_os, syn_u(25, ck, -1) AS u_engine
  FROM keyed
)
SELECT platform, i, ck, sample_id, bucket,
  syn_uuid(md5('${seed}:client:' || ck)) AS client_id,
  syn_uuid(md5('${seed}:group:' || group_key)) AS profile_group_id,
  ${activityColumns()},
  ${rhythmColumns(days)},
  ${usageColumns()},
  ${searchColumns()},
  ${placeColumns()}
FROM drawn`;
}

function activityColumns(): string {
  return `CASE WHEN u_class < 0.30 THEN 'core_user' WHEN u_class < 0.60 THEN 'regular_user'
       WHEN u_class < 0.85 THEN 'casual_user' ELSE 'infrequent_user' END AS activity_segment,
  CASE WHEN u_class < 0.30 THEN 0.85 + 0.12 * u_rate WHEN u_class < 0.60 THEN 0.50 + 0.30 * u_rate
       WHEN u_class < 0.85 THEN 0.20 + 0.25 * u_rate ELSE 0.03 + 0.12 * u_rate END AS a`;
}

function rhythmColumns(days: number): string {
  return `CASE WHEN u_week < 0.8 THEN 1.0 ELSE 0.9 END AS weekday_f,
  CASE WHEN u_week < 0.8 THEN 0.7 ELSE 1.2 END AS weekend_f,
  CASE WHEN u_week < 0.8 THEN 0.85 ELSE 1.15 END AS weekend_int,
  CASE WHEN u_churn < 0.25 THEN 0.01 + 0.05 * syn_u(9, ck, -1) ELSE 0.0 END AS churn,
  CASE WHEN u_new < 0.15 THEN floor(syn_u(11, ck, -1) * ${days})
       ELSE -1 - floor(syn_u(11, ck, -1) * 400) END::INTEGER AS first_t`;
}

function usageColumns(): string {
  return `0.05 + 0.2 * syn_u(12, ck, -1) AS zero_hours,
  CASE WHEN platform = 0 THEN 0.6 ELSE 0.5 END * greatest(-2.5, least(2.5, syn_z(13, ck, -1)))
    + CASE WHEN platform = 0 THEN 0.0 ELSE ln(0.5) END AS mu_hours,
  exp(ln(35.0) + 0.5 * syn_z(14, ck, -1)) AS uri_rate,
  0.85 + 0.14 * syn_u(15, ck, -1) AS uri_prob,
  0.1 * syn_u(16, ck, -1) AS private_share,
  CASE WHEN u_default < 0.4 THEN 0.9 + 0.08 * syn_u(18, ck, -1)
       ELSE 0.02 + 0.05 * syn_u(18, ck, -1) END AS default_prob,
  syn_u(28, ck, -1) < 0.3 AS in_holdback`;
}

function searchColumns(): string {
  return `0.1 + 0.6 * syn_u(19, ck, -1) AS search_prob,
  ln(1.5) + 0.6 * syn_z(20, ck, -1) AS mu_search,
  0.6 + 0.35 * syn_u(21, ck, -1) AS tagged_share,
  0.05 + 0.3 * syn_u(22, ck, -1) AS organic_prob,
  0.5 * syn_z(23, ck, -1) AS mu_organic,
  0.05 + 0.25 * syn_u(24, ck, -1) AS ad_ctr,
  CASE WHEN u_engine < 0.8 THEN 'google' WHEN u_engine < 0.9 THEN 'bing'
       WHEN u_engine < 0.96 THEN 'ddg' ELSE 'ecosia' END AS engine`;
}

function placeColumns(): string {
  return `CASE WHEN u_country < 0.30 THEN 'US' WHEN u_country < 0.45 THEN 'DE'
       WHEN u_country < 0.55 THEN 'FR' WHEN u_country < 0.63 THEN 'GB'
       WHEN u_country < 0.71 THEN 'IN' WHEN u_country < 0.77 THEN 'BR'
       WHEN u_country < 0.82 THEN 'JP' WHEN u_country < 0.87 THEN 'CA' ELSE 'PL' END AS country,
  CASE WHEN u_country < 0.30 THEN 'en-US' WHEN u_country < 0.45 THEN 'de'
       WHEN u_country < 0.55 THEN 'fr' WHEN u_country < 0.63 THEN 'en-GB'
       WHEN u_country < 0.71 THEN 'en-US' WHEN u_country < 0.77 THEN 'pt-BR'
       WHEN u_country < 0.82 THEN 'ja' WHEN u_country < 0.87 THEN 'en-CA' ELSE 'pl' END AS locale,
  CASE WHEN platform = 1 THEN 'Android' WHEN u_os < 0.8 THEN 'Windows_NT'
       WHEN u_os < 0.92 THEN 'Darwin' ELSE 'Linux' END AS os`;
}
