import { PERIOD_VIEW_SUFFIX, type AnalysisBasis, type AnalysisPeriod } from './analysis-period.js';
import { assertExperimentSlug, safeIdentifier, type SafeIdentifier } from './sql-identifier.js';

/**
 * The names of the tables and views contrail writes, as jetstream names them (spec/analysis.md
 * §1.5, §1.6, §1.9, §2), so dashboards built for jetstream read ours. Every builder validates the
 * slug first and returns a {@link SafeIdentifier}.
 */

/**
 * A slug as it appears in table names: every character outside `[A-Za-z0-9_]` becomes `_`
 * (jetstream's `bq_normalize_name`).
 */
export function normalizeSlug(slug: string): string {
  return slug.replace(/[^A-Za-z0-9_]/g, '_');
}

function tableSlug(slug: string): string {
  return normalizeSlug(assertExperimentSlug(slug));
}

function windowSuffix(windowIndex: number): string {
  if (!Number.isSafeInteger(windowIndex) || windowIndex < 1) {
    throw new RangeError(`window index must be a positive integer, got ${windowIndex}`);
  }
  return String(windowIndex);
}

/** `enrollments_<slug>`: one row per enrolled client. */
export function enrollmentsTableName(slug: string): SafeIdentifier {
  return safeIdentifier(`enrollments_${tableSlug(slug)}`, 'table name');
}

/** `statistics_<slug>_<period>_<n>`: all statistics of one window (every basis and segment). */
export function statisticsTableName(
  slug: string,
  period: AnalysisPeriod,
  windowIndex: number,
): SafeIdentifier {
  return safeIdentifier(
    `statistics_${tableSlug(slug)}_${period}_${windowSuffix(windowIndex)}`,
    'table name',
  );
}

/** `<slug>_<basis>_<period>_<n>`: per-client metric values of one window (non-discrete layout). */
export function metricsTableName(
  slug: string,
  basis: AnalysisBasis,
  period: AnalysisPeriod,
  windowIndex: number,
): SafeIdentifier {
  return safeIdentifier(
    `${tableSlug(slug)}_${basis}_${period}_${windowSuffix(windowIndex)}`,
    'table name',
  );
}

/**
 * `<slug>_scan_<data source>_<yyyymmdd>`: one data source's metrics for every window and basis of
 * an experiment's run date (the metrics stage's shared scan, DESIGN.md data flow step 3); the
 * data source name carries the covariate suffix for a covariate scan (`clients_daily_pre`).
 */
export function scanTableName(slug: string, dataSource: string, date: string): SafeIdentifier {
  const source = safeIdentifier(dataSource, 'data source name');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return safeIdentifier(
    `${tableSlug(slug)}_scan_${source}_${date.replaceAll('-', '')}`,
    'table name',
  );
}

/** `statistics_<slug>_<suffix>`: the view over every window table of a period. */
export function statisticsViewName(slug: string, period: AnalysisPeriod): SafeIdentifier {
  return safeIdentifier(`statistics_${tableSlug(slug)}_${PERIOD_VIEW_SUFFIX[period]}`, 'view name');
}

/** `<slug>_<basis>_<suffix>`: the view over every metrics table of a period and basis. */
export function metricsViewName(
  slug: string,
  basis: AnalysisBasis,
  period: AnalysisPeriod,
): SafeIdentifier {
  return safeIdentifier(`${tableSlug(slug)}_${basis}_${PERIOD_VIEW_SUFFIX[period]}`, 'view name');
}
