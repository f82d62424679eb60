import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../../../src/runtime/env.js';
import { openWarehouse, warehouseConfigFromEnv } from '../../../../src/runtime/open-warehouse.js';
import { startFakeBigQuery, type FakeBigQuery } from '../../../helpers/fake-bigquery/index.js';
import { ensureDataset, fakeClient } from './bigquery-test-subject.js';

process.env.METADATA_SERVER_DETECTION = 'none';

describe('openWarehouse for CONTRAIL_WAREHOUSE=bigquery', () => {
  let fake: FakeBigQuery;

  beforeAll(async () => {
    fake = await startFakeBigQuery();
    await ensureDataset(fakeClient(fake.url), 'analysis');
    fake.reset();
  });
  afterAll(() => fake?.stop());

  it('reads every CONTRAIL_BIGQUERY_* setting from the environment', () => {
    const env = parseEnv({
      CONTRAIL_WAREHOUSE: 'bigquery',
      CONTRAIL_BIGQUERY_PROJECT: 'contrail-test',
      CONTRAIL_BIGQUERY_DATASET: 'analysis',
      CONTRAIL_BIGQUERY_LOCATION: 'EU',
      CONTRAIL_BIGQUERY_API_ENDPOINT: 'http://127.0.0.1:1',
      CONTRAIL_BIGQUERY_LOGS_TABLE: 'ops.logs',
      CONTRAIL_BIGQUERY_SOURCE_PROJECT: 'mozdata',
      CONTRAIL_BIGQUERY_MAX_BYTES_BILLED: '1099511627776',
      CONTRAIL_BIGQUERY_JOB_TIMEOUT_MS: '600000',
      CONTRAIL_BIGQUERY_PRIORITY: 'BATCH',
    });
    expect(warehouseConfigFromEnv(env)).toEqual({
      kind: 'bigquery',
      projectId: 'contrail-test',
      dataset: 'analysis',
      location: 'EU',
      apiEndpoint: 'http://127.0.0.1:1',
      logsTable: 'ops.logs',
      sourceProject: 'mozdata',
      maximumBytesBilled: 2 ** 40,
      jobTimeoutMs: 600_000,
      priority: 'BATCH',
    });
  });

  it('names the variable of a bad byte cap, timeout or priority', () => {
    const bigquery = { CONTRAIL_WAREHOUSE: 'bigquery' };
    expect(() => parseEnv({ ...bigquery, CONTRAIL_BIGQUERY_MAX_BYTES_BILLED: '5TiB' })).toThrow(
      /CONTRAIL_BIGQUERY_MAX_BYTES_BILLED/,
    );
    expect(() => parseEnv({ ...bigquery, CONTRAIL_BIGQUERY_JOB_TIMEOUT_MS: '-1' })).toThrow(
      /CONTRAIL_BIGQUERY_JOB_TIMEOUT_MS/,
    );
    expect(() => parseEnv({ ...bigquery, CONTRAIL_BIGQUERY_PRIORITY: 'batch' })).toThrow(
      /CONTRAIL_BIGQUERY_PRIORITY/,
    );
  });

  it('opens warehouse and stage on a loopback endpoint with a placeholder token, no Google credentials', async () => {
    const env = parseEnv({
      CONTRAIL_WAREHOUSE: 'bigquery',
      CONTRAIL_BIGQUERY_PROJECT: 'contrail-test',
      CONTRAIL_BIGQUERY_DATASET: 'analysis',
      CONTRAIL_BIGQUERY_API_ENDPOINT: fake.url,
      CONTRAIL_BIGQUERY_LOGS_TABLE: 'analysis.logs',
    });
    const opened = await openWarehouse(warehouseConfigFromEnv(env));
    try {
      await opened.stage.write('g', 'k', []);
      expect([...(await opened.stage.read('g')).keys()]).toEqual(['k']);
      expect(await opened.warehouse.listTables()).toEqual([]);
      expect(await opened.warehouse.readLogs({})).toEqual([]);
    } finally {
      await opened.close();
    }
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(fake.requests.every((r) => r.authorization === 'Bearer contrail-local')).toBe(true);
    await expect(opened.warehouse.listTables()).rejects.toThrow(/closed/);
  });
});
