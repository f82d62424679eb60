import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  planAnalysis,
  type PlanExperiment,
  type PlanGroup,
  type PlanUnit,
} from '../../../src/analysis/analysis-plan.js';
import { buildEnrollmentsJob } from '../../../src/producer/build-run-jobs.js';
import type { MetricJob } from '../../../src/queue/job-payloads.js';
import { createDuckDbWarehouse } from '../../../src/warehouse/duckdb/duckdb-warehouse.js';
import type { MetricReadSpec, MetricValues } from '../../../src/warehouse/metric-read-spec.js';
import { WarehouseError } from '../../../src/warehouse/warehouse-errors.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import { SharedMetricReads } from '../../../src/worker/shared-metric-reads.js';
import {
  enrollmentsSpecOf,
  plannedExperiments,
  seedTemp,
  type SeededWarehouse,
} from '../warehouse/synthetic/synthetic-helpers.js';

/**
 * Reads shared by the metric jobs of a window, on a real DuckDB warehouse: one query per group of
 * siblings, each job's values equal to reading it alone, and a broken sibling failing alone.
 */
describe('shared metric reads', () => {
  let seeded: SeededWarehouse;
  let warehouse: Warehouse;
  let jobs: MetricJob[];
  let unit: PlanUnit;
  let group: PlanGroup;
  let item: PlanExperiment;
  /** Every readMetric call that reached the warehouse, by the columns it read. */
  const calls: string[][] = [];
  let counting: Pick<Warehouse, 'readMetric'>;

  beforeAll(async () => {
    seeded = await seedTemp({ clients: 3000, days: 42, seed: 5 });
    const planned = new Map<string, PlanExperiment>();
    for (const p of await plannedExperiments(seeded)) planned.set(p.experiment.slug, p);
    const plan = planAnalysis({
      date: seeded.manifest.demoDate,
      experiments: [...planned.values()],
    });
    // The unit with the most metric jobs in one window.
    unit = [...plan.units].sort(
      (a, b) =>
        Math.max(...b.groups.map((g) => g.tasks.length)) -
        Math.max(...a.groups.map((g) => g.tasks.length)),
    )[0]!;
    item = planned.get(unit.experiment)!;
    const enrollmentsJob = buildEnrollmentsJob(unit, item, {
      recreate: false,
      runId: 'run-1',
      sharedReads: true,
    });
    warehouse = await createDuckDbWarehouse({ dir: seeded.dir });
    await warehouse.ensureEnrollments(enrollmentsSpecOf(item, seeded.manifest.demoDate));
    const largest = [...enrollmentsJob.groups].sort(
      (a, b) => b.metrics.length - a.metrics.length,
    )[0]!;
    jobs = largest.metrics as MetricJob[];
    group = unit.groups.find((g) => g.id === largest.finalize.id)!;
    counting = {
      readMetric: (spec) => {
        calls.push(spec.metrics.map((m) => m.name));
        return warehouse.readMetric(spec);
      },
    };
  }, 300_000);
  afterAll(async () => {
    await warehouse?.close();
    await seeded?.remove();
  });

  const specOf = (job: MetricJob): MetricReadSpec => ({ ...job.read, basis: 'enrollments' });

  function expectSameColumns(job: MetricJob, shared: MetricValues, alone: MetricValues): void {
    expect(shared.clients).toBe(alone.clients);
    expect(shared.branches).toEqual(alone.branches);
    expect(shared.branch).toEqual(alone.branch);
    for (const name of Object.keys(alone.columns)) {
      const a = alone.columns[name]!;
      const s = shared.columns[name]!;
      expect(s.length, `${job.metric}: ${name}`).toBe(a.length);
      // One query or another may add a client's rows in another order: last-bit differences.
      for (let i = 0; i < a.length; i++) {
        if (Number.isNaN(a[i]!)) expect(s[i], `${name}[${i}]`).toBeNaN();
        else expect(Math.abs(s[i]! - a[i]!)).toBeLessThanOrEqual(1e-12 * Math.abs(a[i]!));
      }
    }
    expect(shared.segments).toEqual(alone.segments);
  }

  it('the producer groups the jobs of a window by data source and covariate window', () => {
    expect(jobs.length).toBeGreaterThanOrEqual(4);
    for (const job of jobs) {
      expect(job.sharedRead, job.metric).toBeDefined();
      const names = job.sharedRead!.columns.map((c) => c.name);
      for (const own of job.read.metrics) expect(names).toContain(own.name);
      const sources = new Set(job.read.metrics.map((m) => m.dataSource.name));
      for (const column of job.sharedRead!.columns) {
        expect(sources.has(column.dataSource.name)).toBe(true);
      }
      // Every sibling with the same sources and covariate window is in the group.
      for (const other of jobs) {
        const sameSources =
          JSON.stringify([...new Set(other.read.metrics.map((m) => m.dataSource.name))].sort()) ===
          JSON.stringify([...sources].sort());
        const sameCovariate =
          JSON.stringify(other.read.covariateWindow) === JSON.stringify(job.read.covariateWindow);
        if (sameSources && sameCovariate) {
          for (const m of other.read.metrics) expect(names).toContain(m.name);
        }
      }
      expect(job.sharedRead!.runId).toBe('run-1');
    }
    expect(new Set(jobs.map((j) => JSON.stringify(j.sharedRead!.columns))).size).toBeLessThan(
      jobs.length,
    );
  });

  it('a metric rerun alone reads with the same group as the whole window', () => {
    const job = jobs[jobs.length - 1]!;
    const alone = buildEnrollmentsJob(
      { ...unit, groups: [{ ...group, tasks: group.tasks.filter((t) => t.id === job.id) }] },
      item,
      { recreate: false, runId: 'run-1', sharedReads: true },
    ).groups[0]!.metrics[0]!;
    expect(alone.id).toBe(job.id);
    expect(alone.sharedRead).toEqual(job.sharedRead);
    const unshared = buildEnrollmentsJob(unit, item, {
      recreate: false,
      runId: 'run-1',
      sharedReads: false,
    });
    for (const g of unshared.groups) {
      for (const m of g.metrics) expect(m.sharedRead).toBeUndefined();
    }
  });

  it('reads each group once; every job gets the values it would read alone', async () => {
    calls.length = 0;
    const reads = new SharedMetricReads(counting, { now: () => 0 });
    const groups = new Set<string>();
    for (const job of jobs) {
      const shared = await reads.read(specOf(job), job.sharedRead?.columns, 'run-1');
      const alone = await warehouse.readMetric(specOf(job));
      expectSameColumns(job, shared, alone);
      groups.add(JSON.stringify(job.sharedRead?.columns.map((c) => c.name) ?? job.metric));
    }
    expect(calls.length).toBe(groups.size);
    expect(calls.length).toBeLessThan(jobs.length);
  });

  it('a broken sibling fails the combined read once; every job then reads alone', async () => {
    const sharing = jobs.filter((job) => job.sharedRead !== undefined);
    const broken = {
      ...sharing[0]!.read.metrics[0]!,
      name: 'broken_metric',
      selectExpression: 'NO_SUCH_FUNCTION(1)',
    };
    const columns = [...sharing[0]!.sharedRead!.columns, broken];
    const siblings = sharing.filter(
      (job) => JSON.stringify(job.sharedRead!.columns) === JSON.stringify(columns.slice(0, -1)),
    );
    calls.length = 0;
    const reads = new SharedMetricReads(counting, { now: () => 0 });
    for (const job of siblings) {
      const values = await reads.read(specOf(job), columns, 'run-1');
      expectSameColumns(job, values, await warehouse.readMetric(specOf(job)));
    }
    const combined = calls.filter((names) => names.includes('broken_metric'));
    expect(combined).toHaveLength(1);
    expect(calls.length).toBe(1 + siblings.length);
  });

  it('keeps runs apart, expires entries and stays within its byte budget', async () => {
    const job = jobs.find((j) => j.sharedRead !== undefined)!;
    const columns = job.sharedRead!.columns;
    let clock = 0;
    calls.length = 0;
    const reads = new SharedMetricReads(counting, { now: () => clock, ttlMs: 1000 });
    await reads.read(specOf(job), columns, 'run-1');
    await reads.read(specOf(job), columns, 'run-1');
    expect(calls).toHaveLength(1);
    await reads.read(specOf(job), columns, 'run-2');
    expect(calls).toHaveLength(2);
    clock = 1000;
    await reads.read(specOf(job), columns, 'run-1');
    expect(calls).toHaveLength(3);

    const tiny = new SharedMetricReads(counting, { now: () => 0, maxBytes: 1 });
    calls.length = 0;
    await tiny.read(specOf(job), columns, 'run-1');
    await tiny.read(specOf(job), columns, 'run-1');
    expect(calls).toHaveLength(2);
  });

  it('without a group every read goes to the warehouse', async () => {
    calls.length = 0;
    const reads = new SharedMetricReads(counting, { now: () => 0 });
    const job = jobs[0]!;
    await reads.read(specOf(job), undefined, 'run-1');
    await reads.read(specOf(job), undefined, 'run-1');
    const own = job.read.metrics.map((m) => m.name);
    expect(calls).toEqual([own, own]);
  });

  it('throws a transient failure of the group read (the job retries) and does not remember it', async () => {
    const job = jobs[0]!;
    let failNext = true;
    const flaky: Pick<Warehouse, 'readMetric'> = {
      readMetric: (spec) => {
        calls.push(spec.metrics.map((m) => m.name));
        if (failNext) {
          failNext = false;
          return Promise.reject(new WarehouseError('connection reset', { retryable: true }));
        }
        return warehouse.readMetric(spec);
      },
    };
    calls.length = 0;
    const reads = new SharedMetricReads(flaky, { now: () => 0 });
    await expect(reads.read(specOf(job), job.sharedRead!.columns, 'run-1')).rejects.toThrow(
      'connection reset',
    );
    const values = await reads.read(specOf(job), job.sharedRead!.columns, 'run-1');
    expectSameColumns(job, values, await warehouse.readMetric(specOf(job)));
    // Both calls were the group's query; no read alone.
    const group = job.sharedRead!.columns.map((c) => c.name);
    expect(calls).toEqual([group, group]);
  });
});
