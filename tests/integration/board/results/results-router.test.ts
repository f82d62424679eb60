import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createResultsRouter } from '../../../../src/board/results/results-router.js';
import { metricHubConfigLookup } from '../../../../src/board/results/results-deps.js';
import { loadMetricHub } from '../../../../src/config/metric-hub.js';
import { createFileExperimentSource } from '../../../../src/experiments/api/file-experiment-source.js';
import { readMetricHubFolder } from '../../../../src/runtime/metric-hub-files.js';
import { createDuckDbWarehouse } from '../../../../src/warehouse/duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { comparedRows, identityRows } from '../../../unit/board/results/statistics-rows.js';

const METRIC_HUB = path.resolve(import.meta.dirname, '../../../../../shared/fixtures/metric-hub');
const EVIL_BRANCH = '<img src=x onerror=alert(1)>';
const BRANCHES = ['control', 'treatment', EVIL_BRANCH];
const EVIL_MESSAGE = '<script>alert("pwned")</script> metric failed';

const EXPERIMENTS = [
  {
    slug: 'demo-exp',
    appName: 'firefox_desktop',
    branches: BRANCHES.map((slug) => ({ slug, ratio: 1 })),
    referenceBranch: 'control',
    startDate: '2026-02-01',
    enrollmentEndDate: '2026-02-07',
    bucketConfig: { randomizationUnit: 'normandy_id' },
  },
  {
    slug: 'fresh-exp',
    appName: 'firefox_desktop',
    branches: [
      { slug: 'control', ratio: 1 },
      { slug: 'treatment', ratio: 1 },
    ],
    referenceBranch: 'control',
    startDate: '2026-02-27',
    bucketConfig: { randomizationUnit: 'normandy_id' },
  },
];

/** Pages of a router mounted on a bare express app on loopback (the board mounts it the same way). */
async function serve(app: express.Express): Promise<{ server: Server; base: string }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    });
  });
}

async function get(url: string): Promise<{ status: number; body: string; headers: Headers }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.text(), headers: response.headers };
}

/** The HTML of each `<section class="metric" data-metric=...>` by metric. */
function metricSections(body: string): Map<string, string> {
  const sections = new Map<string, string>();
  for (const m of body.matchAll(
    /<section\s+class="metric"[^>]*data-metric="([^"]+)"[\s\S]*?<\/section>/g,
  )) {
    sections.set(m[1]!, m[0]);
  }
  return sections;
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

