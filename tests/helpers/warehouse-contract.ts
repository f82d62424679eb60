import { readViaMetricsTable } from './read-via-metrics-table.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource, Segment } from '../../src/config/analysis-config.js';
import type { StatisticRow } from '../../src/stats/statistic-row.js';
import type { LogRow } from '../../src/warehouse/log-row.js';
import type { MetricReadSpec, MetricValues } from '../../src/warehouse/metric-read-spec.js';
import type { EnrollmentsSpec } from '../../src/warehouse/enrollments-spec.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';

/**
 * The warehouse contract: one vitest suite every `Warehouse` implementation must pass (DuckDB
 * in tests/integration/warehouse/duckdb-contract.test.ts; BigQuery against its fake server).
 * Adapter-agnostic: the subject seeds the small telemetry below through its own `seed` hook.
 */

/** Column types of seeded telemetry; `MAP` is BigQuery's `ARRAY<STRUCT<key STRING, value STRING>>`. */
export type SeedColumnType = 'STRING' | 'DATE' | 'FLOAT64' | 'INT64' | 'BOOL' | 'MAP';

/** One telemetry table to load. Rows are JSON: dates `YYYY-MM-DD`, maps `[{key, value}]`. */
export interface SeedTable {
  readonly dataset: string;
  readonly table: string;
  readonly columns: Readonly<Record<string, SeedColumnType>>;
  readonly rows: readonly Readonly<Record<string, unknown>>[];
}

/** A warehouse under test plus its hooks. */
export interface WarehouseContractSubject {
  readonly warehouse: Warehouse;
  /** Loads telemetry tables (replacing any of the same name); referenced as `dataset.table`. */
  seed(tables: readonly SeedTable[]): Promise<void>;
  /** Closes the warehouse and removes everything the subject created. */
  dispose(): Promise<void>;
}

/** Creates a fresh, empty subject. Called once per suite. */
export type WarehouseContractFactory = () => Promise<WarehouseContractSubject>;

const SLUG = 'contract-exp';
const TABLE_SLUG = 'contract_exp';
const BRANCHES = ['control', 'treatment', 'empty'] as const;

const tag = [{ key: SLUG, value: 'x' }];
const daily = (
  client: string,
  date: string,
  hours: number,
  tagged: boolean,
  heavy: boolean | null = null,
) => ({
  submission_date: date,
  client_id: client,
  profile_group_id: `${client}-group`,
  active_hours_sum: hours,
  experiments: tagged ? tag : [],
  heavy,
});
const event = (client: string, date: string, method: string, branch: string, sample = 10) => ({
  submission_date: date,
  client_id: client,
  profile_group_id: `${client}-group`,
  event_category: 'normandy',
  event_method: method,
  event_string_value: SLUG,
  event_map_values: [{ key: method === 'enroll' ? 'branch' : 'branchSlug', value: branch }],
  sample_id: sample,
});

/**
 * The contract telemetry (experiment `contract-exp`, enrollment 2024-01-01..01-03). Expected
 * week [0, 6] values: c1 control 7 (its untagged enrollment-day row is guarded out), c2 control
 * 1.5, c3 treatment 3, c4 treatment 0 (no rows), c7 in the unconfigured branch `rogue` 1.
 * c5 is sampled out (sample_id 90), c6's event is a decoy category, c8 enrolled too late.
 * Exposed: c1 (01-02) and c3 (01-01); c4's exposure (01-05) is after the enrollment dates.
 */
