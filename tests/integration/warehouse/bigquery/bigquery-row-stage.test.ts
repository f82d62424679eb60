import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatisticRow } from '../../../../src/stats/statistic-row.js';
import { createBigQueryRowStage } from '../../../../src/warehouse/staging/bigquery-row-stage.js';
import type { RowStage } from '../../../../src/warehouse/staging/row-stage.js';
import {
  bodyOf,
  fakeWarehouseOptions,
  type InsertAllBody,
  type TableInsertBody,
  requestsTo,
  startFakeWarehouse,
  type FakeWarehouseSetup,
} from './bigquery-test-subject.js';

process.env.METADATA_SERVER_DETECTION = 'none';

function statisticRow(point: number, branch = 'control'): StatisticRow {
  return {
    metric: 'active_hours',
    statistic: 'mean',
    parameter: null,
    branch,
    comparison: null,
    comparison_to_branch: null,
    ci_width: 0.95,
    point,
    lower: point - 1e-300,
    upper: point + 0.1,
    segment: 'all',
    analysis_basis: 'enrollments',
  };
}

describe('BigQuery row stage', () => {
  let setup: FakeWarehouseSetup;
  let stage: RowStage;
  let clock = 1_700_000_000_000;

  beforeAll(async () => {
    setup = await startFakeWarehouse();
    stage = createBigQueryRowStage({
      ...fakeWarehouseOptions(setup.fake.url, 'results'),
      now: () => (clock += 1),
      chunkChars: 600,
    });
  });
  afterAll(() => setup?.stop());

  it('reads nothing before the stage table exists, then creates it partitioned and clustered', async () => {
    expect(await stage.read('finalize-1')).toEqual(new Map());
    await stage.write('finalize-1', 'metric-a', [statisticRow(0.1 + 0.2)]);
    const [create] = requestsTo(setup.fake, '/datasets/results/tables', 'POST');
    const body = bodyOf<TableInsertBody>(create);
    expect(body.timePartitioning).toEqual({ type: 'DAY', expirationMs: String(7 * 86_400_000) });
    expect(body.clustering).toEqual({ fields: ['group_id'] });
    expect(await stage.read('finalize-1')).toEqual(
      new Map([['metric-a', [statisticRow(0.1 + 0.2)]]]),
    );
  });

  it('splits large writes into chunks and reads every double back exactly', async () => {
    const rows = Array.from({ length: 12 }, (_, i) =>
      statisticRow(Math.PI * 10 ** (i - 6), `b${i}`),
    );
    setup.fake.reset();
    await stage.write('finalize-1', 'metric-b', rows);
    const [insert] = requestsTo(setup.fake, '/tables/contrail_row_stage/insertAll');
    const parts = bodyOf<InsertAllBody>(insert).rows;
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.every((p) => p.json.parts === parts.length)).toBe(true);
    expect((await stage.read('finalize-1')).get('metric-b')).toEqual(rows);
  });

  it('replaces a key on re-write and keeps groups apart', async () => {
    await stage.write('finalize-1', 'metric-a', [statisticRow(2), statisticRow(3)]);
    await stage.write('finalize-2', 'metric-a', [statisticRow(9)]);
    const first = await stage.read('finalize-1');
    expect([...first.keys()]).toEqual(['metric-a', 'metric-b']);
    expect(first.get('metric-a')).toEqual([statisticRow(2), statisticRow(3)]);
    expect((await stage.read('finalize-2')).get('metric-a')).toEqual([statisticRow(9)]);
  });

  it('drops a group with a marker; later writes to it are visible again', async () => {
    await stage.drop('finalize-1');
    expect(await stage.read('finalize-1')).toEqual(new Map());
    expect((await stage.read('finalize-2')).size).toBe(1);
    await stage.write('finalize-1', 'metric-c', []);
    expect(await stage.read('finalize-1')).toEqual(new Map([['metric-c', []]]));
  });

  it('shares the stage table with a warehouse without listing it as a result table', async () => {
    const names = (await setup.warehouse.listTables()).map((t) => t.name);
    expect(names).not.toContain('contrail_row_stage');
    expect(await setup.warehouse.tableInfo('contrail_row_stage')).not.toBeNull();
  });
});
