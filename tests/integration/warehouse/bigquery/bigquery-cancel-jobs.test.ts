import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createBigQueryWarehouse } from '../../../../src/warehouse/bigquery/bigquery-warehouse.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { startFakeBigQuery, type FakeBigQuery } from '../../../helpers/fake-bigquery/index.js';
import { ensureDataset, fakeClient, fakeWarehouseOptions } from './bigquery-test-subject.js';

describe('cancelling the warehouse jobs of an aborted job (BigQuery)', () => {
  let fake: FakeBigQuery;
  let warehouse: Warehouse;

  beforeAll(async () => {
    fake = await startFakeBigQuery();
    await ensureDataset(fakeClient(fake.url), 'cancel_results');
    warehouse = await createBigQueryWarehouse(
      fakeWarehouseOptions(fake.url, 'cancel_results', fake.storageEndpoint),
    );
  });
  afterAll(async () => {
    await warehouse?.close();
    await fake?.stop();
  });

  it("cancels exactly the running jobs labelled with the aborted job's id", async () => {
    fake.settings.runningPolls = 1_000; // the jobs stay RUNNING until cancelled
    const client = fakeClient(fake.url);
    const label = (job: string) => ({ app: 'contrail', job, kind: 'metric' });
    const [mine] = await client.createQueryJob({
      query: 'SELECT 1 AS x',
      labels: label('metric_a_1'),
    });
    const [also] = await client.createQueryJob({
      query: 'SELECT 2 AS x',
      labels: label('metric_a_1'),
    });
    const [other] = await client.createQueryJob({
      query: 'SELECT 3 AS x',
      labels: label('metric_b_2'),
    });
    fake.settings.runningPolls = 0;

    // The worker passes the BullMQ job id; labels are cleaned as they were when the jobs started.
    expect(await warehouse.cancelJobs({ job: 'metric.a.1' })).toBe(2);
    const byId = new Map(fake.jobs.map((job) => [job.jobId, job]));
    expect(byId.get(mine.id!)?.cancelled).toBe(true);
    expect(byId.get(also.id!)?.cancelled).toBe(true);
    expect(byId.get(other.id!)?.cancelled).toBe(false);
    expect(byId.get(other.id!)?.state).toBe('RUNNING');
    expect(await warehouse.cancelJobs({ job: 'metric.a.1' })).toBe(0); // nothing left running
  });
});