export const CONTRACT_TELEMETRY: readonly SeedTable[] = [
  {
    dataset: 'telemetry',
    table: 'events',
    columns: {
      submission_date: 'DATE',
      client_id: 'STRING',
      profile_group_id: 'STRING',
      event_category: 'STRING',
      event_method: 'STRING',
      event_string_value: 'STRING',
      event_map_values: 'MAP',
      sample_id: 'INT64',
    },
    rows: [
      event('c1', '2024-01-01', 'enroll', 'control'),
      event('c1', '2024-01-02', 'exposure', 'control'),
      event('c2', '2024-01-02', 'enroll', 'control'),
      event('c3', '2024-01-01', 'enroll', 'treatment'),
      event('c3', '2024-01-01', 'expose', 'treatment'),
      event('c4', '2024-01-03', 'enroll', 'treatment'),
      event('c4', '2024-01-05', 'exposure', 'treatment'),
      event('c5', '2024-01-02', 'enroll', 'control', 90),
      { ...event('c6', '2024-01-02', 'enroll', 'control'), event_category: 'foo' },
      event('c7', '2024-01-02', 'enroll', 'rogue'),
      event('c8', '2024-01-10', 'enroll', 'control'),
    ],
  },
  {
    dataset: 'telemetry',
    table: 'clients_daily',
    columns: {
      submission_date: 'DATE',
      client_id: 'STRING',
      profile_group_id: 'STRING',
      active_hours_sum: 'FLOAT64',
      experiments: 'MAP',
      heavy: 'BOOL',
    },
    rows: [
      daily('c1', '2023-12-30', 1, false),
      daily('c1', '2024-01-01', 2, false, true),
      daily('c1', '2024-01-02', 3, true),
      daily('c1', '2024-01-05', 4, true),
      daily('c1', '2024-01-08', 5, true),
      daily('c1', '2024-01-10', 100, true),
      daily('c2', '2024-01-02', 10, false),
      daily('c2', '2024-01-03', 1.5, true),
      daily('c3', '2023-12-31', 0.25, false),
      daily('c3', '2024-01-01', 2.5, true, false),
      daily('c3', '2024-01-04', 0.5, true),
      daily('c7', '2024-01-02', 1, true),
      daily('c5', '2024-01-03', 50, true),
    ],
  },
];

const CLIENTS_DAILY: DataSource = {
  name: 'clients_daily',
  fromExpression: 'mozdata.telemetry.clients_daily',
  clientIdColumn: 'client_id',
  groupIdColumn: 'profile_group_id',
  submissionDateColumn: 'submission_date',
  experimentsColumnType: 'simple',
  analysisUnits: ['client_id', 'profile_group_id'],
  friendlyName: null,
  description: null,
};

const HEAVY: Segment = {
  name: 'heavy',
  selectExpression: 'COALESCE(LOGICAL_OR(heavy), FALSE)',
  dataSource: {
    name: 'clients_daily',
    fromExpression: 'mozdata.telemetry.clients_daily',
    clientIdColumn: 'client_id',
    submissionDateColumn: 'submission_date',
    windowStart: 0,
    windowEnd: 0,
  },
  friendlyName: null,
  description: null,
};

function enrollmentsSpec(overrides: Partial<EnrollmentsSpec> = {}): EnrollmentsSpec {
  return {
    slug: SLUG,
    startDate: '2024-01-01',
    enrollmentPeriod: 2,
    branches: BRANCHES,
    analysisUnit: 'client_id',
    enrollmentsQueryType: 'normandy',
    sampleSize: 50,
    segments: [HEAVY],
    lastDateOfData: '2024-01-20',
    ...overrides,
  };
}

function metricSpec(overrides: Partial<MetricReadSpec> = {}): MetricReadSpec {
  return {
    slug: SLUG,
    analysisUnit: 'client_id',
    startDate: '2024-01-01',
    enrollmentPeriod: 2,
    branches: BRANCHES,
    basis: 'enrollments',
    window: { start: 0, end: 6 },
    metrics: [
      {
        name: 'active_hours',
        selectExpression: 'COALESCE(SUM(active_hours_sum), 0)',
        dataSource: CLIENTS_DAILY,
      },
      { name: 'raw_hours', selectExpression: 'SUM(active_hours_sum)', dataSource: CLIENTS_DAILY },
    ],
    segments: ['heavy'],
    lastDateOfData: '2024-01-20',
    ...overrides,
  };
}

/**
 * The values of `column` per branch, sorted (NaN last), so tests compare multisets without
 * depending on row order.
 */
export function valuesByBranch(values: MetricValues, column: string): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  const data = values.columns[column];
  if (!data) throw new Error(`no column ${column}; have ${Object.keys(values.columns).join(', ')}`);
  for (let i = 0; i < values.clients; i += 1) {
    const branch = values.branches[values.branch[i]!]!;
    (out[branch] ??= []).push(data[i]!);
  }
  for (const list of Object.values(out)) list.sort((a, b) => (Number.isNaN(a) ? 1 : a - b));
  return out;
}

