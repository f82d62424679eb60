import path from 'node:path';
import { readdir } from 'node:fs/promises';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { PlanExperiment } from '../../../../src/analysis/analysis-plan.js';
import type { MetricColumn } from '../../../../src/warehouse/metric-read-spec.js';
import { createBigQueryWarehouse } from '../../../../src/warehouse/bigquery/bigquery-warehouse.js';
import { createDuckDbWarehouse } from '../../../../src/warehouse/duckdb/duckdb-warehouse.js';
import type { DuckDbQueryRecord } from '../../../../src/warehouse/duckdb/duckdb-query-table.js';
import { readMetricsTable } from '../../../../src/warehouse/metrics-table/read-metrics-table.js';
import { writeMetricsTable } from '../../../../src/warehouse/metrics-table/write-metrics-table.js';
import type {
  MetricsScan,
  MetricsTableSpec,
  ScanSlice,
} from '../../../../src/warehouse/metrics-table-spec.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { scanTableName } from '../../../../src/analysis/table-names.js';
import { startFakeBigQuery, type FakeBigQuery } from '../../../helpers/fake-bigquery/index.js';
import {
  ensureDataset,
  fakeClient,
  fakeWarehouseOptions,
} from '../bigquery/bigquery-test-subject.js';
import {
  enrollmentsSpecOf,
  plannedExperiments,
  seedTemp,
  type SeededWarehouse,
} from '../synthetic/synthetic-helpers.js';

const SOURCES = [
  'clients_daily',
  'search_clients_engines_sources_daily',
  'firefox_desktop_active_users_view',
];

/** Every metric of an experiment's config (any period) with a select expression, by name. */
function metricColumns(item: PlanExperiment): MetricColumn[] {
  const columns = new Map<string, MetricColumn>();
  for (const summaries of Object.values(item.config.periods)) {
    for (const { metric } of summaries ?? []) {
      if (metric.selectExpression === null || metric.dataSource === null) continue;
      columns.set(metric.name, {
        name: metric.name,
        selectExpression: metric.selectExpression,
        dataSource: metric.dataSource,
      });
    }
  }
  return [...columns.values()];
}

/** The windows of one run date: week 2, day 14 and overall, on both bases. */
const SLICES: readonly ScanSlice[] = (['enrollments', 'exposures'] as const).flatMap((basis) => [
  { basis, period: 'week', windowIndex: 2, window: { start: 7, end: 13 } },
  { basis, period: 'day', windowIndex: 14, window: { start: 13, end: 13 } },
  { basis, period: 'overall', windowIndex: 1, window: { start: 0, end: 13 } },
]);

/** The metrics tables of every slice of {@link SLICES}, sharing one scan. */
function sharedSpecs(
  item: PlanExperiment,
  metrics: readonly MetricColumn[],
  date: string,
): MetricsTableSpec[] {
  const scan: MetricsScan = { slices: SLICES, metrics, covariates: [] };
  return SLICES.map((slice) => ({ ...weekSpec(item, metrics, date), ...slice, scan }));
}

/** A week-2 window of `item` with `metrics`, read up to `date`. */
function weekSpec(
  item: PlanExperiment,
  metrics: readonly MetricColumn[],
  date: string,
  covariates: MetricsTableSpec['covariates'] = [],
): MetricsTableSpec {
  const enrollments = enrollmentsSpecOf(item, date);
  return {
    slug: enrollments.slug,
    analysisUnit: enrollments.analysisUnit,
    startDate: enrollments.startDate,
    enrollmentPeriod: enrollments.enrollmentPeriod,
    branches: enrollments.branches,
    basis: 'enrollments',
    period: 'week',
    windowIndex: 2,
    window: { start: 7, end: 13 },
    metrics,
    covariates,
    segments: item.config.segments.map((s) => s.name),
    exposureSignal: null,
    lastDateOfData: date,
  };
}

interface Subject {
  readonly warehouse: Warehouse;
  /** Telemetry tables scanned since the last call, one entry per scan (`dataset.table`). */
  takeScans(): string[];
  /** Bytes of telemetry processed since the last call (the fake's BigQuery count; DuckDB's bytes read). */
  takeBytes(): number;
  close(): Promise<void>;
}

