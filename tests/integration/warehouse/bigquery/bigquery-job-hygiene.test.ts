import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deterministicJobId } from '../../../../src/warehouse/bigquery/bigquery-job-id.js';
import { createBigQueryWarehouse } from '../../../../src/warehouse/bigquery/bigquery-warehouse.js';
import { LOG_COLUMNS, type LogRow } from '../../../../src/warehouse/log-row.js';
import type { QueryTableSpec } from '../../../../src/warehouse/warehouse.js';
import { WarehouseAbortedError } from '../../../../src/warehouse/warehouse-errors.js';
import type { SeedTable } from '../../../helpers/warehouse-contract.js';
import {
  fakeWarehouseOptions,
  requestsTo,
  seedTables,
  startFakeWarehouse,
  type FakeWarehouseSetup,
} from './bigquery-test-subject.js';

process.env.METADATA_SERVER_DETECTION = 'none';

const ROWS = 50;
const MIB = 2 ** 20;

/** `hygiene.events`: INT64, STRING, FLOAT64 and BOOL columns with known sizes. */
const EVENTS: SeedTable = {
  dataset: 'hygiene',
  table: 'events',
  columns: { id: 'INT64', name: 'STRING', value: 'FLOAT64', flag: 'BOOL' },
  rows: Array.from({ length: ROWS }, (_, i) => ({
    id: i,
    name: `client-${i}`, // 8 or 9 bytes
    value: i / 2,
    flag: i % 2 === 0,
  })),
};

/** BigQuery's bytes of each column of EVENTS: 8 per INT64/FLOAT64, 2 + length per STRING, 1 per BOOL. */
const BYTES = {
  id: 8 * ROWS,
  name: EVENTS.rows.reduce((sum, row) => sum + 2 + String(row.name).length, 0),
  value: 8 * ROWS,
  flag: ROWS,
};

const EVENTS_TABLE = '`contrail-test.hygiene.events`';

function tableSpec(table: string, sql: string): QueryTableSpec {
  return {
    table,
    query: { sql, params: {} },
    meta: { labels: {}, description: 'hygiene test' },
    purpose: `test table ${table}`,
  };
}