function statisticRow(overrides: Partial<StatisticRow>): StatisticRow {
  return {
    metric: 'active_hours',
    statistic: 'mean',
    parameter: null,
    branch: 'control',
    comparison: null,
    comparison_to_branch: null,
    ci_width: 0.95,
    point: 1.25,
    lower: 1,
    upper: 1.5,
    segment: 'all',
    analysis_basis: 'enrollments',
    ...overrides,
  };
}

function logRow(overrides: Partial<LogRow>): LogRow {
  return {
    timestamp: '2024-01-10T10:00:00.000Z',
    source: 'jetstream-testing',
    experiment: SLUG,
    metric: 'active_hours',
    statistic: 'bootstrap_mean',
    analysis_basis: 'enrollments',
    segment: 'all',
    analysis_period: 'week',
    message: 'something failed',
    log_level: 'ERROR',
    exception: 'Traceback: boom',
    filename: 'statistics.ts',
    func_name: 'compute',
    exception_type: 'StatisticError',
    ...overrides,
  };
}

const HOSTILE_SLUG = 'x"; DROP TABLE y; --';

/** Registers the contract suite for one implementation. */
export function describeWarehouseContract(name: string, factory: WarehouseContractFactory): void {
  describe(`warehouse contract: ${name}`, () => {
    let subject: WarehouseContractSubject;
    let warehouse: Warehouse;

    beforeAll(async () => {
      subject = await factory();
      warehouse = subject.warehouse;
      await subject.seed(CONTRACT_TELEMETRY);
    });
    afterAll(async () => {
      await subject?.dispose();
    });

    describeEnrollments(() => warehouse);
    describeMetricReads(() => warehouse);
    describeCounts(() => warehouse);
    describeStatistics(() => warehouse);
    describeLogs(() => warehouse);
    describeTablesAndDryRun(() => warehouse);
    describeRowsOnDay(() => warehouse);
    describeIdentifierRejection(() => warehouse);
  });
}

function describeEnrollments(get: () => Warehouse): void {
  describe('ensureEnrollments', () => {
    it('creates the table once (write-if-empty), then leaves it as is', async () => {
      const first = await get().ensureEnrollments(enrollmentsSpec());
      expect(first).toEqual({ created: true, clients: 5 });
      const again = await get().ensureEnrollments(enrollmentsSpec({ sampleSize: 100 }));
      expect(again).toEqual({ created: false, clients: 5 });
      const info = await get().tableInfo(`enrollments_${TABLE_SLUG}`);
      expect(info?.kind).toBe('enrollments');
      expect(info?.rows).toBe(5);
      expect(Number(info?.labels.last_updated)).toBeGreaterThan(1_600_000_000);
    });

    it('rebuilds on recreate, and an empty table is not "populated"', async () => {
      const slug = 'contract-empty';
      const spec = enrollmentsSpec({ slug, segments: [] });
      expect(await get().ensureEnrollments(spec)).toEqual({ created: true, clients: 0 });
      expect(await get().ensureEnrollments(spec)).toEqual({ created: true, clients: 0 });
      const recreated = await get().ensureEnrollments(enrollmentsSpec({ sampleSize: 100 }), {
        recreate: true,
      });
      expect(recreated).toEqual({ created: true, clients: 6 });
      await get().ensureEnrollments(enrollmentsSpec(), { recreate: true });
    });

    it('rejects unsupported enrollment query types with a clear error', async () => {
      const spec = enrollmentsSpec({ slug: 'contract-cirrus', enrollmentsQueryType: 'cirrus' });
      await expect(get().ensureEnrollments(spec)).rejects.toThrow(/unsupported.*"cirrus"/);
      expect(await get().tableInfo('enrollments_contract_cirrus')).toBeNull();
    });
  });
}

