import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { status } from '@grpc/grpc-js';
import type { Json } from '@duckdb/node-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../../../../src/runtime/env.js';
import { openWarehouse, warehouseConfigFromEnv } from '../../../../src/runtime/open-warehouse.js';
import { createBigQueryWarehouse } from '../../../../src/warehouse/bigquery/bigquery-warehouse.js';
import { StorageReadClient } from '../../../../src/warehouse/bigquery/storage-read-client.js';
import { readTableColumns } from '../../../../src/warehouse/bigquery/storage-read.js';
import type { ColumnRead, TypedColumns } from '../../../../src/warehouse/warehouse.js';
import {
  TableNotFoundError,
  WarehouseError,
  WarehouseQueryError,
} from '../../../../src/warehouse/warehouse-errors.js';
import {
  FAKE_PROJECT,
  fakeWarehouseOptions,
  startFakeWarehouse,
  type FakeWarehouseSetup,
} from './bigquery-test-subject.js';

// Any probe of the GCE metadata server lands here instead of 169.254.169.254 (and is counted).
const metadataProbes: string[] = [];
const metadataServer: Server = createServer((req, res) => {
  metadataProbes.push(req.url ?? '');
  res.writeHead(404).end();
});
await new Promise<void>((resolve) => metadataServer.listen(0, '127.0.0.1', resolve));
process.env.GCE_METADATA_HOST = `127.0.0.1:${(metadataServer.address() as AddressInfo).port}`;
delete process.env.METADATA_SERVER_DETECTION;
delete process.env.GOOGLE_APPLICATION_CREDENTIALS;

const ROWS = 1000;
const TABLE = 'metrics_storage_read';

/** BigQuery SQL for the metrics table: every kind of column, NULLs included. */
const METRICS_SQL = `SELECT
  i AS row_index,
  MOD(i, 3) AS branch_index,
  IF(MOD(i, 7) = 0, NULL, i * 0.25) AS value,
  MOD(i, 5) = 0 AS segment,
  IF(MOD(i, 11) = 0, NULL, MOD(i, 2) = 0) AS maybe,
  IF(MOD(i, 13) = 0, NULL, i * 1000003) AS big,
  IF(MOD(i, 17) = 0, NULL, MOD(i, 4)) AS nullable_index,
  i * 100 AS wide,
  CONCAT('b', CAST(MOD(i, 3) AS STRING)) AS branch
FROM \`moz-fx-data-shared-prod.telemetry.storage_source\``;

const COLUMNS: readonly ColumnRead[] = [
  { name: 'row_index', kind: 'f64' },
  { name: 'branch_index', kind: 'u16' },
  { name: 'value', kind: 'f64' },
  { name: 'segment', kind: 'u8' },
  { name: 'maybe', kind: 'f64' },
  { name: 'maybe', kind: 'u8' },
  { name: 'big', kind: 'f64' },
];

/** The expected value of a column, from DuckDB's JSON of the fake's table. */
function expected(kind: ColumnRead['kind'], value: Json): number {
  if (value === null) return kind === 'f64' ? NaN : 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return Number(value);
}

/** The read columns reordered by `row_index` (the first column). */
function byRowIndex(read: TypedColumns): number[][] {
  const order = [...read.columns[0]!.keys()].sort(
    (a, b) => read.columns[0]![a]! - read.columns[0]![b]!,
  );
  return read.columns.map((column) => order.map((i) => column[i]!));
}

