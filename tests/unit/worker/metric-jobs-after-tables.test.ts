import { describe, expect, it } from 'vitest';

import type { MetricJob } from '../../../src/queue/job-payloads.js';
import { dataSourceFixture } from '../../helpers/data-source-fixture.js';
import { metricJobsAfterTables } from '../../../src/worker/metric-jobs-after-tables.js';
import type { MetricsTableJobResult } from '../../../src/worker/metrics-table-processor.js';

function job(
  metric: string,
  columns: string[],
  bases: MetricJob['bases'] = ['enrollments'],
): MetricJob {
  return {
    kind: 'metric',
    id: `metric.x.2026-03-01.week.1.${metric}`,
    experiment: 'x',
    date: '2026-03-01',
    period: 'week',
    windowIndex: 1,
    window: { start: 0, end: 6 },
    metric,
    finalizeId: 'finalize.x.2026-03-01.week.1',
    read: {
      slug: 'x',
      analysisUnit: 'client_id',
      startDate: '2026-02-01',
      enrollmentPeriod: 7,
      branches: ['control', 'treatment'],
      window: { start: 0, end: 6 },
      metrics: columns.map((name) => ({
        name,
        selectExpression: `SUM(${name})`,
        dataSource: dataSourceFixture(),
      })),
      covariateWindow: null,
      segments: [],
      exposureSignal: null,
      lastDateOfData: '2026-03-01',
    },
    bases,
    statistics: [{ name: 'bootstrap_mean', params: {}, preTreatments: [] }],
    analysisPeriodLength: 7,
    experimentBranches: ['control', 'treatment'],
  };
}

function table(
  basis: MetricsTableJobResult['basis'],
  failed: string[] = [],
): MetricsTableJobResult {
  return {
    kind: 'metrics-table',
    table: `x_${basis}_week_1`,
    basis,
    clients: 10,
    branches: ['control', 'treatment'],
    scans: 1,
    failures: failed.map((column) => ({
      column,
      dataSource: 'clients_daily',
      errorClass: 'WarehouseQueryError',
      message: `no such column ${column}`,
    })),
    warnings: [],
    cost: { bytesProcessed: 0, bytesBilled: 0, slotMs: 0, elapsedMs: 0 },
    ms: 1,
  };
}

describe('metricJobsAfterTables', () => {
  const ratio = job('ratio', ['num', 'den']); // a depends_on metric reads its dependencies
  const plain = job('plain', ['plain'], ['enrollments', 'exposures']);

  it('adds every metric job whose columns were written on every basis it reads', () => {
    const plan = metricJobsAfterTables(
      { metricJobs: [ratio, plain] },
      { completed: [table('enrollments'), table('exposures')], failed: [] },
    );
    expect(plan.add.map((j) => j.metric)).toEqual(['ratio', 'plain']);
    expect(plan.failures).toEqual([]);
  });

  it('records a metric whose column (or dependency) failed, with the column and its reason', () => {
    const plan = metricJobsAfterTables(
      { metricJobs: [ratio, plain] },
      { completed: [table('enrollments', ['den']), table('exposures')], failed: [] },
    );
    expect(plan.add.map((j) => j.metric)).toEqual(['plain']);
    expect(plan.failures).toEqual([
      {
        metric: 'ratio',
        jobId: ratio.id,
        basis: 'enrollments',
        reason: expect.stringMatching(
          /WarehouseQueryError: column den of x_enrollments_week_1.*no such column den/,
        ) as string,
      },
    ]);
  });

  it('records every metric of a basis whose table job failed, and a basis with no table', () => {
    const failed = metricJobsAfterTables(
      { metricJobs: [ratio, plain] },
      { completed: [table('enrollments')], failed: [{ basis: 'exposures', reason: 'boom' }] },
    );
    expect(failed.add.map((j) => j.metric)).toEqual(['ratio']);
    expect(failed.failures.map((f) => `${f.metric}/${f.basis}: ${f.reason}`)).toEqual([
      'plain/exposures: metrics table (exposures) failed: boom',
    ]);
    const missing = metricJobsAfterTables(
      { metricJobs: [plain] },
      { completed: [table('enrollments')], failed: [] },
    );
    expect(missing.failures[0]?.reason).toMatch(/no metrics table was written for basis exposures/);
  });
});
