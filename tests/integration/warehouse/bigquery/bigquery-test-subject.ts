import { BigQuery } from '@google-cloud/bigquery';
import { OAuth2Client } from 'google-auth-library';
import { coerceError } from '../../../../src/analysis/coerce-error.js';
import type { BigQueryWarehouseOptions } from '../../../../src/warehouse/bigquery/bigquery-options.js';
import type { SeedColumnType, SeedTable } from '../../../helpers/warehouse-contract.js';

/** The test project the fake pretends to be. */
export const FAKE_PROJECT = 'contrail-test';

/** A client that never leaves the machine: a fixed token, no retries. */
export function fakeAuthClient(): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: 'fake', expiry_date: Date.now() + 3600e3 });
  return client;
}

/** Warehouse options for the fake at `url` (fast polling, no client retries). */
export function fakeWarehouseOptions(url: string, dataset: string): BigQueryWarehouseOptions {
  return {
    projectId: FAKE_PROJECT,
    dataset,
    location: 'US',
    apiEndpoint: url,
    authClient: fakeAuthClient(),
    autoRetry: false,
    pollIntervalMs: 1,
  };
}

/** A raw client for seeding and inspecting the fake. */
export function fakeClient(url: string): BigQuery {
  return new BigQuery({
    projectId: FAKE_PROJECT,
    apiEndpoint: url,
    authClient: fakeAuthClient(),
    autoRetry: false,
    location: 'US',
  });
}

const FIELD: Record<SeedColumnType, Record<string, unknown>> = {
  STRING: { type: 'STRING' },
  DATE: { type: 'DATE' },
  FLOAT64: { type: 'FLOAT64' },
  INT64: { type: 'INT64' },
  BOOL: { type: 'BOOL' },
  MAP: {
    type: 'RECORD',
    mode: 'REPEATED',
    fields: [
      { name: 'key', type: 'STRING' },
      { name: 'value', type: 'STRING' },
    ],
  },
};

/** Creates a dataset unless it exists. */
export async function ensureDataset(client: BigQuery, dataset: string): Promise<void> {
  try {
    await client.createDataset(dataset);
  } catch (e) {
    const error = coerceError(e) as Error & { code?: number };
    if (error.code !== 409) throw error;
  }
}

/** Loads seed tables with NDJSON load jobs (WRITE_TRUNCATE), creating datasets as needed. */
export async function seedTables(client: BigQuery, tables: readonly SeedTable[]): Promise<void> {
  for (const seed of tables) {
    await ensureDataset(client, seed.dataset);
    const fields = Object.entries(seed.columns).map(([name, type]) => ({ name, ...FIELD[type] }));
    const stream = client.dataset(seed.dataset).table(seed.table).createWriteStream({
      sourceFormat: 'NEWLINE_DELIMITED_JSON',
      writeDisposition: 'WRITE_TRUNCATE',
      schema: { fields },
    });
    const job = await new Promise<{ promise(): Promise<unknown> }>((resolve, reject) => {
      stream.once('error', reject);
      stream.once('job', resolve);
      stream.end(seed.rows.map((row) => JSON.stringify(row)).join('\n'));
    });
    await job.promise();
  }
}
