import { describe, expect, it } from 'vitest';

import { addDays } from '../../../../src/analysis/iso-date.js';
import {
  completeWeekWindows,
  dueWindowsOn,
} from '../../../../src/warehouse/synthetic/due-windows.js';
import { EXPERIMENT_CATALOGUE } from '../../../../src/warehouse/synthetic/experiment-catalogue.js';
import {
  SeedOptionsError,
  resolveSeedOptions,
} from '../../../../src/warehouse/synthetic/seed-options.js';
import {
  BUCKET_TOTAL,
  planSeed,
  type PlannedExperiment,
} from '../../../../src/warehouse/synthetic/seed-plan.js';

function plan(overrides: Parameters<typeof resolveSeedOptions>[0] = { dir: 'unused' }) {
  return planSeed(resolveSeedOptions(overrides));
}

function periodsDue(experiments: readonly PlannedExperiment[]): Set<string> {
  return new Set(experiments.flatMap((e) => e.dueWindows.map((w) => w.period)));
}

describe('dueWindowsOn (spec/analysis.md §2)', () => {
  // start 12-01, enrollmentEndDate 12-07 → enrollment period 7, E = 12-08
  const E = '2025-12-08';

  it('follows the spec example: day_1 on E, pre-enrollment on E+1, week_1 on E+6, days28_1 on E+27', () => {
    expect(dueWindowsOn(E, null, E)).toEqual([{ period: 'day', window: 1, start: 0, end: 0 }]);
    expect(dueWindowsOn(E, null, '2025-12-09').map((w) => w.period)).toEqual([
      'day',
      'preenrollment_week',
      'preenrollment_days28',
    ]);
    expect(dueWindowsOn(E, null, '2025-12-14')).toContainEqual({
      period: 'week',
      window: 1,
      start: 0,
      end: 6,
    });
    expect(dueWindowsOn(E, null, '2026-01-04')).toContainEqual({
      period: 'days28',
      window: 1,
      start: 0,
      end: 27,
    });
  });

  it('is due for nothing before E and after the end date', () => {
    expect(dueWindowsOn(E, null, '2025-12-07')).toEqual([]);
    expect(dueWindowsOn(E, '2025-12-20', '2025-12-21')).toEqual([]);
  });

  it('runs overall exactly on the end date, over [0, end − E − 1]', () => {
    expect(dueWindowsOn(E, '2025-12-20', '2025-12-20')).toContainEqual({
      period: 'overall',
      window: 1,
      start: 0,
      end: 11,
    });
    expect(completeWeekWindows(E, '2025-12-21').map((w) => w.window)).toEqual([1, 2]);
  });
});

describe('planSeed', () => {
  it('puts day, week, days28, overall and both pre-enrollment periods on the demo date', () => {
    const due = periodsDue(plan().experiments);
    for (const period of [
      'day',
      'week',
      'days28',
      'overall',
      'preenrollment_week',
      'preenrollment_days28',
    ]) {
      expect(due, period).toContain(period);
    }
  });

  it('places every experiment inside the data and ends the data on the demo date', () => {
    const p = plan({ dir: 'unused', demoDate: '2026-05-10', days: 50 });
    expect(p.dataEnd).toBe('2026-05-10');
    expect(p.dataStart).toBe(addDays('2026-05-10', -49));
    for (const e of p.experiments) {
      expect(e.enrollFirstDay, e.slug).toBeGreaterThanOrEqual(7);
      expect(e.enrollLastDay, e.slug).toBeLessThanOrEqual(49);
      expect(e.enrollLastDay, e.slug).toBeGreaterThanOrEqual(e.enrollFirstDay);
    }
  });

  it('gives each platform disjoint bucket ranges within the namespace', () => {
    for (const count of [1, 9, 30]) {
      const experiments = plan({ dir: 'unused', experiments: count }).experiments;
      expect(experiments).toHaveLength(count);
      for (const platform of ['firefox_desktop', 'fenix']) {
        const ranges = experiments
          .filter((e) => e.platform === platform)
          .map((e) => [e.bucketStart, e.bucketStart + e.bucketCount] as const)
          .sort((a, b) => a[0] - b[0]);
        ranges.forEach(([start, end], i) => {
          expect(end).toBeLessThanOrEqual(BUCKET_TOTAL);
          expect(end).toBeGreaterThan(start);
          if (i > 0) expect(start).toBeGreaterThanOrEqual(ranges[i - 1]?.[1] ?? 0);
        });
      }
    }
  });

  it('keeps the catalogue order and adds extra experiments beyond it', () => {
    const slugs = plan({ dir: 'unused', experiments: 11 }).experiments.map((e) => e.slug);
    expect(slugs.slice(0, EXPERIMENT_CATALOGUE.length)).toEqual(
      EXPERIMENT_CATALOGUE.map((e) => e.slug),
    );
    expect(slugs.slice(-2)).toEqual(['synthetic-extra-1', 'synthetic-extra-2']);
  });

  it('marks rollouts and still-enrolling experiments as not analysable', () => {
    const experiments = plan().experiments;
    const notAnalysable = experiments.filter((e) => !e.analysable).map((e) => e.slug);
    expect(notAnalysable.sort()).toEqual(['pinned-tab-rollout', 'still-enrolling-feature']);
    for (const e of experiments.filter((x) => x.analysable)) {
      expect(e.effectWindows.length, e.slug).toBeGreaterThan(0);
    }
  });

  it('rejects too few days for the selected experiments, naming --days and the minimum', () => {
    expect(() => plan({ dir: 'unused', days: 41 })).toThrow(SeedOptionsError);
    expect(() => plan({ dir: 'unused', days: 41 })).toThrow(/--days must be at least 42/);
    expect(plan({ dir: 'unused', days: 28, experiments: 2 }).experiments).toHaveLength(2);
    expect(() => plan({ dir: 'unused', days: 27, experiments: 2 })).toThrow(/at least 28/);
  });
});

describe('resolveSeedOptions', () => {
  it('fills defaults', () => {
    expect(resolveSeedOptions({ dir: 'x' })).toEqual({
      dir: 'x',
      clients: 20_000,
      days: 63,
      experiments: 9,
      seed: 1,
      demoDate: '2026-03-01',
    });
  });

  it.each([
    [{ clients: 10 }, /--clients must be an integer in 100\.\.5000000, got 10/],
    [{ experiments: 0 }, /--experiments/],
    [{ seed: -1 }, /--seed/],
    [{ days: 1.5 }, /--days/],
    [{ demoDate: '2026-02-30' }, /demo date/],
    [{ dir: ' ' }, /dir must not be empty/],
  ])('rejects %j', (overrides, message) => {
    expect(() => resolveSeedOptions({ dir: 'x', ...overrides })).toThrow(message);
  });
});