describe('readColumns through the BigQuery Storage Read API (fake)', () => {
  let setup: FakeWarehouseSetup;
  let truth: number[][];

  beforeAll(async () => {
    setup = await startFakeWarehouse();
    await setup.fake.sql(
      `CREATE SCHEMA telemetry; CREATE TABLE telemetry.storage_source AS SELECT i FROM range(${ROWS}) r(i)`,
    );
    await setup.warehouse.createTableFromQuery({
      table: TABLE,
      query: { sql: METRICS_SQL, params: {} },
      meta: { labels: {}, description: 'storage read test' },
      purpose: 'storage read test table',
    });
    const list = COLUMNS.map((c, i) => `${c.name} AS c${i}`).join(', ');
    const rows = await setup.fake.sql(`SELECT ${list} FROM results.${TABLE} ORDER BY row_index`);
    truth = COLUMNS.map((column, c) =>
      rows.map((row) => expected(column.kind, row[`c${c}`] ?? null)),
    );
  });
  afterAll(async () => {
    await setup?.stop();
    await new Promise<void>((resolve) => metadataServer.close(() => resolve()));
  });
  beforeEach(() => {
    setup.fake.reset();
    Object.assign(setup.fake.storageSettings, { batchRows: 128, maxStreams: 4, sendDelayMs: 0 });
  });

  it('reads a table written by createTableFromQuery as DuckDB holds it, over several batches and two streams', async () => {
    const read = await setup.warehouse.readColumns(TABLE, COLUMNS);
    expect(read.rows).toBe(ROWS);
    expect(read.columns.map((c) => c.constructor.name)).toEqual([
      'Float64Array',
      'Uint16Array',
      'Float64Array',
      'Uint8Array',
      'Float64Array',
      'Uint8Array',
      'Float64Array',
    ]);
    expect(read.columns.every((c) => c.length === ROWS)).toBe(true);
    expect(byRowIndex(read)).toEqual(truth);
    expect(setup.fake.readSessions).toEqual([
      expect.objectContaining({ table: `results.${TABLE}`, maxStreamCount: 2, streams: 2 }),
    ]);
    expect(setup.fake.readRowsCalls.map((c) => [c.offset, c.outcome])).toEqual([
      [0, 'done'],
      [0, 'done'],
    ]);
    expect(metadataProbes).toEqual([]);
  });

  it('asks for the selected fields only', async () => {
    const read = await setup.warehouse.readColumns(TABLE, [
      { name: 'value', kind: 'f64' },
      { name: 'branch_index', kind: 'u16' },
    ]);
    expect(read.columns).toHaveLength(2);
    expect(setup.fake.readSessions.map((s) => s.selectedFields)).toEqual([
      ['value', 'branch_index'],
    ]);
    const sum = (values: ArrayLike<number>) => Array.from(values).reduce((a, b) => a + b, 0);
    expect(sum(read.columns[1]!)).toBe(sum(truth[1]!));
  });

  it('throws TableNotFoundError naming a missing table', async () => {
    const failure = setup.warehouse.readColumns('metrics_never_written', COLUMNS);
    await expect(failure).rejects.toBeInstanceOf(TableNotFoundError);
    await expect(failure).rejects.toThrow(/metrics_never_written/);
  });

  it('resumes a stream broken by UNAVAILABLE at the row offset reached, with the same arrays', async () => {
    setup.fake.storageSettings.maxStreams = 1;
    setup.fake.failNextReadRows(1, { afterRows: 300 });
    const read = await setup.warehouse.readColumns(TABLE, COLUMNS);
    expect(byRowIndex(read)).toEqual(truth);
    expect(setup.fake.readRowsCalls.map((c) => [c.offset, c.rowsSent, c.outcome])).toEqual([
      [0, 384, 'failed'],
      [384, ROWS - 384, 'done'],
    ]);
  });

  it('gives up after four UNAVAILABLE calls in a row with a retryable error', async () => {
    setup.fake.failNextReadRows(10, { afterRows: 0 });
    const failure = await setup.warehouse.readColumns(TABLE, COLUMNS).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(WarehouseQueryError);
    expect(failure).toMatchObject({ retryable: true, message: expect.stringContaining(TABLE) });
    const calls = setup.fake.readRowsCalls;
    expect(calls.filter((c) => c.outcome === 'failed').length).toBeGreaterThanOrEqual(4);
  });

  it('does not retry a non-retryable status', async () => {
    setup.fake.storageSettings.maxStreams = 1;
    setup.fake.failNextReadRows(1, { afterRows: 200, code: status.PERMISSION_DENIED });
    const failure = await setup.warehouse.readColumns(TABLE, COLUMNS).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(WarehouseQueryError);
    expect(failure).toMatchObject({ retryable: false, message: expect.stringContaining(TABLE) });
    expect(setup.fake.readRowsCalls).toHaveLength(1);
  });

  it('rejects NULL and out-of-range branch indexes, naming the column', async () => {
    await expect(
      setup.warehouse.readColumns(TABLE, [{ name: 'nullable_index', kind: 'u16' }]),
    ).rejects.toThrow(/nullable_index has NULLs/);
    await expect(
      setup.warehouse.readColumns(TABLE, [{ name: 'wide', kind: 'u16' }]),
    ).rejects.toThrow(/wide holds 65600, outside 0\.\.65535/);
    await expect(
      setup.warehouse.readColumns(TABLE, [{ name: 'branch', kind: 'f64' }]),
    ).rejects.toThrow(/branch has Arrow type Utf8/);
  });

  it('cancels the streams when the job signal aborts', async () => {
    Object.assign(setup.fake.storageSettings, { batchRows: 16, sendDelayMs: 20 });
    const controller = new AbortController();
    const reading = setup.warehouse.readColumns(TABLE, COLUMNS, { signal: controller.signal });
    const outcome = reading.catch((e: unknown) => e);
    while (!setup.fake.readRowsCalls.some((c) => c.rowsSent > 0)) await sleep(5);
    controller.abort(new Error('job cancelled'));
    const failure = await outcome;
    expect(failure).toBeInstanceOf(WarehouseQueryError);
    expect(failure).toMatchObject({ retryable: false, message: expect.stringMatching(/aborted/) });
    for (let waited = 0; waited < 2000; waited += 10) {
      if (setup.fake.readRowsCalls.every((c) => c.outcome !== 'open')) break;
      await sleep(10);
    }
    const calls = setup.fake.readRowsCalls;
    expect(calls.map((c) => c.outcome)).toEqual(calls.map(() => 'cancelled'));
    expect(calls.reduce((n, c) => n + c.rowsSent, 0)).toBeLessThan(ROWS);
  });

  it('passes a row restriction to the read session', async () => {
    const client = new StorageReadClient({ endpoint: setup.fake.storageEndpoint });
    try {
      const read = await readTableColumns(
        { client, projectId: FAKE_PROJECT, dataset: 'results', sleep },
        TABLE,
        [{ name: 'branch_index', kind: 'u16' }],
        {},
        { rowRestriction: "branch = 'b1'" },
      );
      expect(read.rows).toBe(truth[1]!.filter((b) => b === 1).length);
      expect(Array.from(read.columns[0]!).every((b) => b === 1)).toBe(true);
      expect(setup.fake.readSessions[0]?.rowRestriction).toBe("branch = 'b1'");
    } finally {
      await client.close();
    }
  });

  it('refuses to reach Google when the REST API is loopback and no storage endpoint is set', async () => {
    const warehouse = await createBigQueryWarehouse(
      fakeWarehouseOptions(setup.fake.url, 'results'),
    );
    try {
      const failure = await warehouse.readColumns(TABLE, COLUMNS).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(WarehouseError);
      expect(String(failure)).toMatch(/CONTRAIL_BIGQUERY_STORAGE_API_ENDPOINT/);
    } finally {
      await warehouse.close();
    }
    expect(setup.fake.readSessions).toEqual([]);
  });

  it('takes the endpoint from CONTRAIL_BIGQUERY_STORAGE_API_ENDPOINT, validated', async () => {
    const base = {
      CONTRAIL_WAREHOUSE: 'bigquery',
      CONTRAIL_BIGQUERY_PROJECT: FAKE_PROJECT,
      CONTRAIL_BIGQUERY_DATASET: 'results',
      CONTRAIL_BIGQUERY_API_ENDPOINT: setup.fake.url,
    };
    expect(() =>
      parseEnv({ ...base, CONTRAIL_BIGQUERY_STORAGE_API_ENDPOINT: 'http://x:1' }),
    ).toThrow(EnvError);
    const env = parseEnv({
      ...base,
      CONTRAIL_BIGQUERY_STORAGE_API_ENDPOINT: setup.fake.storageEndpoint,
    });
    const config = warehouseConfigFromEnv(env);
    expect(config).toMatchObject({ storageApiEndpoint: setup.fake.storageEndpoint });
    const opened = await openWarehouse(config);
    try {
      const read = await opened.warehouse.readColumns(TABLE, [{ name: 'row_index', kind: 'f64' }]);
      expect(read.rows).toBe(ROWS);
    } finally {
      await opened.close();
    }
    expect(metadataProbes).toEqual([]);
  });
});
