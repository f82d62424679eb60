import { describe, expect, it } from 'vitest';

import { ANALYSIS_PERIODS } from '../../../src/analysis/analysis-period.js';
import {
  enrollmentsTableName,
  metricsTableName,
  metricsViewName,
  normalizeSlug,
  scanTableName,
  statisticsTableName,
  statisticsViewName,
} from '../../../src/analysis/table-names.js';

describe('table and view names', () => {
  it('normalizes slugs: characters outside [A-Za-z0-9_] become _', () => {
    expect(normalizeSlug('bug-1647305-pref.x')).toBe('bug_1647305_pref_x');
    expect(normalizeSlug('Keep_Me_1')).toBe('Keep_Me_1');
  });

  it('builds jetstream names', () => {
    const slug = 'my-exp';
    expect(enrollmentsTableName(slug)).toBe('enrollments_my_exp');
    expect(statisticsTableName(slug, 'week', 3)).toBe('statistics_my_exp_week_3');
    expect(metricsTableName(slug, 'exposures', 'days28', 1)).toBe('my_exp_exposures_days28_1');
    expect(scanTableName(slug, 'clients_daily', '2026-03-01')).toBe(
      'my_exp_scan_clients_daily_20260301',
    );
    expect(statisticsViewName(slug, 'preenrollment_week')).toBe(
      'statistics_my_exp_preenrollment_weekly',
    );
    expect(metricsViewName(slug, 'enrollments', 'day')).toBe('my_exp_enrollments_daily');
  });

  it('uses the view suffixes of spec §2 for every period', () => {
    const views = ANALYSIS_PERIODS.map((p) => statisticsViewName('s', p));
    expect(views).toEqual([
      'statistics_s_daily',
      'statistics_s_weekly',
      'statistics_s_days28',
      'statistics_s_overall',
      'statistics_s_preenrollment_weekly',
      'statistics_s_preenrollment_days28',
    ]);
  });

  it('refuses unsafe slugs, data sources and window indexes', () => {
    expect(() => enrollmentsTableName('x"; DROP TABLE y; --')).toThrow(/unsafe experiment slug/);
    expect(() => scanTableName('s', 'a;b', '2026-03-01')).toThrow(/unsafe data source name/);
    expect(() => scanTableName('s', 'a', '2026-3-1')).toThrow(/not a YYYY-MM-DD date/);
    expect(() => statisticsTableName('s', 'day', 0)).toThrow(/positive integer/);
    expect(() => statisticsTableName('s', 'day', 1.5)).toThrow(/positive integer/);
  });
});
