import type { SeedPlan } from './seed-plan.js';

/**
 * SQL for the calendar, the experiments, their arms and who enrolled where.
 *
 * A client whose bucket falls in an experiment's range enrolls on the first day of the
 * enrollment dates on which it is active (judged by its pre-treatment activity, so enrollment
 * never depends on the treatment). Its branch is drawn with the branches' assignment ratios,
 * which differ from the published ratios only for a planted sample ratio mismatch.
 */

/** Platform codes used in the SQL tables. */
export const PLATFORM_CODE = { firefox_desktop: 0, fenix: 1 } as const;

/** Unenrollment hazard per day after enrollment. */
const UNENROLL_RATE = 0.01;

/** `days`: day index t, its date and whether it is a weekend day. */
export function createDaysSql(plan: SeedPlan): string {
  return `CREATE TABLE days AS
SELECT range::INTEGER AS t, syn_date(range) AS date, dayofweek(syn_date(range)) IN (0, 6) AS weekend
FROM range(${plan.options.days})`;
}

/** `experiments`: one row per planned experiment with its bucket range and enrollment days. */
export function createExperimentsSql(plan: SeedPlan): string {
  const rows = plan.experiments.map(
    (e, index) =>
      `(${index}, ${sqlString(e.slug)}, ${PLATFORM_CODE[e.platform]}, ${e.bucketStart}, ` +
      `${e.bucketCount}, ${e.enrollFirstDay}, ${e.enrollLastDay}, ${e.exposureRate})`,
  );
  return `CREATE TABLE experiments AS SELECT * FROM (VALUES ${rows.join(', ')})
AS v(experiment_index, slug, platform, bucket_start, bucket_count, enroll_first_day,
     enroll_last_day, exposure_rate)`;
}

/** `arms`: branches with their cumulative assignment range [cum_lo, cum_hi) and knobs. */
export function createArmsSql(plan: SeedPlan): string {
  const rows: string[] = [];
  for (const [experimentIndex, e] of plan.experiments.entries()) {
    const total = e.branches.reduce((sum, b) => sum + b.assignmentRatio, 0);
    let cumulative = 0;
    e.branches.forEach((b, index) => {
      const lo = cumulative / total;
      cumulative += b.assignmentRatio;
      const hi = index === e.branches.length - 1 ? 1.0000001 : cumulative / total;
      const k = b.knobs;
      rows.push(
        `(${experimentIndex}, ${sqlString(e.slug)}, ${sqlString(b.slug)}, ${index}, ${lo}, ${hi}, ${k.activity}, ` +
          `${k.intensity}, ${k.search}, ${k.adClick}, ${k.defaultBrowser})`,
      );
    });
  }
  return `CREATE TABLE arms AS SELECT * FROM (VALUES ${rows.join(', ')})
AS v(experiment_index, slug, branch, branch_index, cum_lo, cum_hi, k_activity, k_intensity,
     k_search, k_ad, k_default)`;
}

/** `enrollments`: one row per enrolled client with branch, knobs, exposure and unenrollment. */
export function createEnrollmentsSql(): string {
  return `CREATE TABLE enrollments AS
WITH eligible AS (
  SELECT c.ck, c.a, c.weekday_f, c.weekend_f, c.churn, c.first_t, x.slug, x.exposure_rate,
         x.enroll_first_day, x.enroll_last_day
  FROM clients c JOIN experiments x ON x.platform = c.platform
   AND c.bucket >= x.bucket_start AND c.bucket < x.bucket_start + x.bucket_count
), first_active AS (
  SELECT e.ck, e.slug, any_value(e.exposure_rate) AS exposure_rate, min(d.t) AS t_e
  FROM eligible e JOIN days d ON d.t BETWEEN e.enroll_first_day AND e.enroll_last_day
  WHERE ${activeDrawSql('e.ck', 'd.t')} < syn_activity(e.a,
    CASE WHEN d.weekend THEN e.weekend_f ELSE e.weekday_f END, e.churn, e.first_t, d.t, 0.0)
  GROUP BY e.ck, e.slug
)
SELECT f.ck, f.slug, f.t_e, b.branch, b.branch_index,
  b.k_activity, b.k_intensity, b.k_search, b.k_ad, b.k_default,
  syn_u(61, f.ck, -3) < f.exposure_rate AS exposed,
  f.t_e + floor(syn_exp(syn_u(62, f.ck, -3), 1.5))::INTEGER AS t_exposure,
  1 + floor(syn_exp(syn_u(63, f.ck, -3), 0.7))::INTEGER AS exposure_events,
  CASE WHEN syn_u(64, f.ck, -3) < 0.5 THEN 'expose' ELSE 'exposure' END AS exposure_method,
  f.t_e + 1 + floor(syn_exp(syn_u(65, f.ck, -3), ${1 / UNENROLL_RATE}))::INTEGER AS t_unenroll,
  syn_uuid(md5('enrollment:' || syn_u(66, f.ck, -3) || ':' || f.slug)) AS enrollment_id
FROM first_active f
JOIN arms b ON b.slug = f.slug
 AND syn_u(60, f.ck, -3) >= b.cum_lo AND syn_u(60, f.ck, -3) < b.cum_hi`;
}

/**
 * `clients_x`: every client with its enrollment (if any) and knobs; the per-day generators
 * cross this with `days`. A client is in at most one experiment (bucket ranges are disjoint).
 */
export function createEnrolledClientsSql(): string {
  return `CREATE TABLE clients_x AS
SELECT c.*, e.slug, e.branch, e.t_e, e.enrollment_id,
  coalesce(e.k_activity, 0.0) AS k_activity, coalesce(e.k_intensity, 0.0) AS k_intensity,
  coalesce(e.k_search, 0.0) AS k_search, coalesce(e.k_ad, 0.0) AS k_ad,
  coalesce(e.k_default, 0.0) AS k_default
FROM clients c LEFT JOIN enrollments e ON e.ck = c.ck
ORDER BY c.ck`;
}

/** The uniform deciding whether a client is active on a day (slot 0 of draw 1 of that day). */
export function activeDrawSql(key: string, day: string): string {
  return `syn_slot(syn_h(${key}, ${day}, 1), 0)`;
}

/** A SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