function describeMetricReads(get: () => Warehouse): void {
  describe('metrics table → columns (the metrics stage and a metric job)', () => {
    it('returns one row per enrolled client with the enrollment-day guard applied', async () => {
      const values = await readViaMetricsTable(get(), metricSpec());
      expect(values.branches).toEqual(['control', 'treatment', 'empty', 'rogue']);
      expect(values.clients).toBe(5);
      expect(values.branch).toBeInstanceOf(Uint16Array);
      expect(values.columns.active_hours).toBeInstanceOf(Float64Array);
      expect(values.branch.length).toBe(5);
      const active = valuesByBranch(values, 'active_hours');
      expect(active.control).toEqual([1.5, 7]);
      expect(active.treatment).toEqual([0, 3]);
      expect(active.rogue).toEqual([1]);
      expect(active.empty).toBeUndefined();
      const raw = valuesByBranch(values, 'raw_hours');
      expect(raw.treatment![0]).toBe(3);
      expect(raw.treatment![1]).toBeNaN();
    });

    it('returns segment masks aligned with the rows', async () => {
      const values = await readViaMetricsTable(get(), metricSpec());
      const heavy = values.segments.heavy!;
      expect(heavy).toBeInstanceOf(Uint8Array);
      const inSegment = [...heavy.keys()].filter((i) => heavy[i] === 1);
      expect(inSegment).toHaveLength(1);
      const row = inSegment[0]!;
      expect(values.branches[values.branch[row]!]).toBe('control');
      expect(values.columns.active_hours![row]).toBe(7);
    });

    it('adds <metric>_pre over the pre-enrollment window from the same query', async () => {
      const values = await readViaMetricsTable(
        get(),
        metricSpec({ covariateWindow: { start: -7, end: -1 } }),
      );
      expect(Object.keys(values.columns).sort()).toEqual(
        ['active_hours', 'active_hours_pre', 'raw_hours', 'raw_hours_pre'].sort(),
      );
      expect(valuesByBranch(values, 'active_hours_pre').control).toEqual([0, 1]);
      expect(valuesByBranch(values, 'active_hours_pre').treatment).toEqual([0, 0.25]);
      for (let i = 0; i < values.clients; i += 1) {
        const pre = values.columns.active_hours_pre![i]!;
        const week = values.columns.active_hours![i]!;
        if (pre === 1) expect(week).toBe(7);
        if (pre === 0.25) expect(week).toBe(3);
      }
    });

    it('reads only exposed clients, anchored on exposure, on the exposures basis', async () => {
      const values = await readViaMetricsTable(get(), metricSpec({ basis: 'exposures' }));
      expect(values.clients).toBe(2);
      const active = valuesByBranch(values, 'active_hours');
      expect(active).toEqual({ control: [12], treatment: [3] });
    });

    it('fails clearly when the enrollments table does not exist', async () => {
      await expect(
        readViaMetricsTable(get(), metricSpec({ slug: 'contract-missing' })),
      ).rejects.toThrow(/enrollments_contract_missing/);
    });
  });
}

function describeCounts(get: () => Warehouse): void {
  describe('countClients', () => {
    it('counts per basis, segment and branch, with 0 for configured branches nobody joined', async () => {
      const counts = await get().countClients({
        slug: SLUG,
        branches: BRANCHES,
        segments: ['heavy'],
      });
      const count = (basis: string, segment: string, branch: string) =>
        counts.filter((c) => c.basis === basis && c.segment === segment && c.branch === branch);
      const expected: Array<[string, string, string, number]> = [
        ['enrollments', 'all', 'control', 2],
        ['enrollments', 'all', 'treatment', 2],
        ['enrollments', 'all', 'empty', 0],
        ['enrollments', 'all', 'rogue', 1],
        ['enrollments', 'heavy', 'control', 1],
        ['enrollments', 'heavy', 'treatment', 0],
        ['enrollments', 'heavy', 'empty', 0],
        ['exposures', 'all', 'control', 1],
        ['exposures', 'all', 'treatment', 1],
        ['exposures', 'all', 'empty', 0],
        ['exposures', 'all', 'rogue', 0],
        ['exposures', 'heavy', 'control', 1],
      ];
      for (const [basis, segment, branch, clients] of expected) {
        expect(count(basis, segment, branch), `${basis}/${segment}/${branch}`).toEqual([
          { basis, segment, branch, clients },
        ]);
      }
      expect(counts).toHaveLength(2 * 2 * 4);
    });

    it('counts 0 for every branch and basis when there are no enrollments', async () => {
      const counts = await get().countClients({
        slug: 'contract-nobody',
        branches: BRANCHES,
        segments: [],
      });
      expect(counts).toHaveLength(2 * BRANCHES.length);
      expect(counts.every((c) => c.clients === 0 && c.segment === 'all')).toBe(true);
      expect(new Set(counts.map((c) => c.basis))).toEqual(new Set(['enrollments', 'exposures']));
    });
  });
}

