import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'vitest';
import { BigQuery } from '@google-cloud/bigquery';
import { createBigQueryWarehouse } from '../../../../src/warehouse/bigquery/bigquery-warehouse.js';
import {
  describeReadColumnsContract,
  describeWarehouseContract,
  type WarehouseContractFactory,
} from '../../../helpers/warehouse-contract.js';
import { startFakeBigQuery } from '../../../helpers/fake-bigquery/index.js';
import {
  ensureDataset,
  fakeClient,
  fakeWarehouseOptions,
  seedTables,
} from './bigquery-test-subject.js';

// Nothing may probe the GCE metadata server (169.254.169.254) during tests.
process.env.METADATA_SERVER_DETECTION = 'none';

const fakeSubject: WarehouseContractFactory = async () => {
  const fake = await startFakeBigQuery();
  const client = fakeClient(fake.url);
  await ensureDataset(client, 'contract_results');
  const warehouse = await createBigQueryWarehouse(
    fakeWarehouseOptions(fake.url, 'contract_results', fake.storageEndpoint),
  );
  return {
    warehouse,
    seed: async (tables) => {
      await seedTables(client, tables);
    },
    dispose: async () => {
      await warehouse.close();
      await fake.stop();
    },
  };
};

describeWarehouseContract('BigQuery against the fake REST server', fakeSubject);
describeReadColumnsContract(
  'BigQuery against the fake servers (REST and Storage Read)',
  fakeSubject,
);

const realProject = process.env.CONTRAIL_BIGQUERY_TEST_PROJECT;
const adcFile = path.join(homedir(), '.config', 'gcloud', 'application_default_credentials.json');
const hasCredentials =
  process.env.GOOGLE_APPLICATION_CREDENTIALS !== undefined || existsSync(adcFile);
const skipReason =
  realProject === undefined
    ? 'CONTRAIL_BIGQUERY_TEST_PROJECT is not set'
    : hasCredentials
      ? null
      : 'no Google credentials (GOOGLE_APPLICATION_CREDENTIALS or gcloud ADC)';

if (skipReason === null && realProject !== undefined) {
  describeWarehouseContract(`BigQuery project ${realProject}`, async () => {
    const dataset = `contrail_contract_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const client = new BigQuery({ projectId: realProject });
    await ensureDataset(client, dataset);
    const warehouse = await createBigQueryWarehouse({
      projectId: realProject,
      dataset,
      sourceProject: realProject,
      logsTable: `${dataset}.logs`,
    });
    const created = [dataset];
    return {
      warehouse,
      seed: async (tables) => {
        created.push(...(await seedTables(client, tables)));
      },
      dispose: async () => {
        await warehouse.close();
        for (const name of created) await client.dataset(name).delete({ force: true });
      },
    };
  });
} else {
  describe.skip(`warehouse contract: real BigQuery (skipped: ${skipReason})`, () => {
    it('needs CONTRAIL_BIGQUERY_TEST_PROJECT and credentials', () => undefined);
  });
  console.log(`BigQuery contract against a real project skipped: ${skipReason}`);
}
