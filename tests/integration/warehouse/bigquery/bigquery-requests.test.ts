import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatisticRow } from '../../../../src/stats/statistic-row.js';
import { CONTRACT_TELEMETRY, valuesByBranch } from '../../../helpers/warehouse-contract.js';
import type { RecordedRequest } from '../../../helpers/fake-bigquery/index.js';
import { enrollmentsSpec, metricSpec, SLUG } from './contract-specs.js';
import {
  bodyOf,
  requestsTo,
  type InsertAllBody,
  type JobInsertBody,
  type LoadMetadata,
  type TableInsertBody,
  seedTables,
  startFakeWarehouse,
  type FakeWarehouseSetup,
} from './bigquery-test-subject.js';

process.env.METADATA_SERVER_DETECTION = 'none';

const NOW = Date.UTC(2024, 0, 21, 6, 0, 0);
/** jobs.insert (not the media-upload endpoint, which also ends in /jobs). */
const JOBS_INSERT = /^\/bigquery\/v2\/projects\/[^/]+\/jobs$/;

/** `configuration.query` of a jobs.insert request. */
function queryConfig(
  request: RecordedRequest | undefined,
): JobInsertBody['configuration']['query'] {
  return bodyOf<JobInsertBody>(request).configuration.query;
}

function paramValues(request: RecordedRequest | undefined): Record<string, string> {
  const params = queryConfig(request).queryParameters ?? [];
  return Object.fromEntries(params.map((p) => [p.name, p.parameterValue.value]));
}

const row: StatisticRow = {
  metric: 'active_hours',
  statistic: 'deciles',
  parameter: '1e-05',
  branch: 'control',
  comparison: null,
  comparison_to_branch: null,
  ci_width: 0.95,
  point: 0.1 + 0.2,
  lower: Number.NaN,
  upper: 1e300,
  segment: 'all',
  analysis_basis: 'enrollments',
};

