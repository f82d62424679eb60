import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CONTRACT_TELEMETRY } from '../../../helpers/warehouse-contract.js';
import {
  bodyOf,
  requestsTo,
  seedTables,
  startFakeWarehouse,
  type FakeWarehouseSetup,
  type JobInsertBody,
} from './bigquery-test-subject.js';

// Nothing may probe the GCE metadata server (169.254.169.254) during tests.
process.env.METADATA_SERVER_DETECTION = 'none';

/**
 * Issue 13, case 5: the data-readiness probe on BigQuery is one small query job: an equality on
 * the date column (the partition filter), the date as a parameter, only the date column read.
 */

const CLIENTS_DAILY = {
  name: 'clients_daily',
  fromExpression: 'mozdata.telemetry.clients_daily',
  submissionDateColumn: 'submission_date',
};
const ROWS = CONTRACT_TELEMETRY.find((t) => t.table === 'clients_daily')?.rows.length ?? 0;

let setup: FakeWarehouseSetup;

beforeAll(async () => {
  setup = await startFakeWarehouse();
  await seedTables(setup.client, CONTRACT_TELEMETRY);
});

afterAll(async () => {
  await setup?.stop();
});

describe('hasRowsOn on BigQuery', () => {
  it('sends SELECT 1 ... WHERE date = @day LIMIT 1 and reads only the date column', async () => {
    const before = requestsTo(setup.fake, /\/jobs$/, 'POST').length;
    const result = await setup.warehouse.hasRowsOn(
      { source: CLIENTS_DAILY, date: '2024-01-02' },
      { labels: { job_kind: 'readiness' } },
    );
    expect(result.hasRows).toBe(true);
    // The fake prices a scan like BigQuery (without partitions): the DATE column, 8 bytes a row.
    expect(result.cost.bytesProcessed).toBe(8 * ROWS);
    expect(result.cost.bytesBilled).toBe(10 * 1024 * 1024);
    const inserts = requestsTo(setup.fake, /\/jobs$/, 'POST').slice(before);
    expect(inserts).toHaveLength(1);
    const query = bodyOf<JobInsertBody>(inserts[0]).configuration.query;
    expect(query.query).toBe(
      'SELECT 1 AS has_rows\nFROM mozdata.telemetry.clients_daily ds\n' +
        'WHERE ds.`submission_date` = CAST(@day AS DATE)\nLIMIT 1',
    );
    expect(query.queryParameters).toEqual([
      expect.objectContaining({ name: 'day', parameterValue: { value: '2024-01-02' } }),
    ]);
  });

  it('is false for a day without rows', async () => {
    const result = await setup.warehouse.hasRowsOn({ source: CLIENTS_DAILY, date: '2024-01-06' });
    expect(result.hasRows).toBe(false);
  });
});
