import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ManifestExperiment } from '../../../../src/warehouse/synthetic/seed-manifest.js';
import type { WindowTrueEffects } from '../../../../src/warehouse/synthetic/true-effects.js';
import { rawMetrics, type BranchMoments, type RawMetrics } from './raw-metrics.js';
import { parquet, query, seedTemp, type SeededWarehouse } from './synthetic-helpers.js';

/** A z-score beyond this fails; with a fixed seed the outcome is deterministic. */
const Z_LIMIT = 4.5;

interface Checked {
  readonly experiment: ManifestExperiment;
  readonly window: WindowTrueEffects;
  readonly raw: RawMetrics;
}

function standardError(m: BranchMoments): number {
  return Math.sqrt(m.variance / m.n);
}

/** Observed relative uplift of `branch` over `reference` and its delta-method standard error. */
function uplift(branch: BranchMoments, reference: BranchMoments): { value: number; se: number } {
  const ratio = branch.mean / reference.mean;
  const relVar =
    branch.variance / (branch.n * branch.mean ** 2) +
    reference.variance / (reference.n * reference.mean ** 2);
  return { value: ratio - 1, se: Math.abs(ratio) * Math.sqrt(relVar) };
}

describe('synthetic telemetry carries the planted effects (raw Parquet, 30k clients)', () => {
  let seeded: SeededWarehouse;
  const checked: Checked[] = [];

  beforeAll(async () => {
    seeded = await seedTemp({ clients: 30_000, days: 42, seed: 1 });
    for (const experiment of seeded.manifest.experiments) {
      for (const window of experiment.trueEffects) {
        const raw = await rawMetrics(seeded.dir, experiment.platform, experiment.slug, window);
        checked.push({ experiment, window, raw });
      }
    }
  }, 300_000);
  afterAll(async () => {
    await seeded?.remove();
  });

  function find(slug: string, period: string, metric: string) {
    const found = checked.find((c) => c.experiment.slug === slug && c.window.period === period);
    const raw = found?.raw[metric];
    const truth = found?.window.metrics[metric];
    if (!found || !raw || !truth) throw new Error(`no ${slug} ${period} ${metric}`);
    return { raw, truth, reference: found.experiment.referenceBranch ?? '' };
  }

  it('matches every stated branch mean within sampling error', () => {
    let comparisons = 0;
    for (const { experiment, window, raw } of checked) {
      for (const [metric, byBranch] of Object.entries(raw)) {
        const truth = window.metrics[metric];
        if (!truth) continue;
        for (const [branch, moments] of Object.entries(byBranch)) {
          const expected = truth.branches[branch]?.expectedMean ?? Number.NaN;
          const z = (moments.mean - expected) / standardError(moments);
          const label = `${experiment.slug} ${window.period}_${window.window} ${metric} ${branch}`;
          expect(
            Math.abs(z),
            `${label}: observed ${moments.mean}, expected ${expected}`,
          ).toBeLessThan(Z_LIMIT);
          comparisons++;
        }
      }
    }
    expect(comparisons).toBeGreaterThan(150);
  });

  it('matches every stated relative uplift within sampling error', () => {
    for (const { experiment, window, raw } of checked) {
      const reference = experiment.referenceBranch ?? '';
      for (const [metric, byBranch] of Object.entries(raw)) {
        const truth = window.metrics[metric];
        const ref = byBranch[reference];
        if (!truth || !ref) continue;
        for (const [branch, moments] of Object.entries(byBranch)) {
          if (branch === reference) continue;
          const observed = uplift(moments, ref);
          const expected = truth.branches[branch]?.expectedRelativeUplift ?? Number.NaN;
          const label = `${experiment.slug} ${window.period} ${metric} ${branch}`;
          expect(Math.abs(observed.value - expected) / observed.se, label).toBeLessThan(Z_LIMIT);
        }
      }
    }
  });

  it('makes the main effects clearly visible', () => {
    const hours = find('new-tab-layout-v2', 'week', 'active_hours');
    const hoursUplift = uplift(hours.raw['treatment']!, hours.raw[hours.reference]!);
    expect(hours.truth.branches['treatment']?.expectedRelativeUplift).toBeGreaterThan(0.1);
    expect(hoursUplift.value / hoursUplift.se).toBeGreaterThan(3);
    const dflt = find('default-browser-prompt', 'overall', 'is_default_browser');
    const dfltUplift = uplift(dflt.raw['treatment']!, dflt.raw[dflt.reference]!);
    expect(dfltUplift.value / dfltUplift.se).toBeGreaterThan(5);
    // additive +0.06 a day becomes much more than +0.06 on "any day of the window"
    expect(dflt.truth.branches['treatment']?.expectedDifference).toBeGreaterThan(0.1);
  });

  it('states no effect where there is none: the A/A test and pre-enrollment windows', () => {
    const none = checked.filter(
      (c) => c.experiment.traits.includes('aa') || c.window.period.startsWith('preenrollment'),
    );
    expect(none.length).toBeGreaterThanOrEqual(4);
    for (const { experiment, window } of none) {
      for (const [metric, truth] of Object.entries(window.metrics)) {
        for (const [branch, b] of Object.entries(truth.branches)) {
          expect(
            b.expectedRelativeUplift,
            `${experiment.slug} ${window.period} ${metric} ${branch}`,
          ).toBe(0);
        }
      }
    }
  });

  it('shows the planted sample ratio mismatch in the enrollment events, and only there', async () => {
    const rows = await query(`SELECT event_string_value AS slug,
        list_filter(event_map_values, x -> x.key = 'branch')[1].value AS branch, count(*) AS n
      FROM ${parquet(seeded.dir, 'telemetry', 'events')}
      WHERE event_category = 'normandy' AND event_method = 'enroll'
      GROUP BY ALL`);
    const chiSquare = (slug: string): number => {
      const experiment = seeded.manifest.experiments.find((e) => e.slug === slug);
      const counts = (experiment?.branches ?? []).map((b) =>
        Number(rows.find((r) => r['slug'] === slug && r['branch'] === b.slug)?.['n'] ?? 0),
      );
      const total = counts.reduce((a, b) => a + b, 0);
      const ratios = (experiment?.branches ?? []).map((b) => b.ratio);
      const ratioTotal = ratios.reduce((a, b) => a + b, 0);
      return counts.reduce((sum, n, i) => {
        const expected = (total * (ratios[i] ?? 0)) / ratioTotal;
        return sum + (n - expected) ** 2 / expected;
      }, 0);
    };
    const [srm] = seeded.manifest.sampleRatioMismatches;
    expect(srm?.slug).toBe('tab-groups-srm');
    expect(srm?.assignedShares['treatment']).toBeCloseTo(0.6);
    expect(chiSquare('tab-groups-srm')).toBeGreaterThan(40);
    const treatment = rows.find(
      (r) => r['slug'] === 'tab-groups-srm' && r['branch'] === 'treatment',
    );
    expect(srm?.enrolled['treatment']).toBe(Number(treatment?.['n']));
    for (const e of seeded.manifest.experiments) {
      if (
        e.slug === 'tab-groups-srm' ||
        e.platform !== 'firefox_desktop' ||
        e.branches.length < 2
      ) {
        continue;
      }
      expect(chiSquare(e.slug), e.slug).toBeLessThan(15);
    }
  });
});
