import { describe, expect, it } from 'vitest';

import {
  planAnalysis,
  planGroupsOf,
  planTasksOf,
  type PlanExperiment,
} from '../../../src/analysis/analysis-plan.js';
import type { Experiment } from '../../../src/experiments/experiment.js';
import type { ExperimentOverrides } from '../../../src/config/analysis-config.js';
import type { AnalysisPeriod } from '../../../src/analysis/analysis-period.js';
import { makeConfig, makeEffective } from '../experiments/experiment-factory.js';

const ALL_PERIODS = {
  day: ['active_hours', 'uri_count'],
  week: ['active_hours', 'retained'],
  days28: ['active_hours'],
  overall: ['active_hours', 'retained'],
  preenrollment_week: ['active_hours'],
  preenrollment_days28: ['active_hours'],
} as const;

/** The spec §2 example (E = 12-08, ends 2021-02-01) with metrics in every period. */
function item(
  fields: Partial<Experiment> = {},
  periods: Partial<Record<AnalysisPeriod, readonly string[]>> = ALL_PERIODS,
  overrides: Partial<ExperimentOverrides> = {},
): PlanExperiment {
  const experiment = makeEffective(
    { slug: 'example', endDate: '2021-02-01', status: 'Complete', ...fields },
    overrides,
  );
  return { experiment, config: makeConfig(experiment.slug, periods, overrides) };
}