function describeStatistics(get: () => Warehouse): void {
  describe('statistics tables', () => {
    const table = `statistics_${TABLE_SLUG}_week_1`;

    it('replaces a table atomically and reads it back', async () => {
      const first = [
        statisticRow({}),
        statisticRow({
          branch: 'treatment',
          comparison: 'difference',
          comparison_to_branch: 'control',
        }),
        statisticRow({
          parameter: '0.5',
          statistic: 'deciles',
          point: null,
          lower: null,
          upper: null,
        }),
      ];
      await get().replaceStatistics(table, first, {
        labels: { schema_version: '4' },
        description: SLUG,
      });
      expect(sortRows(await get().readStatistics(table))).toEqual(sortRows(first));
      const second = [statisticRow({ point: 9, segment: 'heavy', analysis_basis: 'exposures' })];
      await get().replaceStatistics(table, second, { labels: {}, description: SLUG });
      expect(await get().readStatistics(table)).toEqual(second);
      const info = await get().tableInfo(table);
      expect(info).toMatchObject({ name: table, kind: 'statistics', rows: 1, description: SLUG });
      expect(info?.labels.last_updated).toMatch(/^[0-9]+$/);
    });

    it('stores NaN and infinities as null', async () => {
      const name = `statistics_${TABLE_SLUG}_day_1`;
      await get().replaceStatistics(
        name,
        [statisticRow({ point: Number.NaN, lower: Number.POSITIVE_INFINITY })],
        { labels: {}, description: SLUG },
      );
      const [row] = await get().readStatistics(name);
      expect(row?.point).toBeNull();
      expect(row?.lower).toBeNull();
      expect(row?.upper).toBe(1.5);
    });

    it('fails clearly when reading a missing table', async () => {
      await expect(get().readStatistics(`statistics_${TABLE_SLUG}_overall_1`)).rejects.toThrow(
        /statistics_contract_exp_overall_1/,
      );
    });
  });
}