const isTelemetry = (table: string) =>
  !table.startsWith('contrail.') && !table.includes('contrail_');

async function duckDbSubject(seeded: SeededWarehouse): Promise<Subject> {
  const records: DuckDbQueryRecord[] = [];
  const warehouse = await createDuckDbWarehouse({
    dir: seeded.dir,
    onQuery: (record) => records.push(record),
  });
  return {
    warehouse,
    takeScans: () =>
      records
        .splice(0)
        .flatMap((r) => r.scans.map((s) => s.table))
        .filter(isTelemetry),
    takeBytes: () => 0,
    close: () => warehouse.close(),
  };
}

async function fakeSubject(seeded: SeededWarehouse): Promise<Subject> {
  const fake: FakeBigQuery = await startFakeBigQuery();
  const tablesDir = path.join(seeded.dir, 'tables');
  for (const dataset of await readdir(tablesDir)) {
    if (dataset === 'contrail' || dataset === 'monitoring') continue;
    await fake.sql(`CREATE SCHEMA IF NOT EXISTS "${dataset}"`);
    for (const file of await readdir(path.join(tablesDir, dataset))) {
      if (!file.endsWith('.parquet')) continue;
      const table = file.slice(0, -'.parquet'.length);
      const source = path.join(tablesDir, dataset, file).replaceAll("'", "''");
      await fake.sql(
        `CREATE TABLE "${dataset}"."${table}" AS SELECT * FROM read_parquet('${source}')`,
      );
    }
  }
  await ensureDataset(fakeClient(fake.url), 'stage_results');
  const warehouse = await createBigQueryWarehouse(
    fakeWarehouseOptions(fake.url, 'stage_results', fake.storageEndpoint),
  );
  let seen = 0;
  const take = () => {
    const jobs = fake.jobs.slice(seen);
    seen = fake.jobs.length;
    return jobs;
  };
  let pendingBytes = 0;
  return {
    warehouse,
    takeScans: () => {
      const jobs = take();
      pendingBytes += jobs
        .filter((j) => j.scannedTables.some(isTelemetryFake))
        .reduce((sum, j) => sum + j.bytesProcessed, 0);
      return jobs.flatMap((j) => j.scannedTables.filter(isTelemetryFake));
    },
    takeBytes: () => {
      const bytes = pendingBytes;
      pendingBytes = 0;
      return bytes;
    },
    async close() {
      await warehouse.close();
      await fake.stop();
    },
  };
}

const isTelemetryFake = (table: string) => !table.startsWith('stage_results.');

