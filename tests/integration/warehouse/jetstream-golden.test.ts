import { readViaMetricsTable, stagedRead } from '../../helpers/read-via-metrics-table.js';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisUnit, DataSource, Segment } from '../../../src/config/analysis-config.js';
import { createDuckDbWarehouse } from '../../../src/warehouse/duckdb/duckdb-warehouse.js';
import { importNdjsonTable } from '../../../src/warehouse/duckdb/import-ndjson-table.js';
import type { EnrollmentsSpec } from '../../../src/warehouse/enrollments-spec.js';
import type { MetricReadSpec } from '../../../src/warehouse/metric-read-spec.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import { valuesByBranch } from '../../helpers/warehouse-contract.js';

// jetstream's own integration fixture and golden numbers (spec/analysis.md §6): experiment
// test-experiment, start 2020-03-30, enrollment period 7 (E = 04-06), run date 2020-04-12.
const FIXTURES = path.resolve(process.cwd(), '../shared/fixtures/jetstream');
const BRANCHES = ['branch1', 'branch2'];

const CLIENTS_DAILY: DataSource = {
  name: 'clients_daily',
  fromExpression: 'mozdata.telemetry.clients_daily',
  clientIdColumn: 'client_id',
  groupIdColumn: 'profile_group_id',
  submissionDateColumn: 'submission_date',
  experimentsColumnType: 'simple',
  analysisUnits: ['client_id', 'profile_group_id'],
  friendlyName: 'Clients Daily',
  description: null,
};

const REGULAR_USERS_V3: Segment = {
  name: 'regular_users_v3',
  selectExpression: 'COALESCE(LOGICAL_OR(is_regular_user_v3), FALSE)',
  dataSource: {
    name: 'clients_last_seen',
    fromExpression: 'mozdata.telemetry.clients_last_seen',
    clientIdColumn: 'client_id',
    submissionDateColumn: 'submission_date',
    windowStart: 0,
    windowEnd: 0,
  },
  friendlyName: 'Regular users (v3)',
  description: null,
};

function enrollments(unit: AnalysisUnit, slug = 'test-experiment'): EnrollmentsSpec {
  return {
    slug,
    startDate: '2020-03-30',
    enrollmentPeriod: 7,
    branches: BRANCHES,
    analysisUnit: unit,
    enrollmentsQueryType: 'normandy',
    segments: [REGULAR_USERS_V3],
    lastDateOfData: '2020-04-12',
  };
}

function activeHours(unit: AnalysisUnit, overrides: Partial<MetricReadSpec> = {}): MetricReadSpec {
  return {
    slug: 'test-experiment',
    analysisUnit: unit,
    startDate: '2020-03-30',
    enrollmentPeriod: 7,
    branches: BRANCHES,
    basis: 'enrollments',
    window: { start: 0, end: 6 },
    metrics: [
      {
        name: 'active_hours',
        selectExpression: 'COALESCE(SUM(active_hours_sum), 0)',
        dataSource: CLIENTS_DAILY,
      },
    ],
    segments: ['regular_users_v3'],
    lastDateOfData: '2020-04-12',
    ...overrides,
  };
}

function rounded(values: Record<string, number[]>): Record<string, number[]> {
  return Object.fromEntries(
    Object.entries(values).map(([branch, list]) => [
      branch,
      list.map((v) => Math.round(v * 1e9) / 1e9),
    ]),
  );
}

