import { readViaMetricsTable } from '../../../helpers/read-via-metrics-table.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  planAnalysis,
  type AnalysisPlan,
  type PlanExperiment,
} from '../../../../src/analysis/analysis-plan.js';
import type { MetricSummary } from '../../../../src/config/analysis-config.js';
import { createDuckDbWarehouse } from '../../../../src/warehouse/duckdb/duckdb-warehouse.js';
import type { MetricValues } from '../../../../src/warehouse/metric-read-spec.js';
import type { ManifestExperiment } from '../../../../src/warehouse/synthetic/seed-manifest.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import {
  enrollmentsSpecOf,
  plannedExperiments,
  seedTemp,
  type SeededWarehouse,
} from './synthetic-helpers.js';

/** With a fixed seed the outcome is deterministic; this bounds |observed − expected| / SE. */
const Z_LIMIT = 5;

/** Mean and standard error of one metric column per branch. */
function branchMoments(
  values: MetricValues,
  column: string,
): Map<string, { mean: number; se: number; n: number }> {
  const data = values.columns[column];
  const result = new Map<string, { mean: number; se: number; n: number }>();
  values.branches.forEach((branch, b) => {
    let n = 0;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < values.clients; i++) {
      const x = data?.[i];
      if (values.branch[i] !== b || x === undefined || Number.isNaN(x)) continue;
      n++;
      sum += x;
      sq += x * x;
    }
    const mean = sum / n;
    result.set(branch, { mean, n, se: Math.sqrt((sq / n - mean * mean) / (n - 1)) });
  });
  return result;
}

