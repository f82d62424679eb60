import { mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { metricHubConfigLookup } from '../../../../src/board/results/results-deps.js';
import { createResultsRouter } from '../../../../src/board/results/results-router.js';
import { startBoard, type RunningBoard } from '../../../../src/board/start-board.js';
import { loadMetricHub } from '../../../../src/config/metric-hub.js';
import { createFileExperimentSource } from '../../../../src/experiments/api/file-experiment-source.js';
import { readMetricHubFolder } from '../../../../src/runtime/metric-hub-files.js';
import { createDuckDbWarehouse } from '../../../../src/warehouse/duckdb/duckdb-warehouse.js';
import {
  RESULTS_DATASET,
  tableFilePath,
} from '../../../../src/warehouse/duckdb/warehouse-layout.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { deleteKeys, TEST_REDIS_URL } from '../../../helpers/pipeline.js';
import { comparedRows, identityRows } from '../../../unit/board/results/statistics-rows.js';

/**
 * Issue #13 case 6 (the board's part): one corrupt Parquet file of one experiment, truncated as
 * in the issue, on a real board over a real DuckDB warehouse. The list page and the other
 * experiment's page keep working, the broken experiment's page says which table could not be
 * read and shows the rest, and no answer holds a server path or a stack trace.
 */

const METRIC_HUB = path.resolve(import.meta.dirname, '../../../../../shared/fixtures/metric-hub');
const BRANCHES = ['control', 'treatment'];
const experiment = (slug: string) => ({
  slug,
  appName: 'firefox_desktop',
  branches: BRANCHES.map((b) => ({ slug: b, ratio: 1 })),
  referenceBranch: 'control',
  startDate: '2026-02-01',
  enrollmentEndDate: '2026-02-07',
  bucketConfig: { randomizationUnit: 'normandy_id' },
});
const BROKEN = 'broken-exp';
const HEALTHY = 'healthy-exp';
const BROKEN_TABLE = 'statistics_broken_exp_week_3';
const prefix = `test-isolation-${Date.now()}`;

let dir: string;
let warehouse: Warehouse;
let board: RunningBoard;

const weekRows = (effect: number) => [
  ...identityRows({ control: 100, treatment: 104 }),
  ...comparedRows('active_hours', BRANCHES, { effect }),
];

async function get(pathname: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${board.url}${pathname}`);
  return { status: response.status, body: await response.text() };
}

/** What no answer may contain: the warehouse folder, a temp or work path, a stack frame. */
function expectNoServerDetails(body: string): void {
  expect(body).not.toContain(dir);
  expect(body).not.toContain(tmpdir());
  expect(body).not.toMatch(/\/(tmp|work|home|root|app)\//);
  expect(body).not.toMatch(/\.parquet/);
  expect(body).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

function rowOf(body: string, slug: string): string {
  const match = new RegExp(`<tr data-slug="${slug}">([\\s\\S]*?)</tr>`).exec(body);
  expect(match, `row of ${slug}`).not.toBeNull();
  return match![1]!;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'contrail-results-isolation-'));
  const warehouseDir = path.join(dir, 'warehouse');
  warehouse = await createDuckDbWarehouse({ dir: warehouseDir });
  for (const [slug, weeks] of [
    [BROKEN, [1, 2, 3]],
    [HEALTHY, [1, 2]],
  ] as const) {
    for (const week of weeks) {
      await warehouse.replaceStatistics(
        `statistics_${slug.replaceAll('-', '_')}_week_${week}`,
        weekRows(0.01 * week),
        { labels: { schema_version: '4' }, description: slug },
      );
    }
  }
  // The issue truncates a statistics file to 3,000 bytes; these files are smaller, so keep
  // the first half: the footer (and its magic bytes) is gone either way.
  const file = tableFilePath(warehouseDir, RESULTS_DATASET, BROKEN_TABLE);
  truncateSync(file, Math.min(3_000, Math.floor(statSync(file).size / 2)));
  const experimentsFile = path.join(dir, 'experiments.json');
  writeFileSync(experimentsFile, JSON.stringify([experiment(BROKEN), experiment(HEALTHY)]));
  const router = createResultsRouter({
    warehouse,
    experiments: createFileExperimentSource(experimentsFile),
    analysisConfig: metricHubConfigLookup(loadMetricHub(await readMetricHubFolder(METRIC_HUB))),
    now: () => new Date('2026-03-02T06:00:00Z'),
    boardBasePath: '/admin/queues',
    queuePrefix: prefix,
  });
  board = await startBoard({
    redisUrl: TEST_REDIS_URL,
    prefix,
    auth: { token: null, basic: null },
    insecureLocal: true,
    host: '127.0.0.1',
    port: 0,
    routers: [router],
    logger: pino({ level: 'silent' }),
  });
});

afterAll(async () => {
  await board?.close();
  await warehouse?.close();
  await deleteKeys(prefix);
  rmSync(dir, { recursive: true, force: true });
});

describe('one corrupt statistics table', () => {
  it('leaves the list page working, with an error marker on its own experiment only', async () => {
    const { status, body } = await get('/experiments');
    expect(status).toBe(200);
    const broken = rowOf(body, BROKEN);
    expect(broken).toContain(`results table ${BROKEN_TABLE} could not be read`);
    expect(broken).toMatch(/<b>week<\/b>\s*done 1\u20132/);
    const healthy = rowOf(body, HEALTHY);
    expect(healthy).not.toContain('could not be read');
    expect(healthy).toMatch(/<b>week<\/b>\s*done 1\u20132/);
    expectNoServerDetails(body);
  });

  it("leaves another experiment's page as it was", async () => {
    const { status, body } = await get(`/experiments/${HEALTHY}`);
    expect(status).toBe(200);
    expect(body).toContain('data-table="statistics_healthy_exp_week_2"');
    expect(body).toContain('data-metric="active_hours"');
    expect(body).not.toContain('results table');
    expect(body).not.toContain(BROKEN_TABLE);
    expectNoServerDetails(body);
  });

  it('still reads the logs table: a corrupt file affects only the queries of its own table', async () => {
    // The embedded warehouse skips a table whose file cannot be read when it refreshes its
    // views, so the logs (and every other table) stay readable.
    const { status, body } = await get(`/experiments/${HEALTHY}`);
    expect(status).toBe(200);
    expect(body).not.toContain('The logs table could not be read');
    const list = await get('/experiments');
    expect(rowOf(list.body, HEALTHY)).not.toMatch(/data-errors=""/);
  });

  it("shows the rest of its own experiment's page and names the table", async () => {
    const { status, body } = await get(`/experiments/${BROKEN}`);
    expect(status).toBe(200);
    expect(body).toContain(`results table ${BROKEN_TABLE} could not be read`);
    // The newest readable window is shown instead.
    expect(body).toContain('data-table="statistics_broken_exp_week_2"');
    expect(body).toContain('data-metric="active_hours"');
    expectNoServerDetails(body);
  });

  it('answers 500 with the message and the rest of the page when that window is asked for', async () => {
    const { status, body } = await get(`/experiments/${BROKEN}?window=week_3`);
    expect(status).toBe(500);
    expect(body).toContain(`results table ${BROKEN_TABLE} could not be read`);
    expect(body).toContain('href="/experiments"');
    expect(body).toMatch(/<b>week<\/b>\s*done 1\u20132/);
    expectNoServerDetails(body);
  });

  it('keeps every other answer free of server paths', async () => {
    for (const pathname of [
      `/experiments/${BROKEN}?window=week_9`,
      '/experiments/no-such-experiment',
      '/experiments/bad%20slug',
      `/experiments/${HEALTHY}?window=week_1&segment=nope`,
      '/nowhere',
    ]) {
      const { status, body } = await get(pathname);
      expect([pathname, status < 500]).toEqual([pathname, true]);
      expectNoServerDetails(body);
    }
  });
});
