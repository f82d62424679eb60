import { describe, expect, it } from 'vitest';

import { attachSharedScan } from '../../../src/producer/attach-shared-scan.js';
import type { MetricsTableJob } from '../../../src/queue/job-payloads.js';
import { dataSourceFixture } from '../../helpers/data-source-fixture.js';

const column = (name: string, ds = 'clients_daily') => ({
  name,
  selectExpression: `SUM(${name})`,
  dataSource: dataSourceFixture(ds),
});

function tableJob(
  basis: 'enrollments' | 'exposures',
  period: 'week' | 'day',
  windowIndex: number,
  metrics: string[],
  covariate: string | null,
  slug = 'exp',
): MetricsTableJob {
  const window = period === 'week' ? { start: 7, end: 13 } : { start: 13, end: 13 };
  return {
    kind: 'metrics-table',
    id: `metrics-table.${slug}.2026-03-01.${period}.${windowIndex}.${basis}`,
    experiment: slug,
    date: '2026-03-01',
    period,
    windowIndex,
    window,
    basis,
    spec: {
      slug,
      analysisUnit: 'client_id',
      startDate: '2026-02-01',
      enrollmentPeriod: 7,
      branches: ['control', 'treatment'],
      basis,
      period,
      windowIndex,
      window,
      metrics: metrics.map((m) => column(m)),
      covariates:
        covariate === null
          ? []
          : [{ window: { start: -7, end: -1 }, metrics: [column(covariate)] }],
      segments: [],
      exposureSignal: null,
      lastDateOfData: '2026-03-01',
    },
  };
}

describe('attachSharedScan', () => {
  it('gives every table of the date one scan: all slices, each column once', () => {
    const jobs = [
      tableJob('enrollments', 'week', 2, ['a', 'b'], 'a'),
      tableJob('exposures', 'week', 2, ['a'], null),
      tableJob('enrollments', 'day', 14, ['b', 'c'], 'c'),
    ];
    const shared = attachSharedScan(jobs);
    expect(shared).toHaveLength(3);
    const scan = shared[0]!.spec.scan!;
    for (const job of shared) expect(job.spec.scan).toBe(scan);
    expect(scan.slices.map((s) => `${s.basis}.${s.period}.${s.windowIndex}`)).toEqual([
      'enrollments.week.2',
      'exposures.week.2',
      'enrollments.day.14',
    ]);
    expect(scan.slices[2]!.window).toEqual({ start: 13, end: 13 });
    expect(scan.metrics.map((m) => m.name)).toEqual(['a', 'b', 'c']);
    expect(scan.covariates).toHaveLength(1);
    expect(scan.covariates[0]!.metrics.map((m) => m.name)).toEqual(['a', 'c']);
    // Each table keeps its own metrics: the scan is shared, the table is not.
    expect(shared[1]!.spec.metrics.map((m) => m.name)).toEqual(['a']);
    expect(shared[1]!.spec.covariates).toEqual([]);
  });

  it('scans windows apart when days lie between them (a pre-enrollment window and week 4)', () => {
    const pre = tableJob('enrollments', 'week', 1, ['a'], null);
    const preWindow = { start: -7, end: -1 };
    const preenrollment = {
      ...pre,
      period: 'preenrollment_week' as const,
      window: preWindow,
      spec: { ...pre.spec, period: 'preenrollment_week' as const, window: preWindow },
    };
    const week4 = tableJob('enrollments', 'week', 4, ['a'], null);
    const late = { ...week4, spec: { ...week4.spec, window: { start: 21, end: 27 } } };
    const week1 = tableJob('enrollments', 'week', 1, ['a'], null);
    const early = { ...week1, spec: { ...week1.spec, window: { start: 0, end: 6 } } };
    const [a, b] = attachSharedScan([late, preenrollment]);
    expect(a!.spec.scan).not.toBe(b!.spec.scan);
    expect(b!.spec.scan!.name).toBeUndefined();
    expect(a!.spec.scan!.name).toBe('g2');
    // Touching windows share one: [-7, -1] and [0, 6].
    const [c, d] = attachSharedScan([preenrollment, early]);
    expect(c!.spec.scan).toBe(d!.spec.scan);
    expect(c!.spec.scan!.slices).toHaveLength(2);
  });

  it('refuses tables of different experiments and returns nothing for none', () => {
    expect(attachSharedScan([])).toEqual([]);
    expect(() =>
      attachSharedScan([
        tableJob('enrollments', 'week', 2, ['a'], null),
        tableJob('enrollments', 'week', 2, ['a'], null, 'other'),
      ]),
    ).toThrow(/one experiment and date/);
  });
});