/** Resolves once `check` holds, polling every 5 ms (at most 5 s). */
async function eventually(check: () => boolean): Promise<void> {
  for (let waited = 0; !check(); waited += 5) {
    if (waited > 5000) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('BigQuery job hygiene against the fake', () => {
  let setup: FakeWarehouseSetup;

  beforeAll(async () => {
    setup = await startFakeWarehouse();
    await seedTables(setup.client, [EVENTS]);
  });
  afterAll(() => setup?.stop());

  const jobsWithId = (prefix: string) =>
    setup.fake.jobs.filter((job) => job.jobId.startsWith(prefix));

  it('labels every query job with the caller’s labels, cleaned, plus app: contrail', async () => {
    await setup.warehouse.createTableFromQuery(
      tableSpec('labelled', `SELECT id FROM ${EVENTS_TABLE}`),
      {
        labels: {
          experiment: 'My-Slug',
          period: 'week',
          window: '2',
          basis: 'enrollments',
          metric: 'Active Hours',
          job_kind: 'metric',
          run_id: '2024-01-21T06:00:00Z',
        },
      },
    );
    const job = setup.fake.jobs.at(-1);
    expect(job?.statement).toContain('FROM `contrail-test.hygiene.events`');
    expect(job?.labels).toEqual({
      experiment: 'my-slug',
      period: 'week',
      window: '2',
      basis: 'enrollments',
      metric: 'active_hours',
      job_kind: 'metric',
      run_id: '2024-01-21t06_00_00z',
      app: 'contrail',
    });
    await setup.warehouse.readStatistics('statistics_nothing_week_1').catch(() => undefined);
    expect(setup.fake.jobs.at(-1)?.labels).toEqual({ app: 'contrail' }); // no context: app only
  });

  it('sets the byte cap, the timeout and INTERACTIVE priority; BATCH per job or per warehouse', async () => {
    const sql = `SELECT id FROM ${EVENTS_TABLE}`;
    await setup.warehouse.createTableFromQuery(tableSpec('limits_default', sql));
    expect(setup.fake.jobs.at(-1)).toMatchObject({
      priority: 'INTERACTIVE',
      maximumBytesBilled: 5 * 2 ** 40,
      jobTimeoutMs: 6 * 3600 * 1000,
    });
    await setup.warehouse.createTableFromQuery(tableSpec('limits_batch', sql), {
      priority: 'BATCH',
    });
    expect(setup.fake.jobs.at(-1)?.priority).toBe('BATCH');

    const batch = await createBigQueryWarehouse({
      ...fakeWarehouseOptions(setup.fake.url, 'results'),
      priority: 'BATCH',
      maximumBytesBilled: 123 * MIB,
      jobTimeoutMs: 60_000,
    });
    await batch.createTableFromQuery(tableSpec('limits_configured', sql));
    expect(setup.fake.jobs.at(-1)).toMatchObject({
      priority: 'BATCH',
      maximumBytesBilled: 123 * MIB,
      jobTimeoutMs: 60_000,
    });
    await batch.close();
  });

  it('reattaches a retry with the same job key to the running job: exactly one job runs', async () => {
    const key = 'run-1/metric:reattach';
    const spec = tableSpec('reattached', `SELECT id, name FROM ${EVENTS_TABLE} WHERE id < 10`);
    setup.fake.settings.pendingPolls = 20;
    setup.fake.settings.runningPolls = 2;
    try {
      const first = setup.warehouse.createTableFromQuery(spec, { jobKey: key });
      await eventually(() => jobsWithId(deterministicJobId(key, 1)).length === 1);
      expect(jobsWithId(deterministicJobId(key, 1))[0]?.state).toBe('RUNNING');
      const retry = setup.warehouse.createTableFromQuery(spec, { jobKey: key });
      const [a, b] = await Promise.all([first, retry]);
      expect(a.rows).toBe(10);
      expect(b.rows).toBe(10);
      expect(b.cost).toEqual(a.cost);
    } finally {
      setup.fake.settings.pendingPolls = 0;
      setup.fake.settings.runningPolls = 0;
    }
    const prefix = deterministicJobId(key, 1).slice(0, -1);
    expect(jobsWithId(prefix).map((job) => job.jobId)).toEqual([deterministicJobId(key, 1)]);
    const inserts = requestsTo(setup.fake, /\/projects\/[^/]+\/jobs$/, 'POST').filter((r) =>
      JSON.stringify(r.body).includes(deterministicJobId(key, 1)),
    );
    expect(inserts).toHaveLength(2); // the retry's insert answered 409 and found the job

    // A later retry of the finished step reuses the job: still one job, the same table.
    const again = await setup.warehouse.createTableFromQuery(spec, { jobKey: key });
    expect(again.rows).toBe(10);
    expect(jobsWithId(prefix)).toHaveLength(1);
  });

  it('follows a failed job with the next attempt id', async () => {
    const key = 'run-1/metric:retry-after-failure';
    const spec = tableSpec('after_failure', 'SELECT id FROM `contrail-test.hygiene.late`');
    await expect(setup.warehouse.createTableFromQuery(spec, { jobKey: key })).rejects.toThrow(
      /late/,
    );
    await seedTables(setup.client, [{ ...EVENTS, table: 'late' }]);
    const result = await setup.warehouse.createTableFromQuery(spec, { jobKey: key });
    expect(result.rows).toBe(ROWS);
    const prefix = deterministicJobId(key, 1).slice(0, -1);
    expect(jobsWithId(prefix).map((job) => [job.jobId, job.errorReason])).toEqual([
      [deterministicJobId(key, 1), 'notFound'],
      [deterministicJobId(key, 2), undefined],
    ]);
  });

  it('cancels the job when the signal aborts, with a retryable abort error', async () => {
    const key = 'run-1/metric:cancelled';
    const controller = new AbortController();
    setup.fake.settings.pendingPolls = 100_000;
    let failure: unknown;
    try {
      const running = setup.warehouse
        .createTableFromQuery(tableSpec('cancelled', `SELECT id FROM ${EVENTS_TABLE}`), {
          jobKey: key,
          signal: controller.signal,
        })
        .catch((e: unknown) => e);
      await eventually(() => jobsWithId(deterministicJobId(key, 1)).length === 1);
      controller.abort(new Error('thread timeout'));
      failure = await running;
    } finally {
      setup.fake.settings.pendingPolls = 0;
    }
    expect(failure).toBeInstanceOf(WarehouseAbortedError);
    expect((failure as WarehouseAbortedError).retryable).toBe(true);
    expect(jobsWithId(deterministicJobId(key, 1))[0]).toMatchObject({
      state: 'DONE',
      cancelled: true,
      errorReason: 'stopped',
    });
    expect(
      requestsTo(setup.fake, `/jobs/${deterministicJobId(key, 1)}/cancel`, 'POST'),
    ).toHaveLength(1);
  });

  it('starts no job when the signal has already aborted', async () => {
    const before = setup.fake.jobs.length;
    const signal = AbortSignal.abort();
    await expect(
      setup.warehouse.createTableFromQuery(tableSpec('never', 'SELECT 1 AS x'), { signal }),
    ).rejects.toBeInstanceOf(WarehouseAbortedError);
    expect(setup.fake.jobs).toHaveLength(before);
  });

  it('reports bytes processed growing with the columns read, equal in a dry run and the run', async () => {
    const bytesOf = async (sql: string) => {
      const dry = await setup.warehouse.dryRun(sql);
      const run = await setup.warehouse.createTableFromQuery(tableSpec('bytes', sql));
      expect(dry).toEqual({ ok: true, bytesProcessed: run.cost.bytesProcessed });
      expect(setup.fake.jobs.at(-1)?.bytesProcessed).toBe(run.cost.bytesProcessed);
      return run.cost;
    };
    const one = await bytesOf(`SELECT id FROM ${EVENTS_TABLE}`);
    const two = await bytesOf(`SELECT id, name FROM ${EVENTS_TABLE}`);
    const all = await bytesOf(`SELECT * FROM ${EVENTS_TABLE}`);
    const filtered = await bytesOf(`SELECT id FROM ${EVENTS_TABLE} WHERE value > 10`);
    const selfJoin = await bytesOf(
      `SELECT a.id, b.flag FROM ${EVENTS_TABLE} a JOIN ${EVENTS_TABLE} b ON a.id = b.id`,
    );
    expect(one.bytesProcessed).toBe(BYTES.id);
    expect(two.bytesProcessed).toBe(BYTES.id + BYTES.name);
    expect(all.bytesProcessed).toBe(BYTES.id + BYTES.name + BYTES.value + BYTES.flag);
    expect(filtered.bytesProcessed).toBe(BYTES.id + BYTES.value); // WHERE columns are read too
    expect(selfJoin.bytesProcessed).toBe(2 * BYTES.id + BYTES.flag); // the table scanned twice
    expect(one.bytesBilled).toBe(10 * MIB); // BigQuery's 10 MB minimum per table
    expect(selfJoin.bytesBilled).toBe(20 * MIB);
    expect(one.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(one.slotMs).toBeGreaterThanOrEqual(0);
  });

  it('grows with the rows: twice the rows, twice the bytes', async () => {
    await seedTables(setup.client, [
      { ...EVENTS, table: 'doubled', rows: [...EVENTS.rows, ...EVENTS.rows] },
    ]);
    const dry = await setup.warehouse.dryRun(
      'SELECT id, value FROM `contrail-test.hygiene.doubled`',
    );
    expect(dry).toEqual({ ok: true, bytesProcessed: 2 * (BYTES.id + BYTES.value) });
  });

  it('refuses a query over the byte cap before it runs', async () => {
    const capped = await createBigQueryWarehouse({
      ...fakeWarehouseOptions(setup.fake.url, 'results'),
      maximumBytesBilled: 15 * MIB,
    });
    try {
      await capped.createTableFromQuery(tableSpec('one_scan', `SELECT id FROM ${EVENTS_TABLE}`));
      const twoScans = tableSpec(
        'two_scans',
        `SELECT a.id FROM ${EVENTS_TABLE} a JOIN ${EVENTS_TABLE} b ON a.id = b.id`,
      );
      await expect(capped.createTableFromQuery(twoScans)).rejects.toThrow(
        /bytesBilledLimitExceeded/,
      );
      expect(setup.fake.jobs.at(-1)).toMatchObject({
        errorReason: 'bytesBilledLimitExceeded',
        bytesProcessed: 0,
      });
      expect(await capped.tableInfo('two_scans')).toBeNull(); // it did not run
      expect(await capped.tableInfo('one_scan')).not.toBeNull();
    } finally {
      await capped.close();
    }
  });

  it('creates the logs table partitioned by day and bounds every read on timestamp', async () => {
    const row = (timestamp: string, message: string): LogRow => ({
      ...(Object.fromEntries(LOG_COLUMNS.map((column) => [column, null])) as Record<
        (typeof LOG_COLUMNS)[number],
        null
      >),
      timestamp,
      experiment: 'partitioned',
      source: 'test',
      log_level: 'ERROR',
      message,
    });
    await setup.warehouse.appendLogs([
      row('2024-01-01T00:00:00.000Z', 'old'),
      row('2024-01-20T12:00:00.000Z', 'new'),
    ]);
    const [meta] = await setup.client.dataset('monitoring').table('logs').getMetadata();
    expect((meta as { timePartitioning?: unknown }).timePartitioning).toEqual({
      type: 'DAY',
      field: 'timestamp',
    });
    const all = await setup.warehouse.readLogs({ experiment: 'partitioned' });
    expect(all.map((r) => r.message)).toEqual(['old', 'new']);
    const since = await setup.warehouse.readLogs({
      experiment: 'partitioned',
      since: '2024-01-10T00:00:00Z',
    });
    expect(since.map((r) => r.message)).toEqual(['new']);
    const reads = setup.fake.jobs.filter((job) => /monitoring\W+logs/.test(job.statement ?? ''));
    expect(reads.length).toBeGreaterThanOrEqual(2);
    expect(reads.every((job) => job.statement?.includes('`timestamp` >= CAST(@since'))).toBe(true);
  });
});
