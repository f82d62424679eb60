import { BigQuery } from '@google-cloud/bigquery';
import { OAuth2Client } from 'google-auth-library';
import { coerceError } from '../../../../src/analysis/coerce-error.js';
import type { BigQueryWarehouseOptions } from '../../../../src/warehouse/bigquery/bigquery-options.js';
import { createBigQueryWarehouse } from '../../../../src/warehouse/bigquery/bigquery-warehouse.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import {
  startFakeBigQuery,
  type FakeBigQuery,
  type FakeBigQueryOptions,
} from '../../../helpers/fake-bigquery/index.js';
import type { SeedColumnType, SeedTable } from '../../../helpers/warehouse-contract.js';

/** The test project the fake pretends to be. */
export const FAKE_PROJECT = 'contrail-test';

/** A client that never leaves the machine: a fixed token, no retries. */
export function fakeAuthClient(): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: 'fake', expiry_date: Date.now() + 3600e3 });
  return client;
}

/**
 * Warehouse options for the fake at `url` (fast polling, no client retries), reading tables
 * through its Storage Read API at `storageEndpoint` when given.
 */
export function fakeWarehouseOptions(
  url: string,
  dataset: string,
  storageEndpoint?: string,
): BigQueryWarehouseOptions {
  return {
    projectId: FAKE_PROJECT,
    dataset,
    location: 'US',
    apiEndpoint: url,
    ...(storageEndpoint === undefined ? {} : { storageApiEndpoint: storageEndpoint }),
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

/** Creates a dataset unless it exists. @returns whether this call created it. */
export async function ensureDataset(client: BigQuery, dataset: string): Promise<boolean> {
  try {
    await client.createDataset(dataset);
    return true;
  } catch (e) {
    const error = coerceError(e) as Error & { code?: number };
    if (error.code !== 409) throw error;
    return false;
  }
}

/**
 * Loads seed tables with NDJSON load jobs (WRITE_TRUNCATE), creating datasets as needed.
 * @returns the datasets this call created.
 */
export async function seedTables(
  client: BigQuery,
  tables: readonly SeedTable[],
): Promise<string[]> {
  const created: string[] = [];
  for (const seed of tables) {
    if (await ensureDataset(client, seed.dataset)) created.push(seed.dataset);
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
  return created;
}

/** A fake server with a results dataset and a warehouse on it. */
export interface FakeWarehouseSetup {
  readonly fake: FakeBigQuery;
  readonly client: BigQuery;
  readonly warehouse: Warehouse;
  stop(): Promise<void>;
}

/** Starts a fake, creates the results dataset `results` and opens a warehouse over it. */
export async function startFakeWarehouse(
  overrides: Partial<BigQueryWarehouseOptions> = {},
  fakeOptions: FakeBigQueryOptions = {},
): Promise<FakeWarehouseSetup> {
  const fake = await startFakeBigQuery(fakeOptions);
  const client = fakeClient(fake.url);
  await ensureDataset(client, 'results');
  const warehouse = await createBigQueryWarehouse({
    ...fakeWarehouseOptions(fake.url, 'results', fake.storageEndpoint),
    ...overrides,
  });
  return {
    fake,
    client,
    warehouse,
    stop: async () => {
      await warehouse.close();
      await fake.stop();
    },
  };
}

/** Recorded requests whose path ends with `suffix` (and method, when given). */
export function requestsTo(fake: FakeBigQuery, suffix: string | RegExp, method?: string) {
  return fake.requests.filter(
    (r) =>
      (method === undefined || r.method === method) &&
      (typeof suffix === 'string' ? r.path.endsWith(suffix) : suffix.test(r.path)),
  );
}

/** The parts of request bodies the tests look at. */
export interface JobInsertBody {
  readonly jobReference: { readonly location?: string };
  readonly configuration: {
    readonly dryRun?: boolean;
    readonly query: {
      readonly query: string;
      readonly destinationTable?: unknown;
      readonly writeDisposition?: string;
      readonly useLegacySql?: boolean;
      readonly parameterMode?: string;
      readonly queryParameters?: readonly {
        readonly name: string;
        readonly parameterValue: { readonly value: string };
      }[];
    };
  };
}

/** The JSON metadata part of a load job's media upload. */
export interface LoadMetadata {
  readonly configuration: {
    readonly load: {
      readonly writeDisposition: string;
      readonly sourceFormat: string;
      readonly destinationTable: { readonly tableId: string };
      readonly schema: { readonly fields: readonly { name: string; type: string }[] };
      readonly destinationTableProperties: { readonly labels: Record<string, string> };
    };
  };
}

/** A tabledata.insertAll body. */
export interface InsertAllBody {
  readonly rows: readonly { readonly insertId: string; readonly json: Record<string, unknown> }[];
}

/** A tables.insert body. */
export interface TableInsertBody {
  readonly schema: { readonly fields: readonly { name: string; type: string }[] };
  readonly timePartitioning?: unknown;
  readonly clustering?: unknown;
}

/** A recorded request's JSON body, typed for a test. */
export function bodyOf<T>(request: { readonly body: unknown } | undefined): T {
  if (!request) throw new Error('no such request was recorded');
  return request.body as T;
}