describe.each([
  ['DuckDB', duckDbSubject],
  ['the fake BigQuery', fakeSubject],
] as const)('metrics stage on %s', (_name, open) => {
  let seeded: SeededWarehouse;
  let item: PlanExperiment;
  let subject: Subject;
  let date: string;

  beforeAll(async () => {
    seeded = await seedTemp({ clients: 2_000, days: 42, seed: 11 });
    const planned = await plannedExperiments(seeded);
    item = planned.find((p) => p.experiment.slug === 'new-tab-layout-v2')!;
    date = seeded.manifest.demoDate;
    subject = await open(seeded);
    await subject.warehouse.ensureEnrollments(enrollmentsSpecOf(item, date));
    subject.takeScans();
  }, 300_000);
  afterAll(async () => {
    await subject?.close();
    await seeded?.remove();
  });

  it('reads telemetry once per data source: 16 metrics over 3 sources are 3 scans; a metric read is none', async () => {
    const metrics = metricColumns(item).filter((m) => SOURCES.includes(m.dataSource.name));
    expect(metrics).toHaveLength(16);
    const result = await writeMetricsTable(subject.warehouse, weekSpec(item, metrics, date), {
      tables: subject.warehouse.tables,
    });
    expect(result.failures).toEqual([]);
    expect(result.scans).toBe(3);
    // One scan per source table, counted where the engine reports its scans.
    expect(subject.takeScans().sort()).toEqual([
      'search.search_clients_engines_sources_daily',
      'telemetry.clients_daily',
      'telemetry.desktop_active_users',
    ]);
    const values = await readMetricsTable(subject.warehouse, {
      table: result.table,
      columns: ['active_hours', 'search_count'],
      segments: [],
    });
    expect(values.clients).toBe(result.clients);
    expect(subject.takeScans()).toEqual([]);
  });

  it('shares one scan per data source among every window and basis of a run date', async () => {
    const metrics = metricColumns(item).filter((m) => SOURCES.includes(m.dataSource.name));
    const columns = metrics.map((m) => m.name);
    const read = (table: string) =>
      readMetricsTable(subject.warehouse, { table, columns, segments: [] });
    // Each table on its own first: the values the shared scan must reproduce.
    const alone = [];
    for (const spec of sharedSpecs(item, metrics, date)) {
      const { scan: _, ...single } = spec;
      const result = await writeMetricsTable(subject.warehouse, single, {
        tables: subject.warehouse.tables,
      });
      alone.push(await read(result.table));
    }
    subject.takeScans();
    const scans: number[] = [];
    for (const [index, spec] of sharedSpecs(item, metrics, date).entries()) {
      const result = await writeMetricsTable(subject.warehouse, spec, {
        tables: subject.warehouse.tables,
        runKey: 'run-1',
      });
      expect(result.failures).toEqual([]);
      scans.push(result.scans);
      const values = await read(result.table);
      expect(values.clients).toBe(alone[index]!.clients);
      expect(values.clients).toBeGreaterThan(0);
      for (const column of columns) {
        expect([...values.columns[column]!], `${spec.basis} ${spec.period} ${column}`).toEqual([
          ...alone[index]!.columns[column]!,
        ]);
      }
    }
    // The first table runs the three scans; the other five reuse them.
    expect(scans).toEqual([3, 0, 0, 0, 0, 0]);
    expect(subject.takeScans()).toHaveLength(3);
    // Another run does not reuse this run's scans.
    const again = await writeMetricsTable(subject.warehouse, sharedSpecs(item, metrics, date)[1]!, {
      tables: subject.warehouse.tables,
      runKey: 'run-2',
    });
    expect(again.scans).toBe(3);
    expect(subject.takeScans()).toHaveLength(3);
  });

  it('reads covariates over the pre-enrollment dates only, never the union with the window', async () => {
    const metrics = metricColumns(item).filter((m) => m.dataSource.name === 'clients_daily');
    const activeHours = metrics.find((m) => m.name === 'active_hours')!;
    const ranges = new Map<string, { start: unknown; end: unknown }>();
    const spec = weekSpec(item, metrics, date, [
      { window: { start: -7, end: -1 }, metrics: [activeHours] },
    ]);
    const result = await writeMetricsTable(subject.warehouse, spec, {
      tables: subject.warehouse.tables,
      onSql: (table, query) => {
        ranges.set(table, { start: query.params.data_start, end: query.params.data_end });
        return Promise.resolve();
      },
    });
    expect(result.failures).toEqual([]);
    expect(result.scans).toBe(2);
    expect(subject.takeScans()).toEqual(['telemetry.clients_daily', 'telemetry.clients_daily']);
    const start = spec.startDate;
    const day = (offset: number) =>
      new Date(Date.parse(`${start}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
    expect(ranges.get(scanTableName(spec.slug, 'clients_daily_pre', date))).toEqual({
      start: day(-7),
      end: day(spec.enrollmentPeriod - 1),
    });
    expect(ranges.get(scanTableName(spec.slug, 'clients_daily', date))).toEqual({
      start: day(7),
      end: day(spec.enrollmentPeriod + 13),
    });
    const values = await readMetricsTable(subject.warehouse, {
      table: result.table,
      columns: ['active_hours', 'active_hours_pre'],
      segments: [],
    });
    const pre = values.columns.active_hours_pre!;
    expect(pre.some((v) => v > 0)).toBe(true);
    expect(values.columns.active_hours!.some((v, i) => v !== pre[i])).toBe(true);
  });

  it('isolates a broken metric and a broken data source; the other metrics land', async () => {
    const good = metricColumns(item).filter((m) => SOURCES.includes(m.dataSource.name));
    const clientsDaily = good.find((m) => m.dataSource.name === 'clients_daily')!.dataSource;
    const search = good.find((m) => m.dataSource.name !== 'clients_daily')!;
    const broken: MetricColumn = {
      name: 'broken_sql',
      selectExpression: 'SUM(no_such_column)',
      dataSource: clientsDaily,
    };
    const missingSource: MetricColumn = {
      name: 'from_nowhere',
      selectExpression: 'COUNT(*)',
      dataSource: {
        ...clientsDaily,
        name: 'nowhere',
        fromExpression: 'mozdata.telemetry.no_such_table',
      },
    };
    // A name no SQL may carry: the part cannot even be built with it.
    const unsafe: MetricColumn = {
      name: 'x"; DROP TABLE t; --',
      selectExpression: 'COUNT(*)',
      dataSource: clientsDaily,
    };
    const result = await writeMetricsTable(
      subject.warehouse,
      weekSpec(item, [...good, broken, missingSource, unsafe], date),
      { tables: subject.warehouse.tables, runKey: 'isolation-run' },
    );
    expect(result.failures.map((f) => `${f.dataSource}/${f.column}`).sort()).toEqual([
      'clients_daily/broken_sql',
      'clients_daily/x"; DROP TABLE t; --',
      'nowhere/from_nowhere',
      'nowhere/nowhere_has_contradictory_branch',
      'nowhere/nowhere_has_non_enrolled_data',
    ]);
    for (const failure of result.failures) expect(failure.message).not.toBe('');
    const values = await readMetricsTable(subject.warehouse, {
      table: result.table,
      columns: good.map((m) => m.name),
      segments: [],
    });
    expect(values.clients).toBeGreaterThan(0);
    expect(values.columns[search.name]!.some((v) => v > 0)).toBe(true);
    await expect(
      readMetricsTable(subject.warehouse, {
        table: result.table,
        columns: ['broken_sql'],
        segments: [],
      }),
    ).rejects.toThrow(/broken_sql/);
  });
});

describe('metrics stage cost on the fake BigQuery', () => {
  let seeded: SeededWarehouse;
  let item: PlanExperiment;
  let subject: Subject;
  let date: string;

  beforeAll(async () => {
    seeded = await seedTemp({ clients: 2_000, days: 42, seed: 12 });
    item = (await plannedExperiments(seeded)).find(
      (p) => p.experiment.slug === 'new-tab-layout-v2',
    )!;
    date = seeded.manifest.demoDate;
    subject = await fakeSubject(seeded);
    await subject.warehouse.ensureEnrollments(enrollmentsSpecOf(item, date));
    subject.takeScans();
    subject.takeBytes();
  }, 300_000);
  afterAll(async () => {
    await subject?.close();
    await seeded?.remove();
  });

  // A run date's windows (week 2, day 14, overall) on both bases, as the benchmark workload's
  // windows are: the earlier shape ran one query per metric, window and basis.
  it('processes at most a fifth of the telemetry bytes per window of one query per metric (the earlier shape)', async () => {
    const metrics = metricColumns(item).filter((m) => SOURCES.includes(m.dataSource.name));
    const specs = sharedSpecs(item, metrics, date);
    for (const spec of specs) {
      for (const metric of metrics) {
        await subject.warehouse.readMetric({ ...spec, metrics: [metric], covariateWindow: null });
      }
    }
    expect(subject.takeScans()).toHaveLength(16 * specs.length);
    const perMetric = subject.takeBytes();
    for (const spec of specs) {
      await writeMetricsTable(subject.warehouse, spec, {
        tables: subject.warehouse.tables,
        runKey: 'cost-run',
      });
    }
    expect(subject.takeScans()).toHaveLength(3);
    const stage = subject.takeBytes();
    expect(stage).toBeGreaterThan(0);
    const windows = specs.length / 2;
    console.log(
      `telemetry bytes per window: ${Math.round(perMetric / windows)} with one query per metric and basis, ` +
        `${Math.round(stage / windows)} in the metrics stage (${(perMetric / stage).toFixed(1)}×)`,
    );
    expect(stage * 5).toBeLessThanOrEqual(perMetric);
  });
});
