import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBigQueryWarehouse } from '../../../../src/warehouse/bigquery/bigquery-warehouse.js';
import { WarehouseError, WarehouseQueryError } from '../../../../src/warehouse/warehouse-errors.js';
import { CONTRACT_TELEMETRY, valuesByBranch } from '../../../helpers/warehouse-contract.js';
import { CLIENTS_DAILY, enrollmentsSpec, metricSpec } from './contract-specs.js';
import {
  fakeWarehouseOptions,
  requestsTo,
  seedTables,
  startFakeWarehouse,
  type FakeWarehouseSetup,
} from './bigquery-test-subject.js';

process.env.METADATA_SERVER_DETECTION = 'none';

const JOBS_INSERT = /^\/bigquery\/v2\/projects\/[^/]+\/jobs$/;
const RESULTS = /\/queries\/[^/]+$/;

async function failure(promise: Promise<unknown>): Promise<WarehouseError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WarehouseError);
  return error as WarehouseError;
}

describe('BigQuery adapter: failures, retries, polling and paging', () => {
  let setup: FakeWarehouseSetup;

  beforeAll(async () => {
    setup = await startFakeWarehouse({}, { maxPageRows: 2 });
    await seedTables(setup.client, CONTRACT_TELEMETRY);
    await setup.warehouse.ensureEnrollments(enrollmentsSpec({ branches: ['control'] }));
  });
  afterAll(() => setup?.stop());

  it('marks 5xx answers retryable and names the operation; the next call works', async () => {
    setup.fake.failNext(1, { status: 503, match: (r) => JOBS_INSERT.test(r.path) });
    const error = await failure(setup.warehouse.readMetric(metricSpec()));
    expect(error).toBeInstanceOf(WarehouseQueryError);
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/branches of contract-exp failed \[503, backendError\]/);
    const values = await setup.warehouse.readMetric(metricSpec());
    expect(values.clients).toBe(5);
  });

  it('marks a dropped connection retryable', async () => {
    setup.fake.failNext(1, { reset: true, match: (r) => RESULTS.test(r.path) });
    const error = await failure(
      setup.warehouse.countClients({ slug: 'contract-exp', branches: [], segments: [] }),
    );
    expect(error.retryable).toBe(true);
  });

  it('marks bad SQL, access denied and quota errors as not retryable', async () => {
    const bad = { ...metricSpec().metrics[0]!, selectExpression: 'SUM(no_such_column)' };
    const sqlError = await failure(setup.warehouse.readMetric(metricSpec({ metrics: [bad] })));
    expect(sqlError.retryable).toBe(false);
    expect(sqlError.message).toMatch(/invalidQuery.*no_such_column/);
    setup.fake.failNext(1, {
      status: 403,
      reason: 'accessDenied',
      message: 'Access Denied: Table',
    });
    const denied = await failure(setup.warehouse.tableInfo('enrollments_contract_exp'));
    expect(denied.retryable).toBe(false);
    expect(denied.message).toMatch(/403, accessDenied.*Access Denied/);
    setup.fake.failNext(1, { status: 403, reason: 'rateLimitExceeded' });
    const throttled = await failure(setup.warehouse.tableInfo('enrollments_contract_exp'));
    expect(throttled.retryable).toBe(true);
  });

  it('throws a retryable error from a dry run BigQuery did not answer, and reports bad SQL', async () => {
    setup.fake.failNext(1, { status: 500 });
    expect((await failure(setup.warehouse.dryRun('SELECT 1'))).retryable).toBe(true);
    const bad = await setup.warehouse.dryRun('SELEC 1');
    expect(bad.ok).toBe(false);
  });

  it('polls a query job until complete and reads every page', async () => {
    setup.fake.reset();
    setup.fake.settings.pendingPolls = 2;
    try {
      const values = await setup.warehouse.readMetric(metricSpec());
      expect(valuesByBranch(values, 'active_hours')).toEqual({
        control: [1.5, 7],
        treatment: [0, 3],
        rogue: [1],
      });
    } finally {
      setup.fake.settings.pendingPolls = 0;
    }
    const gets = requestsTo(setup.fake, RESULTS, 'GET');
    const tokens = gets.map((r) => r.query.pageToken).filter((t) => t !== undefined);
    expect(tokens.length).toBeGreaterThanOrEqual(2); // 5 clients in pages of 2
    expect(gets.length).toBeGreaterThanOrEqual(2 * 2 + 3 + 1);
  });

  it('waits for a load job that is still running', async () => {
    setup.fake.reset();
    setup.fake.settings.runningPolls = 2;
    try {
      await setup.warehouse.replaceStatistics('statistics_contract_exp_week_1', [], {
        labels: {},
        description: 'contract-exp',
      });
    } finally {
      setup.fake.settings.runningPolls = 0;
    }
    expect(requestsTo(setup.fake, /\/jobs\/[^/]+$/, 'GET').length).toBeGreaterThanOrEqual(2);
    expect(await setup.warehouse.readStatistics('statistics_contract_exp_week_1')).toEqual([]);
  });

  it('lets exactly one of two concurrent creators write an enrollments table', async () => {
    const other = await createBigQueryWarehouse(fakeWarehouseOptions(setup.fake.url, 'results'));
    await setup.warehouse.dropTables(['enrollments_contract_exp']);
    const spec = enrollmentsSpec();
    const results = await Promise.all([
      setup.warehouse.ensureEnrollments(spec),
      other.ensureEnrollments(spec),
    ]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(results.map((r) => r.clients)).toEqual([5, 5]);
  });

  it('retries a lost insertAll response with the same insertIds, so rows land once', async () => {
    const retrying = await createBigQueryWarehouse({
      ...fakeWarehouseOptions(setup.fake.url, 'results'),
      autoRetry: true,
      maxRetries: 1,
      logsTable: 'results.retry_logs',
    });
    const log = { ...LOG, message: 'once' };
    await retrying.appendLogs([{ ...log, message: 'create the table' }]);
    setup.fake.failNext(1, {
      status: 503,
      afterHandling: true,
      match: (r) => r.path.endsWith('/insertAll'),
    });
    await retrying.appendLogs([log]);
    const messages = (await retrying.readLogs({})).map((r) => r.message);
    expect(messages.filter((m) => m === 'once')).toHaveLength(1);
    expect(requestsTo(setup.fake, '/retry_logs/insertAll').filter((r) => r.injected)).toHaveLength(
      1,
    );
  });

  it('keeps streaming into a new logs table while BigQuery still says notFound', async () => {
    const fresh = await createBigQueryWarehouse({
      ...fakeWarehouseOptions(setup.fake.url, 'results'),
      logsTable: 'results.fresh_logs',
    });
    let inserts = 0; // the 2nd insertAll comes right after the table was created
    const second = (r: { path: string }) =>
      r.path.endsWith('/fresh_logs/insertAll') && (inserts += 1) === 2;
    setup.fake.failNext(1, { status: 404, reason: 'notFound', match: second });
    await fresh.appendLogs([{ ...LOG, message: 'late table' }]);
    expect(requestsTo(setup.fake, '/fresh_logs/insertAll')).toHaveLength(3); // missing, (created), not yet visible, ok
    expect((await fresh.readLogs({})).map((r) => r.message)).toEqual(['late table']);
  });

  it('refuses values it cannot store before sending anything', async () => {
    setup.fake.reset();
    const row = {
      metric: 'm',
      statistic: 'deciles',
      parameter: 'p10',
      branch: 'control',
      comparison: null,
      comparison_to_branch: null,
      ci_width: null,
      point: 1,
      lower: null,
      upper: null,
      segment: 'all',
      analysis_basis: 'enrollments' as const,
    };
    await expect(
      setup.warehouse.replaceStatistics('statistics_x_week_1', [row], {
        labels: {},
        description: '',
      }),
    ).rejects.toThrow(/statistics row 0: parameter "p10"/);
    await expect(setup.warehouse.appendLogs([{ ...LOG, timestamp: 'yesterday' }])).rejects.toThrow(
      /log row 0: bad timestamp "yesterday"/,
    );
    expect(setup.fake.requests).toHaveLength(0);
    expect(CLIENTS_DAILY.name).toBe('clients_daily');
  });
});

const LOG = {
  timestamp: '2024-01-10T10:00:00.000Z',
  source: 'contrail',
  experiment: 'contract-exp',
  metric: null,
  statistic: null,
  analysis_basis: null,
  segment: null,
  analysis_period: null,
  message: 'x',
  log_level: 'ERROR',
  exception: null,
  filename: null,
  func_name: null,
  exception_type: null,
};