describe('BigQuery adapter: what the client sends', () => {
  let setup: FakeWarehouseSetup;

  beforeAll(async () => {
    setup = await startFakeWarehouse({ now: () => NOW });
    await seedTables(setup.client, CONTRACT_TELEMETRY);
  });
  afterAll(() => setup?.stop());

  it('authorises every request with the injected token and runs every job in the location', async () => {
    await setup.warehouse.ensureEnrollments(enrollmentsSpec());
    expect(setup.fake.requests.length).toBeGreaterThan(3);
    expect(setup.fake.requests.every((r) => r.authorization === 'Bearer fake')).toBe(true);
    const jobs = requestsTo(setup.fake, JOBS_INSERT, 'POST');
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs.every((r) => bodyOf<JobInsertBody>(r).jobReference.location === 'US')).toBe(true);
  });

  it('builds enrollments with a WRITE_EMPTY query job, bound parameters, then labels', async () => {
    setup.fake.reset();
    const spec = enrollmentsSpec({ slug: 'req-exp', branches: ["x'; DROP TABLE t; --"] });
    await setup.warehouse.ensureEnrollments(spec);
    const [insert] = requestsTo(setup.fake, JOBS_INSERT, 'POST');
    const config = queryConfig(insert);
    expect(config.destinationTable).toEqual({
      projectId: 'contrail-test',
      datasetId: 'results',
      tableId: 'enrollments_req_exp',
    });
    expect(config.writeDisposition).toBe('WRITE_EMPTY');
    expect(config.useLegacySql).toBe(false);
    expect(config.parameterMode).toMatch(/^named$/i);
    expect(paramValues(insert)).toMatchObject({ slug: 'req-exp', enrollment_start: '2024-01-01' });
    expect(config.query).toContain('@slug');
    expect(config.query).not.toContain("'req-exp'");
    const [patch] = requestsTo(setup.fake, '/tables/enrollments_req_exp', 'PATCH');
    expect(patch!.body).toEqual({
      labels: { last_updated: String(NOW / 1000) },
      description: 'req-exp',
    });
  });

  it('reads metrics through jobs.insert and getQueryResults, branch slugs as parameters', async () => {
    setup.fake.reset();
    const values = await setup.warehouse.readMetric(
      metricSpec({ branches: ['control', "treat'ment"] }),
    );
    expect(valuesByBranch(values, 'active_hours').control).toEqual([1.5, 7]);
    const metricJob = requestsTo(setup.fake, JOBS_INSERT, 'POST').find((r) =>
      String(queryConfig(r).query).includes('branch_index'),
    );
    expect(paramValues(metricJob)).toMatchObject({ branch_0: 'control', branch_1: "treat'ment" });
    expect(String(queryConfig(metricJob).query)).not.toContain("treat'ment");
    const pages = requestsTo(setup.fake, /\/queries\/[^/]+$/, 'GET');
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.every((r) => r.query['formatOptions.useInt64Timestamp'] === 'true')).toBe(true);
  });

  it('replaces statistics with a WRITE_TRUNCATE NDJSON load job, then merges labels', async () => {
    setup.fake.reset();
    const table = 'statistics_contract_exp_week_1';
    await setup.warehouse.replaceStatistics(table, [row], {
      labels: { schema_version: '4' },
      description: SLUG,
    });
    const [upload] = requestsTo(setup.fake, '/upload/bigquery/v2/projects/contrail-test/jobs');
    expect(upload!.query.uploadType).toBe('multipart');
    const multipart = (upload!.body as { multipart: string }).multipart;
    const metadata = JSON.parse(/\{"configuration".*\}/.exec(multipart)![0]) as LoadMetadata;
    const load = metadata.configuration.load;
    expect(load.writeDisposition).toBe('WRITE_TRUNCATE');
    expect(load.sourceFormat).toBe('NEWLINE_DELIMITED_JSON');
    expect(load.destinationTable.tableId).toBe(table);
    expect(load.schema.fields.find((f) => f.name === 'parameter')?.type).toBe('NUMERIC');
    expect(load.destinationTableProperties.labels.schema_version).toBe('4');
    expect(multipart).toContain('"parameter":"0.00001"');
    expect(multipart).toContain('"lower":null');
    const [patch] = requestsTo(setup.fake, `/tables/${table}`, 'PATCH');
    expect(patch!.body).toEqual({
      labels: { schema_version: '4', last_updated: String(NOW / 1000) },
      description: SLUG,
    });
    const [back] = await setup.warehouse.readStatistics(table);
    expect(back).toEqual({ ...row, parameter: '0.00001', lower: null });
  });

  it('streams logs with insertIds, creating dataset and table with jetstream’s columns', async () => {
    setup.fake.reset();
    const log = {
      timestamp: '2024-01-10T10:00:00.123Z',
      source: 'contrail',
      experiment: SLUG,
      metric: null,
      statistic: null,
      analysis_basis: null,
      segment: null,
      analysis_period: null,
      message: 'boom',
      log_level: 'ERROR',
      exception: null,
      filename: null,
      func_name: null,
      exception_type: 'WarehouseError',
    };
    await setup.warehouse.appendLogs([log, { ...log, message: 'again' }]);
    const inserts = requestsTo(setup.fake, '/tables/logs/insertAll', 'POST');
    expect(inserts).toHaveLength(2); // 404, then again after creating the table
    const ids = (request: RecordedRequest | undefined) =>
      bodyOf<InsertAllBody>(request).rows.map((r) => r.insertId);
    expect(new Set(ids(inserts[1])).size).toBe(2);
    expect(ids(inserts[1])).toEqual(ids(inserts[0]));
    const [create] = requestsTo(setup.fake, '/datasets/monitoring/tables', 'POST');
    const fields = bodyOf<TableInsertBody>(create).schema.fields;
    expect(fields.map((f) => f.name)).toEqual([
      'timestamp',
      'source',
      'experiment',
      'metric',
      'statistic',
      'analysis_basis',
      'segment',
      'analysis_period',
      'message',
      'log_level',
      'exception',
      'filename',
      'func_name',
      'exception_type',
    ]);
    expect(fields[0]).toMatchObject({ name: 'timestamp', type: 'TIMESTAMP' });
    expect(requestsTo(setup.fake, '/datasets', 'POST')).toHaveLength(1);
    expect(await setup.warehouse.readLogs({ experiment: SLUG })).toEqual([
      log,
      { ...log, message: 'again' },
    ]);
  });

  it('dry-runs with configuration.dryRun and creates no job', async () => {
    setup.fake.reset();
    const result = await setup.warehouse.dryRun('SELECT 1 AS one');
    expect(result).toEqual({ ok: true, bytesProcessed: 0 }); // reads no table
    const [insert] = requestsTo(setup.fake, JOBS_INSERT, 'POST');
    expect(bodyOf<JobInsertBody>(insert).configuration.dryRun).toBe(true);
    expect(requestsTo(setup.fake, /\/queries\//)).toHaveLength(0);
  });
});