describe.each(['client_id', 'profile_group_id'] as const)(
  'jetstream golden fixture (%s)',
  (unit) => {
    let dir: string;
    let warehouse: Warehouse;

    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'contrail-golden-'));
      for (const table of ['clients_daily', 'clients_last_seen', 'events']) {
        await importNdjsonTable(
          dir,
          'telemetry',
          table,
          path.join(FIXTURES, `test_${table}.ndjson`),
        );
      }
      warehouse = await createDuckDbWarehouse({ dir });
      expect(await warehouse.ensureEnrollments(enrollments(unit))).toEqual({
        created: true,
        clients: 2,
      });
    });
    afterAll(async () => {
      await warehouse?.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('week_1: aaaa/branch1 0.8 (untagged 04-02 row guarded out), bbbb/branch2 0.3, both bases', async () => {
      for (const basis of ['enrollments', 'exposures'] as const) {
        const values = await readViaMetricsTable(warehouse, activeHours(unit, { basis }));
        expect(values.clients).toBe(2);
        expect(rounded(valuesByBranch(values, 'active_hours'))).toEqual({
          branch1: [0.8],
          branch2: [0.3],
        });
      }
    });

    it("writes jetstream's metrics table with the sanity columns mozanalysis defines, and its view", async () => {
      for (const [window, period] of [
        [{ start: 0, end: 6 }, 'week'],
        [{ start: -7, end: -1 }, 'preenrollment_week'],
      ] as const) {
        const { stage } = await stagedRead(warehouse, activeHours(unit, { window }), period, 1);
        expect(stage.table).toBe(`test_experiment_enrollments_${period}_1`);
        const sanity = [
          'clients_daily_has_contradictory_branch',
          'clients_daily_has_non_enrolled_data',
        ];
        const read = await warehouse.readColumns(stage.table, [
          { name: 'branch_index', kind: 'u16' },
          ...sanity.map((name) => ({ name, kind: 'u8' as const })),
        ]);
        const got: Record<string, string> = {};
        for (let i = 0; i < read.rows; i += 1) {
          const branch = stage.branches[read.columns[0]![i]!]!;
          got[branch] = `${read.columns[1]![i]}${read.columns[2]![i]}`;
        }
        const expected = await expectedSanity(unit, window);
        expect(got, period).toEqual(expected);
        const view = `test_experiment_enrollments_${period === 'week' ? 'weekly' : 'preenrollment_weekly'}`;
        expect(
          await warehouse.dryRun(`SELECT window_index, active_hours FROM contrail.${view}`),
        ).toMatchObject({
          ok: true,
        });
      }
    });

    it('pre-enrollment week: 2.8 and 0.2, as its own period and as the covariate column', async () => {
      const period = await readViaMetricsTable(
        warehouse,
        activeHours(unit, { window: { start: -7, end: -1 } }),
      );
      expect(rounded(valuesByBranch(period, 'active_hours'))).toEqual({
        branch1: [2.8],
        branch2: [0.2],
      });
      const covariate = await readViaMetricsTable(
        warehouse,
        activeHours(unit, { covariateWindow: { start: -7, end: -1 } }),
      );
      expect(rounded(valuesByBranch(covariate, 'active_hours_pre'))).toEqual({
        branch1: [2.8],
        branch2: [0.2],
      });
      expect(rounded(valuesByBranch(covariate, 'active_hours'))).toEqual({
        branch1: [0.8],
        branch2: [0.3],
      });
    });

    it('identity counts: 1 per branch for both bases; regular_users_v3: 0 (branch1), 1 (branch2)', async () => {
      const counts = await warehouse.countClients({
        slug: 'test-experiment',
        branches: BRANCHES,
        segments: ['regular_users_v3'],
      });
      const table = counts.map((c) => `${c.basis}/${c.segment}/${c.branch}=${c.clients}`).sort();
      expect(table).toEqual(
        [
          'enrollments/all/branch1=1',
          'enrollments/all/branch2=1',
          'enrollments/regular_users_v3/branch1=0',
          'enrollments/regular_users_v3/branch2=1',
          'exposures/all/branch1=1',
          'exposures/all/branch2=1',
          'exposures/regular_users_v3/branch1=0',
          'exposures/regular_users_v3/branch2=1',
        ].sort(),
      );
      const values = await readViaMetricsTable(warehouse, activeHours(unit));
      const segment = values.segments.regular_users_v3!;
      const branch2 = values.branches.indexOf('branch2');
      for (let i = 0; i < values.clients; i += 1) {
        expect(segment[i]).toBe(values.branch[i] === branch2 ? 1 : 0);
      }
    });

    it('no enrollments: an empty table, empty reads, counts 0 for every branch and basis', async () => {
      const slug = 'test-experiment-nobody';
      expect(await warehouse.ensureEnrollments(enrollments(unit, slug))).toEqual({
        created: true,
        clients: 0,
      });
      const values = await readViaMetricsTable(warehouse, activeHours(unit, { slug }));
      expect(values.clients).toBe(0);
      expect(values.columns.active_hours).toHaveLength(0);
      const counts = await warehouse.countClients({ slug, branches: BRANCHES, segments: [] });
      expect(counts.map((c) => `${c.basis}/${c.branch}=${c.clients}`).sort()).toEqual([
        'enrollments/branch1=0',
        'enrollments/branch2=0',
        'exposures/branch1=0',
        'exposures/branch2=0',
      ]);
    });
  },
);

/**
 * The sanity columns computed straight from the fixture, as mozanalysis defines them: over a
 * client's rows in the window (the enrollment-day guard applied, rows of other clients and
 * dates ignored), `has_contradictory_branch` when a row records another branch of the
 * experiment, `has_non_enrolled_data` when a row does not record it (a client without rows
 * counts, as in mozanalysis' LEFT JOIN). Returned per branch as two digits.
 */
async function expectedSanity(
  unit: AnalysisUnit,
  window: { start: number; end: number },
): Promise<Record<string, string>> {
  const day = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
  const enrolled = [
    { client: 'aaaa', group: 'aaa0', branch: 'branch1', date: '2020-04-02' },
    { client: 'bbbb', group: 'bbb0', branch: 'branch2', date: '2020-04-03' },
  ];
  const text = await readFile(path.join(FIXTURES, 'test_clients_daily.ndjson'), 'utf8');
  const rows = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const result: Record<string, string> = {};
  for (const e of enrolled) {
    const id = unit === 'client_id' ? e.client : e.group;
    const mine = rows.filter((r) => {
      if ((unit === 'client_id' ? r.client_id : r.profile_group_id) !== id) return false;
      const offset = day(String(r.submission_date)) - day(e.date);
      if (offset < window.start || offset > window.end) return false;
      const tag = recordedBranch(r);
      return offset !== 0 || tag !== undefined; // the enrollment-day guard
    });
    const contradictory = mine.some((r) => {
      const tag = recordedBranch(r);
      return tag !== undefined && tag !== e.branch;
    });
    const nonEnrolled = mine.length === 0 || mine.some((r) => recordedBranch(r) === undefined);
    result[e.branch] = `${contradictory ? 1 : 0}${nonEnrolled ? 1 : 0}`;
  }
  return result;
}

function recordedBranch(row: Record<string, unknown>): string | undefined {
  const entries = (row.experiments ?? []) as { key: string; value: string }[];
  return entries.find((entry) => entry.key === 'test-experiment')?.value;
}