function sortRows(rows: readonly StatisticRow[]): StatisticRow[] {
  return [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

function describeLogs(get: () => Warehouse): void {
  describe('logs', () => {
    it('appends rows and reads them back filtered, oldest first', async () => {
      const older = logRow({ timestamp: '2024-01-09T08:00:00.000Z', message: 'older' });
      const newer = logRow({ timestamp: '2024-01-11T08:00:00.000Z', message: 'newer' });
      const other = logRow({ experiment: 'other-exp', message: 'other' });
      await get().appendLogs([newer, other]);
      await get().appendLogs([older]);
      const mine = await get().readLogs({ experiment: SLUG });
      expect(mine.map((r) => r.message)).toEqual(['older', 'newer']);
      expect(mine[1]).toEqual(newer);
      const since = await get().readLogs({ experiment: SLUG, since: '2024-01-10' });
      expect(since.map((r) => r.message)).toEqual(['newer']);
      const all = await get().readLogs({});
      expect(all.map((r) => r.message).sort()).toEqual(['newer', 'older', 'other']);
    });
  });
}

function describeTablesAndDryRun(get: () => Warehouse): void {
  describe('tables and dry runs', () => {
    it('lists an experiment’s tables, drops them, and ignores unknown names', async () => {
      const name = `statistics_${TABLE_SLUG}_days28_1`;
      const lookalike = `statistics_${TABLE_SLUG}_extra_week_1`;
      await get().replaceStatistics(name, [statisticRow({})], { labels: {}, description: SLUG });
      await get().replaceStatistics(lookalike, [statisticRow({})], {
        labels: {},
        description: 'x',
      });
      const listed = (await get().listTables(SLUG)).map((t) => t.name);
      expect(listed).toContain(`enrollments_${TABLE_SLUG}`);
      expect(listed).toContain(name);
      expect(listed).not.toContain(lookalike);
      const all = await get().listTables();
      expect(all.map((t) => t.name)).toContain(lookalike);
      expect(all.every((t) => typeof t.labels.last_updated === 'string')).toBe(true);
      await get().dropTables([name, lookalike, 'statistics_never_there_week_1']);
      expect(await get().tableInfo(name)).toBeNull();
      expect((await get().listTables(SLUG)).map((t) => t.name)).not.toContain(name);
    });

    it('dry-runs SQL: ok for valid SQL, the error for invalid SQL', async () => {
      const ok = await get().dryRun(
        'SELECT client_id, COUNTIF(active_hours_sum > 1) AS n FROM `moz-fx-data-shared-prod.telemetry.clients_daily` GROUP BY client_id',
      );
      expect(ok).toMatchObject({ ok: true }); // with the bytes it would read, where known
      const bad = await get().dryRun('SELECT no_such_column FROM mozdata.telemetry.clients_daily');
      expect(bad.ok).toBe(false);
      expect(bad.ok ? '' : bad.error).toMatch(/no_such_column/);
    });
  });
}

/** The enroll events as a `from_expression` subquery (with its own date column name). */
const ENROLL_EVENTS = {
  name: 'enroll_events',
  fromExpression:
    "(SELECT e.client_id, e.submission_date AS day FROM mozdata.telemetry.events e WHERE e.event_method = 'enroll')",
  submissionDateColumn: 'day',
};

function describeRowsOnDay(get: () => Warehouse): void {
  describe('hasRowsOn (data readiness)', () => {
    it('is true for a day with rows and false for a day without, with the cost', async () => {
      const on = (date: string) => get().hasRowsOn({ source: CLIENTS_DAILY, date });
      const present = await on('2024-01-02');
      expect(present.hasRows).toBe(true);
      expect(present.cost.bytesProcessed).toBeGreaterThanOrEqual(0);
      expect(present.cost.elapsedMs).toBeGreaterThanOrEqual(0);
      expect((await on('2024-01-06')).hasRows).toBe(false);
      expect((await on('2099-12-31')).hasRows).toBe(false);
    });

    it('filters a from_expression subquery on its own date column', async () => {
      const on = (date: string) => get().hasRowsOn({ source: ENROLL_EVENTS, date });
      expect((await on('2024-01-03')).hasRows).toBe(true);
      expect((await on('2024-01-05')).hasRows).toBe(false); // only an exposure that day
    });

    it('rejects a bad date column before any query, and fails for a missing table', async () => {
      const badColumn = { ...CLIENTS_DAILY, submissionDateColumn: 'day; DROP TABLE x' };
      await expect(get().hasRowsOn({ source: badColumn, date: '2024-01-02' })).rejects.toThrow(
        /column/,
      );
      const missing = { ...CLIENTS_DAILY, fromExpression: 'mozdata.telemetry.no_such_table' };
      await expect(get().hasRowsOn({ source: missing, date: '2024-01-02' })).rejects.toThrow(
        /no_such_table/,
      );
    });
  });
}

function describeIdentifierRejection(get: () => Warehouse): void {
  describe('identifier validation', () => {
    it(`rejects the slug ${HOSTILE_SLUG} before any query runs`, async () => {
      const before = (await get().listTables()).map((t) => t.name).sort();
      await expect(
        get().ensureEnrollments(enrollmentsSpec({ slug: HOSTILE_SLUG })),
      ).rejects.toThrow(/slug/);
      await expect(readViaMetricsTable(get(), metricSpec({ slug: HOSTILE_SLUG }))).rejects.toThrow(
        /slug/,
      );
      await expect(
        get().countClients({ slug: HOSTILE_SLUG, branches: BRANCHES, segments: [] }),
      ).rejects.toThrow(/slug/);
      await expect(get().listTables(HOSTILE_SLUG)).rejects.toThrow(/slug/);
      expect((await get().listTables()).map((t) => t.name).sort()).toEqual(before);
    });

    it('rejects bad table, segment and metric names', async () => {
      const meta = { labels: {}, description: '' };
      await expect(get().replaceStatistics('t; DROP TABLE x', [], meta)).rejects.toThrow(/table/);
      await expect(get().readStatistics('a.b')).rejects.toThrow(/table/);
      await expect(get().dropTables(['ok_name', 'bad name'])).rejects.toThrow(/table/);
      await expect(get().tableInfo('../escape')).rejects.toThrow(/table/);
      await expect(
        readViaMetricsTable(get(), metricSpec({ segments: ['heavy OR 1=1'] })),
      ).rejects.toThrow(/segment/);
      const badMetric = { ...metricSpec().metrics[0]!, name: 'x" FROM y' };
      await expect(
        readViaMetricsTable(get(), metricSpec({ metrics: [badMetric] })),
      ).rejects.toThrow(/metric/);
      expect(await get().tableInfo(`enrollments_${TABLE_SLUG}`)).not.toBeNull();
    });
  });
}

/** The per-client table the readColumns contract reads, seeded as telemetry. */
const READ_SOURCE: SeedTable = {
  dataset: 'telemetry',
  table: 'contract_read_source',
  columns: { row_index: 'INT64', value: 'FLOAT64', flag: 'BOOL', branch: 'STRING' },
  rows: Array.from({ length: 40 }, (_, i) => ({
    row_index: i,
    value: i % 7 === 3 ? null : i * 0.5 - 4,
    flag: i % 5 === 2 ? null : i % 3 === 0,
    branch: ['control', 'treatment', 'empty'][i % 3],
  })),
};

/** The table written from {@link READ_SOURCE}: INT64, FLOAT64, BOOL and an index column. */
const READ_TABLE_SQL = `SELECT row_index, value, flag, row_index * 2 AS doubled,
  CASE branch WHEN 'control' THEN 0 WHEN 'treatment' THEN 1 ELSE 2 END AS branch_index
FROM \`moz-fx-data-shared-prod.telemetry.contract_read_source\``;

/**
 * The `readColumns` contract: a table written by `createTableFromQuery` reads back into typed
 * arrays with NULL → NaN (f64) / 0 (u8), BOOL → 0/1 and INT64 → double, in any row order;
 * a missing table throws TableNotFoundError.
 */
export function describeReadColumnsContract(name: string, factory: WarehouseContractFactory): void {
  describe(`warehouse contract, readColumns: ${name}`, () => {
    let subject: WarehouseContractSubject;

    beforeAll(async () => {
      subject = await factory();
      await subject.seed([READ_SOURCE]);
      await subject.warehouse.createTableFromQuery({
        table: 'contract_read_columns',
        query: { sql: READ_TABLE_SQL, params: {} },
        meta: { labels: {}, description: 'readColumns contract' },
        purpose: 'readColumns contract table',
      });
    });
    afterAll(async () => {
      await subject?.dispose();
    });

    it('reads every row into typed arrays, NULL → NaN / 0', async () => {
      const read = await subject.warehouse.readColumns('contract_read_columns', [
        { name: 'row_index', kind: 'f64' },
        { name: 'value', kind: 'f64' },
        { name: 'flag', kind: 'u8' },
        { name: 'flag', kind: 'f64' },
        { name: 'doubled', kind: 'f64' },
        { name: 'branch_index', kind: 'u16' },
      ]);
      expect(read.rows).toBe(READ_SOURCE.rows.length);
      const [index, value, mask, flag, doubled, branch] = read.columns;
      expect([index, value, flag, doubled].every((c) => c instanceof Float64Array)).toBe(true);
      expect(mask).toBeInstanceOf(Uint8Array);
      expect(branch).toBeInstanceOf(Uint16Array);
      const rows = Array.from(index!, (i, at) => [
        i,
        value![at],
        mask![at],
        flag![at],
        doubled![at],
        branch![at],
      ]);
      rows.sort((a, b) => a[0]! - b[0]!);
      expect(rows).toEqual(
        READ_SOURCE.rows.map((source, i) => [
          i,
          source.value ?? NaN,
          source.flag === true ? 1 : 0,
          source.flag === null ? NaN : Number(source.flag),
          i * 2,
          i % 3,
        ]),
      );
    });

    it('throws TableNotFoundError for a missing table', async () => {
      await expect(
        subject.warehouse.readColumns('contract_never_written', [{ name: 'x', kind: 'f64' }]),
      ).rejects.toMatchObject({ name: 'TableNotFoundError' });
    });
  });
}
