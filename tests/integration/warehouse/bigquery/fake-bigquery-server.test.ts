import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BigQuery } from '@google-cloud/bigquery';
import { startFakeBigQuery, type FakeBigQuery } from '../../../helpers/fake-bigquery/index.js';
import { createBigQueryWarehouse } from '../../../../src/warehouse/bigquery/bigquery-warehouse.js';
import { ensureDataset, fakeClient, fakeWarehouseOptions } from './bigquery-test-subject.js';

process.env.METADATA_SERVER_DETECTION = 'none';

async function rejection(promise: Promise<unknown>): Promise<Error & { code?: number }> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Error & { code?: number },
  );
}

describe('fake BigQuery server (through the real client)', () => {
  let fake: FakeBigQuery;
  let client: BigQuery;

  beforeAll(async () => {
    fake = await startFakeBigQuery({ maxPageRows: 3 });
    client = fakeClient(fake.url);
    await ensureDataset(client, 'd');
    await client.dataset('d').createTable('t', {
      schema: {
        fields: [
          { name: 'n', type: 'INT64', mode: 'REQUIRED' },
          { name: 's', type: 'STRING' },
        ],
      },
    });
    await client
      .dataset('d')
      .table('t')
      .insert([1, 2, 3, 4, 5].map((n) => ({ n, s: `r${n}` })));
  });
  afterAll(() => fake?.stop());

  it('answers 401 without a bearer token', async () => {
    const response = await fetch(`${fake.url}/bigquery/v2/projects/p/datasets`);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { status: string } }).error.status).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('pages tabledata.list and query results', async () => {
    const [rows] = await client.dataset('d').table('t').getRows();
    expect(rows.map((r: { n: number }) => r.n)).toEqual([1, 2, 3, 4, 5]);
    const [queried] = await client.query({
      query: 'SELECT n FROM d.t WHERE n > @min ORDER BY n',
      params: { min: 1 },
    });
    expect(queried).toEqual([{ n: 2 }, { n: 3 }, { n: 4 }, { n: 5 }]);
    expect(
      fake.requests.filter((r) => r.query.pageToken !== undefined).length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('reports insertAll row problems with HTTP 200 and inserts nothing', async () => {
    const error = await rejection(
      client
        .dataset('d')
        .table('t')
        .insert([{ n: 6 }, { s: 'no n' }, { n: 7, zz: 1 }]),
    );
    expect(error.name).toBe('PartialFailureError');
    const rows = (error as Error & { errors: { errors: { reason: string; message: string }[] }[] })
      .errors;
    expect(rows.map((row) => row.errors.map((e) => e.reason))).toEqual([
      ['stopped'],
      ['invalid'],
      ['invalid'],
    ]);
    expect(rows[1]!.errors[0]!.message).toBe('Missing required field: n.');
    expect(rows[2]!.errors[0]!.message).toBe('no such field: zz.');
    expect(await fake.sql('SELECT count(*) AS c FROM d.t')).toEqual([{ c: '5' }]);
  });

  it('creates views from BigQuery SQL and honours write and create dispositions', async () => {
    await client.dataset('d').createTable('v', {
      view: { query: 'SELECT COUNTIF(n > 2) AS big FROM `contrail-test.d.t`', useLegacySql: false },
    });
    const [viewRows] = await client.query('SELECT big FROM d.v');
    expect(viewRows).toEqual([{ big: 3 }]);
    const append = {
      destination: client.dataset('d').table('copy'),
      writeDisposition: 'WRITE_APPEND',
    };
    await (
      await client.createQueryJob({ query: 'SELECT n FROM d.t', ...append })
    )[0].getQueryResults();
    await (
      await client.createQueryJob({ query: 'SELECT n FROM d.t', ...append })
    )[0].getQueryResults();
    expect(await fake.sql('SELECT count(*) AS c FROM d.copy')).toEqual([{ c: '10' }]);
    const never = client.createQueryJob({
      query: 'SELECT 1 AS x',
      destination: client.dataset('d').table('absent'),
      createDisposition: 'CREATE_NEVER',
    });
    expect((await rejection(never)).message).toMatch(/Not found: Table/);
  });

  it('fails jobs in another location, as BigQuery does', async () => {
    await ensureDataset(client, 'results');
    const eu = await createBigQueryWarehouse({
      ...fakeWarehouseOptions(fake.url, 'results'),
      location: 'EU',
    });
    await expect(eu.readStatistics('statistics_x_week_1')).rejects.toThrow(
      /no statistics table|location EU/,
    );
    const error = await rejection(client.createQueryJob({ query: 'SELECT 1', location: 'EU' }));
    expect(error.message).toMatch(/location EU/);
  });
});