describe('planAnalysis', () => {
  it('on E + 1 plans the pre-enrollment periods first, then day 2', () => {
    const plan = planAnalysis({ date: '2020-12-09', experiments: [item()] });
    expect(plan.skipped).toEqual([]);
    expect(plan.units).toHaveLength(1);
    expect(plan.units[0]).toMatchObject({
      experiment: 'example',
      enrollmentsId: 'enrollments.example.2020-12-09',
      exportId: 'export.example.2020-12-09',
    });
    expect(planGroupsOf(plan).map((g) => [g.id, g.window])).toEqual([
      ['finalize.example.2020-12-09.preenrollment_week.1', { start: -7, end: -1 }],
      ['finalize.example.2020-12-09.preenrollment_days28.1', { start: -28, end: -1 }],
      ['finalize.example.2020-12-09.day.2', { start: 1, end: 1 }],
    ]);
    expect(planTasksOf(plan).map((t) => t.id)).toEqual([
      'metric.example.2020-12-09.preenrollment_week.1.active_hours',
      'metric.example.2020-12-09.preenrollment_days28.1.active_hours',
      'metric.example.2020-12-09.day.2.active_hours',
      'metric.example.2020-12-09.day.2.uri_count',
    ]);
  });

  it('gives each task its experiment, date, period, window and metric', () => {
    const plan = planAnalysis({ date: '2020-12-14', experiments: [item()] });
    const week = planGroupsOf(plan).find((g) => g.period === 'week');
    expect(week?.tasks).toEqual([
      {
        id: 'metric.example.2020-12-14.week.1.active_hours',
        experiment: 'example',
        date: '2020-12-14',
        period: 'week',
        windowIndex: 1,
        window: { start: 0, end: 6 },
        metric: 'active_hours',
      },
      expect.objectContaining({ metric: 'retained' }),
    ]);
    expect(planGroupsOf(plan).map((g) => `${g.period}_${g.windowIndex}`)).toEqual([
      'day_7',
      'week_1',
    ]);
  });

  it('plans overall once, on the end date, with the time-series periods due that day', () => {
    const plan = planAnalysis({ date: '2021-02-01', experiments: [item()] });
    const groups = planGroupsOf(plan);
    expect(groups.map((g) => `${g.period}_${g.windowIndex}`)).toEqual([
      'day_56',
      'week_8',
      'days28_2',
      'overall_1',
    ]);
    expect(groups.at(-1)).toMatchObject({ windowIndex: 1, window: { start: 0, end: 54 } });
  });

  it('is deterministic and lists each metric of a period once', () => {
    const dup = item({}, { day: ['a', 'b', 'a'] });
    const first = planAnalysis({ date: '2020-12-10', experiments: [dup] });
    const second = planAnalysis({ date: '2020-12-10', experiments: [dup] });
    expect(second).toEqual(first);
    expect(planTasksOf(first).map((t) => t.metric)).toEqual(['a', 'b']);
  });

  it('reports gating failures with their reason and whether they are expected', () => {
    const plan = planAnalysis({
      date: '2021-02-02',
      experiments: [item(), item({ slug: 'mobile', appName: 'lynx', endDate: null })],
    });
    expect(plan.units).toEqual([]);
    expect(plan.skipped.map((s) => [s.experiment, s.code, s.expected, s.period])).toEqual([
      ['example', 'Ended', true, null],
      ['mobile', 'UnsupportedApplication', false, null],
    ]);
    expect(plan.skipped[0]?.reason).toContain('2021-02-01');
  });

  it('reports when nothing is due, and due periods without metrics', () => {
    const early = planAnalysis({ date: '2020-12-05', experiments: [item()] });
    expect(early.skipped).toEqual([
      expect.objectContaining({ experiment: 'example', code: 'NothingDue', period: null }),
    ]);
    const dayOnly = planAnalysis({ date: '2020-12-14', experiments: [item({}, { day: ['a'] })] });
    expect(planGroupsOf(dayOnly).map((g) => g.period)).toEqual(['day']);
    expect(dayOnly.skipped).toEqual([
      expect.objectContaining({ code: 'NoMetrics', period: 'week', expected: true }),
    ]);
  });

  it('skips only the overall period when enrollment is longer than the analysis', () => {
    const short = item({ endDate: '2020-12-08' });
    const plan = planAnalysis({ date: '2020-12-08', experiments: [short] });
    expect(planGroupsOf(plan).map((g) => g.period)).toEqual(['day']);
    expect(plan.skipped).toEqual([
      expect.objectContaining({
        code: 'EnrollmentLongerThanAnalysis',
        period: 'overall',
        expected: true,
      }),
    ]);
  });

  it('applies experiment, period and metric filters', () => {
    const input = {
      date: '2020-12-14',
      experiments: [item(), item({ slug: 'other' })],
      filters: {
        experiments: ['other', 'missing'],
        periods: ['week' as const],
        metrics: ['retained'],
      },
    };
    const plan = planAnalysis(input);
    expect(planTasksOf(plan).map((t) => t.id)).toEqual(['metric.other.2020-12-14.week.1.retained']);
    expect(plan.skipped).toEqual([
      expect.objectContaining({ experiment: 'missing', code: 'NotFound', expected: false }),
    ]);
    const none = planAnalysis({
      ...input,
      filters: { metrics: ['nope'], periods: ['day' as const] },
    });
    expect(none.skipped.map((s) => [s.experiment, s.code, s.reason])).toEqual([
      ['example', 'NoMetrics', 'day window 7 is due but has no metrics matching the metric filter'],
      ['other', 'NoMetrics', 'day window 7 is due but has no metrics matching the metric filter'],
    ]);
  });

  it('refuses unsafe metric names and configs resolved for another experiment', () => {
    const unsafe = item({}, { day: ['ok', 'bad"; DROP TABLE x; --'] });
    const plan = planAnalysis({ date: '2020-12-10', experiments: [unsafe] });
    expect(planTasksOf(plan).map((t) => t.metric)).toEqual(['ok']);
    expect(plan.skipped).toEqual([
      expect.objectContaining({
        code: 'UnsafeIdentifier',
        metric: 'bad"; DROP TABLE x; --',
        expected: false,
      }),
    ]);
    const mismatched = { ...item(), config: makeConfig('someone-else', { day: ['a'] }) };
    const mismatch = planAnalysis({ date: '2020-12-10', experiments: [mismatched] });
    expect(mismatch.skipped.map((s) => s.code)).toEqual(['ConfigMismatch']);
  });

  it('refuses an invalid run date', () => {
    expect(() => planAnalysis({ date: '2020-13-01', experiments: [] })).toThrow(/not a date/);
  });
});
