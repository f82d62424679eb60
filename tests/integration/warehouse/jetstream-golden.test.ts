import { readViaMetricsTable } from '../../helpers/read-via-metrics-table.js';
import { mkdtemp, rm } from 'node:fs/promises';
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