describe('results router on a real DuckDB warehouse', () => {
  let dir: string;
  let warehouse: Warehouse;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'contrail-results-router-'));
    warehouse = await createDuckDbWarehouse({ dir: path.join(dir, 'warehouse') });
    const meta = { labels: { schema_version: '4' }, description: 'demo-exp' };
    const week2 = [
      ...identityRows({ control: 100, treatment: 104, [EVIL_BRANCH]: 160 }),
      ...identityRows({ control: 60, treatment: 58, [EVIL_BRANCH]: 90 }, 'all', 'exposures'),
      ...comparedRows('active_hours', BRANCHES),
      ...comparedRows('active_hours', BRANCHES, { statistic: 'deciles', parameter: '0.5' }),
      ...comparedRows('unenroll', BRANCHES, { statistic: 'binomial', effect: 0.2 }),
      ...comparedRows('active_hours', BRANCHES, { segment: 'regular_users_v3', effect: -0.01 }),
    ];
    await warehouse.replaceStatistics('statistics_demo_exp_week_2', week2, meta);
    await warehouse.replaceStatistics(
      'statistics_demo_exp_week_1',
      [...identityRows({ control: 100, treatment: 104, [EVIL_BRANCH]: 99 })],
      meta,
    );
    await warehouse.replaceStatistics(
      'statistics_orphan_exp_week_1',
      [...identityRows({ a: 1, b: 1 }), ...comparedRows('active_hours', ['a', 'b'])],
      { labels: {}, description: 'orphan-exp' },
    );
    await warehouse.appendLogs([
      {
        timestamp: '2026-03-01T03:00:00.000Z',
        source: 'contrail',
        experiment: 'demo-exp',
        metric: 'uri_count',
        statistic: 'bootstrap_mean',
        analysis_basis: 'enrollments',
        segment: 'all',
        analysis_period: 'week',
        message: EVIL_MESSAGE,
        log_level: 'ERROR',
        exception: 'Traceback <b>bold</b>',
        filename: null,
        func_name: null,
        exception_type: 'StatisticError',
      },
    ]);
    const experimentsFile = path.join(dir, 'experiments.json');
    writeFileSync(experimentsFile, JSON.stringify(EXPERIMENTS));
    const hub = loadMetricHub(await readMetricHubFolder(METRIC_HUB));
    const router = createResultsRouter({
      warehouse,
      experiments: createFileExperimentSource(experimentsFile),
      analysisConfig: metricHubConfigLookup(hub),
      now: () => new Date('2026-03-02T06:00:00Z'),
      boardBasePath: '/admin/queues',
      queuePrefix: 'test-prefix',
    });
    const app = express();
    app.use(router);
    app.use('/results', router);
    ({ server, base } = await serve(app));
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await warehouse?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists every experiment: the source’s and those only in the warehouse', async () => {
    const { status, body, headers } = await get(`${base}/experiments`);
    expect(status).toBe(200);
    expect(headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(body).not.toMatch(/<script/i);
    const rows = [...body.matchAll(/<tr data-slug="([^"]+)">([\s\S]*?)<\/tr>/g)];
    expect(rows.map((r) => r[1])).toEqual(['demo-exp', 'fresh-exp', 'orphan-exp']);
    const demo = rows[0]![2]!;
    expect(demo).toContain('href="/experiments/demo-exp"');
    expect(demo).toMatch(/data-errors="1"/);
    // E = 02-08: week 3 was due on 02-28 (E − 1 + 3·7) and is missing; day 22 is due on 03-01
    expect(demo).toMatch(/<b>week<\/b>\s*done 1\u20132 · <span class="missed">missed 3<\/span>/);
    expect(demo).toMatch(/<b>day<\/b>\s*<span class="due">due 22<\/span>/);
    expect(demo).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(rows[1]![2]).toContain('never');
    expect(rows[2]![2]).toContain('does not list this experiment');
  });

  it('draws one interval per branch comparison and metric against the reference', async () => {
    const { status, body } = await get(`${base}/experiments/demo-exp`);
    expect(status).toBe(200);
    const sections = metricSections(body);
    expect([...sections.keys()].sort()).toEqual(['active_hours', 'unenroll']);
    for (const [metric, html] of sections) {
      // two non-reference branches × (mean | binomial, plus active_hours' median decile)
      const statistics = metric === 'active_hours' ? 2 : 1;
      expect(count(html, /data-comparison="relative_uplift"/g)).toBe(2 * statistics);
      expect(count(html, /data-comparison="difference"/g)).toBe(2 * statistics);
      expect(html).not.toMatch(/data-branch="control"/); // the reference is not compared with itself
    }
    const active = sections.get('active_hours')!;
    expect(active).toContain('Measures the amount of time'); // metric-hub description
    expect(active).toContain('Bigger is better.');
    expect(active).toMatch(/class="interval sig-better"\s+data-significance="increase"/);
    const unenroll = sections.get('unenroll')!;
    expect(unenroll).toContain('Smaller is better.');
    expect(unenroll).toMatch(/class="interval sig-worse"\s+data-significance="increase"/);
    expect(unenroll).toContain('significant increase (worse)');
  });

  it('shows client counts, the sample ratio mismatch, escaped errors and Bull Board links', async () => {
    const { body } = await get(`${base}/experiments/demo-exp`);
    expect(body).toMatch(/data-branch="control">100</);
    expect(body).toContain('data-srm="mismatch"');
    expect(body).toMatch(/week 2: control 100 \(expected 121\.3\)/);
    const week1 = await get(`${base}/experiments/demo-exp?window=week_1`);
    expect(week1.body).toMatch(/<tr\s+data-window="week_1"\s+data-srm="ok"/);
    expect(week1.body).toMatch(/<tr\s+data-window="week_2"\s+data-srm="mismatch"/);
    expect(body).not.toMatch(/<script|<img|<b>bold/i);
    expect(body).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; metric failed');
    expect(body).toContain(
      'href="/admin/queues/queue/finalize/finalize.demo-exp.2026-02-21.week.2"',
    );
    expect(body).toContain('<code>test-prefix</code>');
  });

  it('switches reference, segment and basis by GET parameters', async () => {
    const against = await get(`${base}/experiments/demo-exp?reference=treatment`);
    const section = metricSections(against.body).get('active_hours')!;
    expect(section).toMatch(/data-branch="control"/);
    expect(section).not.toMatch(/data-branch="treatment"/);
    const segment = await get(`${base}/experiments/demo-exp?segment=regular_users_v3`);
    expect([...metricSections(segment.body).keys()]).toEqual(['active_hours']);
    expect(segment.body).toMatch(/aria-current="page"[^>]*>regular_users_v3</);
    const week1 = await get(`${base}/experiments/demo-exp?window=week_1&basis=enrollments`);
    expect(week1.status).toBe(200);
    expect(week1.body).toContain('No metric results in this slice.');
    const exposures = await get(`${base}/experiments/demo-exp?basis=exposures`);
    expect(exposures.body).toMatch(/data-branch="control">60</);
  });

  it('answers bad input with a clear, escaped message', async () => {
    const segment = await get(`${base}/experiments/demo-exp?segment=%3Cb%3Ex`);
    expect(segment.status).toBe(400);
    expect(segment.body).toContain(
      'unknown segment &quot;&lt;b&gt;x&quot;: expected one of all, regular_users_v3',
    );
    const twice = await get(`${base}/experiments/demo-exp?basis=a&basis=b`);
    expect(twice.status).toBe(400);
    expect(twice.body).toContain('GET parameter basis must be given once');
    const slug = await get(`${base}/experiments/bad%20slug`);
    expect(slug.status).toBe(400);
    expect(slug.body).toContain('not an experiment slug: &quot;bad slug&quot;');
    const unknown = await get(`${base}/experiments/no-such-exp`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain('no experiment &quot;no-such-exp&quot;');
  });

  it('links relative to where it is mounted', async () => {
    const { status, body } = await get(`${base}/results/experiments`);
    expect(status).toBe(200);
    expect(body).toContain('href="/results/experiments/demo-exp"');
    const page = await get(`${base}/results/experiments/demo-exp`);
    expect(page.body).toContain(
      'href="/results/experiments/demo-exp?window=week_1&amp;segment=all',
    );
  });
});
