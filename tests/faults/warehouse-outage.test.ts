import { readdirSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { QUEUE_NAMES, type QueueName } from '../../src/queue/queue-names.js';
import type { StatisticRow } from '../../src/stats/statistic-row.js';
import { createBigQueryWarehouse } from '../../src/warehouse/bigquery/bigquery-warehouse.js';
import type { Baseline } from '../helpers/faults/baseline.js';
import type { FaultCluster } from '../helpers/faults/fault-cluster.js';
import { recordTally } from '../helpers/faults/fault-tally.js';
import { completedJobs, leakedSecrets, unfinishedJobs } from '../helpers/faults/run-checks.js';
import { DRAINED } from '../helpers/faults/scenario-outcome.js';
import { suiteContext } from '../helpers/faults/suite-context.js';
import { waitFor } from '../helpers/faults/wait-for.js';
import { diffTables, NO_DIFFERENCE } from '../helpers/faults/table-diff.js';
import { startFakeBigQuery, type FakeBigQuery } from '../helpers/fake-bigquery/index.js';
import { statisticsOf } from '../helpers/warehouse-reader.js';
import {
  ensureDataset,
  fakeClient,
  fakeWarehouseOptions,
  FAKE_PROJECT,
} from '../integration/warehouse/bigquery/bigquery-test-subject.js';

/**
 * Issue #7, bad input "a warehouse that fails": the pipeline on the BigQuery warehouse, against
 * the local fake of the BigQuery REST API, which answers 500s and drops connections mid-run
 * until the client's own retries are spent and a job attempt fails, then recovers. The job
 * retries with backoff; the tables equal an undisturbed run's.
 */

const suite = suiteContext();
const DATASET = 'results';
let fake: FakeBigQuery;
let cluster: FaultCluster;
let baseline: Baseline;

/** Loads the seeded telemetry tables (Parquet) into the fake, one schema per dataset. */
async function loadTelemetry(warehouseDir: string): Promise<void> {
  const tablesDir = path.join(warehouseDir, 'tables');
  for (const dataset of readdirSync(tablesDir)) {
    await fake.sql(`CREATE SCHEMA IF NOT EXISTS "${dataset}"`);
    for (const file of readdirSync(path.join(tablesDir, dataset))) {
      const table = file.replace(/\.parquet$/, '');
      const source = path.join(tablesDir, dataset, file).replace(/'/g, "''");
      await fake.sql(
        `CREATE OR REPLACE TABLE "${dataset}"."${table}" AS SELECT * FROM read_parquet('${source}')`,
      );
    }
  }
  await ensureDataset(fakeClient(fake.url), DATASET);
}

/** Every statistics table in the fake's results dataset. */
async function bigQueryTables(): Promise<Map<string, StatisticRow[]>> {
  const warehouse = await createBigQueryWarehouse(
    fakeWarehouseOptions(fake.url, DATASET, fake.storageEndpoint),
  );
  try {
    return await statisticsOf(warehouse);
  } finally {
    await warehouse.close();
  }
}

beforeAll(async () => {
  baseline = await suite.baseline('core');
  fake = await startFakeBigQuery();
  cluster = await suite.cluster('bigquery-outage', 'core', {
    env: {
      CONTRAIL_WAREHOUSE: 'bigquery',
      CONTRAIL_BIGQUERY_PROJECT: FAKE_PROJECT,
      CONTRAIL_BIGQUERY_DATASET: DATASET,
      CONTRAIL_BIGQUERY_LOCATION: 'US',
      CONTRAIL_BIGQUERY_API_ENDPOINT: fake.url,
      CONTRAIL_BIGQUERY_STORAGE_API_ENDPOINT: fake.storageEndpoint,
      CONTRAIL_BIGQUERY_LOGS_TABLE: `${DATASET}.logs`,
    },
  });
  await loadTelemetry(cluster.warehouseDir);
  cluster.startWorker();
  cluster.startWorker();
});

afterAll(async () => {
  await cluster?.close();
  await fake?.stop();
});

describe('the BigQuery warehouse answers 500s, then recovers', () => {
  it('500s and dropped connections until a job attempt fails, then recovery: the job retries; tables equal the undisturbed run', async () => {
    const startedAt = Date.now();
    const run = cluster.startRun(['--timeout', '300']);
    await waitFor(
      'the run to be under way',
      async () => (await cluster.queue('metric').getCompletedCount()) >= 3,
    );
    // Fail every request (one in three by dropping the connection, the others with a 500
    // backendError) until the client's own retries are spent and a job attempt has failed.
    let outage = true;
    let seen = 0;
    fake.failNext(1_000_000, { reset: true, match: () => outage && seen++ % 3 === 0 });
    fake.failNext(1_000_000, { status: 500, reason: 'backendError', match: () => outage });
    const retrying = await waitFor(
      'a job attempt to fail on the outage',
      () => failedAttempts(cluster),
      { timeoutMs: 120_000, intervalMs: 100 },
    );
    outage = false;
    const failed = fake.requests.filter((r) => r.injected).length;
    fake.reset();

    const exit = await run.exited;
    expect(exit.code, run.output()).toBe(0);
    expect(failed).toBeGreaterThan(0);
    const tables = await bigQueryTables();
    // The embedded warehouse's undisturbed run: the BigQuery path must give the same bits.
    const diff = diffTables(tables, baseline.tables);
    recordTally({
      scenario: 'BigQuery fake answering 500s / dropping connections, then recovering',
      jobsRun: await completedJobs(cluster),
      killsSurvived: 0,
      faultsInjected: failed,
      badInputsTried: 1,
      rowsLost: diff.rowsLost,
      rowsDuplicated: diff.rowsDuplicated,
      wallMs: Date.now() - startedAt,
    });
    expect(diff).toEqual(NO_DIFFERENCE);
    // The jobs whose attempt failed were retried and completed.
    for (const { queue, id } of retrying) {
      const job = (await cluster.job(queue, id))!;
      expect(await job.getState(), `${queue} ${id}`).toBe('completed');
      expect(job.attemptsMade, `${queue} ${id}`).toBeGreaterThanOrEqual(2);
    }
    // The worker logged the failed attempt with an error naming the warehouse and its request.
    const failures = workerOutput(cluster)
      .split('\n')
      .filter((line) => line.includes('job failed'));
    expect(
      failures.some((line) => /BigQuery .+ failed/.test(line)),
      failures.join('\n'),
    ).toBe(true);
    expect(await unfinishedJobs(cluster)).toEqual(DRAINED);
    expect(leakedSecrets(cluster)).toEqual([]);
  });
});

/** Jobs (any queue) waiting to retry after a failed attempt; false while there is none. */
async function failedAttempts(
  c: FaultCluster,
): Promise<{ queue: QueueName; id: string }[] | false> {
  const found: { queue: QueueName; id: string }[] = [];
  for (const queue of QUEUE_NAMES) {
    for (const job of await c.queue(queue).getJobs(['delayed', 'failed'])) {
      if (job.attemptsMade >= 1 && job.id !== undefined) found.push({ queue, id: job.id });
    }
  }
  return found.length > 0 && found;
}

/** The output of every worker process. */
function workerOutput(c: FaultCluster): string {
  return c
    .processes()
    .filter((p) => p.label.startsWith('worker-'))
    .map((p) => p.output())
    .join('\n');
}