describe('contrail config + DuckDB warehouse on the synthetic warehouse', () => {
  let seeded: SeededWarehouse;
  let warehouse: Warehouse;
  let planned: PlanExperiment[];
  let plan: AnalysisPlan;

  beforeAll(async () => {
    seeded = await seedTemp({ clients: 20_000, days: 42, seed: 1 });
    planned = await plannedExperiments(seeded);
    plan = planAnalysis({ date: seeded.manifest.demoDate, experiments: planned });
    warehouse = await createDuckDbWarehouse({ dir: seeded.dir });
  }, 300_000);
  afterAll(async () => {
    await warehouse?.close();
    await seeded?.remove();
  });

  function manifestExperiment(slug: string): ManifestExperiment {
    const found = seeded.manifest.experiments.find((e) => e.slug === slug);
    if (!found) throw new Error(`no ${slug} in the manifest`);
    return found;
  }

  it('plans exactly the windows the manifest says are due on the demo date, and skips the rest', () => {
    for (const e of seeded.manifest.experiments.filter((x) => x.analysable)) {
      const unit = plan.units.find((u) => u.experiment === e.slug);
      const planned = (unit?.groups ?? []).map(
        (g) => `${g.period} ${g.windowIndex} [${g.window.start},${g.window.end}]`,
      );
      const expected = e.dueWindows.map((w) => `${w.period} ${w.window} [${w.start},${w.end}]`);
      expect(planned.sort(), e.slug).toEqual(expected.sort());
    }
    const skips = new Map(
      plan.skipped.filter((s) => s.period === null).map((s) => [s.experiment, s.code]),
    );
    expect(skips.get('pinned-tab-rollout')).toBe('RolloutSkip');
    expect(skips.get('still-enrolling-feature')).toBe('EnrollmentNotComplete');
  });

  it('builds enrollments with exactly the generated clients, segments and exposures', async () => {
    for (const { experiment, config } of planned) {
      const e = manifestExperiment(experiment.slug);
      if (!e.analysable) continue;
      const result = await warehouse.ensureEnrollments(
        enrollmentsSpecOf({ experiment, config }, seeded.manifest.demoDate),
      );
      const enrolled = e.branches.reduce((sum, b) => sum + b.enrolled, 0);
      expect(result.clients, experiment.slug).toBe(enrolled);
    }
  }, 120_000);

  /** Reads every metric with a stated truth, window by window, through the warehouse port. */
  async function readAll() {
    const reads: {
      experiment: ManifestExperiment;
      window: ManifestExperiment['trueEffects'][number];
      summaries: MetricSummary[];
      values: MetricValues;
    }[] = [];
    for (const { experiment, config } of planned) {
      const e = manifestExperiment(experiment.slug);
      for (const window of e.trueEffects) {
        const summaries: MetricSummary[] = (config.periods[window.period] ?? []).filter(
          (s) =>
            s.metric.selectExpression !== null &&
            s.metric.dataSource !== null &&
            window.metrics[s.metric.name] !== undefined,
        );
        if (summaries.length === 0) continue;
        const values = await readViaMetricsTable(warehouse, {
          slug: experiment.slug,
          analysisUnit: experiment.analysisUnit,
          startDate: experiment.startDate ?? '',
          enrollmentPeriod: experiment.enrollmentPeriod,
          branches: experiment.experiment.branches.map((b) => b.slug),
          basis: 'enrollments',
          window: { start: window.start, end: window.end },
          metrics: summaries.map((s) => ({
            name: s.metric.name,
            selectExpression: s.metric.selectExpression ?? '',
            dataSource: s.metric.dataSource!,
          })),
          segments: [],
          lastDateOfData: seeded.manifest.demoDate,
        });
        reads.push({ experiment: e, window, summaries, values });
      }
    }
    return reads;
  }

  it('reads per-client metrics whose branch means match the manifest', async () => {
    let compared = 0;
    // Every client gets a value: COUNTIF over a client without rows is 0, as in BigQuery.
    for (const { experiment, window, summaries, values } of await readAll()) {
      for (const s of summaries) {
        const column = values.columns[s.metric.name] ?? new Float64Array();
        expect(column.some(Number.isNaN), `${experiment.slug} ${s.metric.name} has NULLs`).toBe(
          false,
        );
        const truth = window.metrics[s.metric.name];
        for (const [branch, m] of branchMoments(values, s.metric.name)) {
          const expected = truth?.branches[branch]?.expectedMean ?? Number.NaN;
          const label = `${experiment.slug} ${window.period}_${window.window} ${s.metric.name} ${branch}: ${m.mean} vs ${expected}`;
          expect(Math.abs(m.mean - expected) / m.se, label).toBeLessThan(Z_LIMIT);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  }, 300_000);

  it('runs the bits28 metric on the generated bit patterns', async () => {
    const entry = planned.find((p) => p.experiment.slug === 'new-tab-layout-v2');
    const summary = entry?.config.periods.day?.find(
      (s) => s.metric.name === 'active_in_last_3_days_legacy',
    );
    expect(summary?.metric.selectExpression).toContain('mozfun.bits28.days_since_seen');
    const experiment = entry!.experiment;
    const values = await readViaMetricsTable(warehouse, {
      slug: experiment.slug,
      analysisUnit: experiment.analysisUnit,
      startDate: experiment.startDate ?? '',
      enrollmentPeriod: experiment.enrollmentPeriod,
      branches: experiment.experiment.branches.map((b) => b.slug),
      basis: 'enrollments',
      window: { start: 7, end: 7 },
      metrics: [
        {
          name: 'active_in_last_3_days_legacy',
          selectExpression: summary?.metric.selectExpression ?? '',
          dataSource: summary!.metric.dataSource!,
        },
      ],
      segments: [],
      lastDateOfData: seeded.manifest.demoDate,
    });
    const column = values.columns['active_in_last_3_days_legacy'] ?? new Float64Array();
    expect(column.every((x) => x === 0 || x === 1)).toBe(true);
    const share = column.reduce((a, b) => a + b, 0) / column.length;
    // active on day 7 or one of the two days before: most enrollees, not all
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.95);
  }, 120_000);
});
