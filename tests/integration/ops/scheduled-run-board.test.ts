import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { Queue } from 'bullmq';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { daysBetween, formatIsoDate } from '../../../src/analysis/iso-date.js';
import type { DailyRunResult } from '../../../src/producer/daily-run.js';
import type { RunStatus } from '../../../src/producer/run-status.js';
import {
  createSandbox,
  ROOT,
  runContrail,
  seedSmallWarehouse,
  startContrail,
  startWorkerProcess,
  TEST_REDIS_URL,
  type BackgroundProcess,
  type Sandbox,
} from '../../helpers/pipeline.js';
import { launchChromium } from '../../helpers/headless-chromium.js';

/**
 * The whole operating path with real processes (compiled CLI): the job scheduler fires the daily
 * run on a worker started with `--scheduler`, the run completes, `contrail status` follows it,
 * and the board (started before the run) shows it to headless Chromium behind basic auth,
 * refuses writes in read-only mode and exposes the run in `/metrics`.
 */

const DEMO_DATE = '2026-03-01';
const USER = 'ops';
const PASSWORD = 'correct-horse-battery';
const TOKEN = 'e2e-metrics-token-0123456789';
const ARTIFACTS = path.join(ROOT, 'artifacts');

let sandbox: Sandbox;
let board: BackgroundProcess;
let worker: BackgroundProcess;
let boardUrl = '';
let orchestrator: Queue;
let status: RunStatus;

async function poll<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

async function readStatus(): Promise<RunStatus> {
  const result = await runContrail(['status', '--date', DEMO_DATE, '--json'], sandbox.env);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as RunStatus;
}

function metricValue(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

beforeAll(async () => {
  sandbox = createSandbox('ops-e2e', {
    CONTRAIL_BOARD_USER: USER,
    CONTRAIL_BOARD_PASSWORD: PASSWORD,
    CONTRAIL_BOARD_TOKEN: TOKEN,
  });
  await seedSmallWarehouse(sandbox, 1500);
  board = startContrail(['board', '--port', '0'], sandbox.env);
  await poll(
    () => Promise.resolve(board.output()),
    (o) => o.includes('board listening on'),
    30_000,
  );
  const match = /board listening on (http:\/\/\S+)\/admin\/queues/.exec(board.output());
  if (match?.[1] === undefined) throw new Error(`board did not start:\n${board.output()}`);
  boardUrl = match[1];
  worker = startWorkerProcess(sandbox, ['--scheduler']);
  orchestrator = new Queue('orchestrator', {
    connection: { url: TEST_REDIS_URL },
    prefix: sandbox.prefix,
  });
});

afterAll(async () => {
  await runContrail(['schedule', '--remove'], sandbox.env);
  await orchestrator?.close();
  await worker?.stop();
  await board?.stop();
  await sandbox?.cleanup();
});

describe('scheduled daily run', () => {
  it('fires on the scheduler worker and plans the slot day minus the lag', async () => {
    const lag = daysBetween(DEMO_DATE, formatIsoDate(Date.now()));
    const every2s = await runContrail(
      ['schedule', '--cron', '*/2 * * * * *', '--lag-days', String(lag)],
      sandbox.env,
    );
    expect(every2s.code, every2s.stderr).toBe(0);
    const completed = await poll(
      () => orchestrator.getCompleted(),
      (jobs) => jobs.length > 0,
      60_000,
    );
    // Back to a daily pattern (updated in place) so no further slots fire during the test.
    const daily = await runContrail(
      ['schedule', '--cron', '0 3 * * *', '--lag-days', String(lag)],
      sandbox.env,
    );
    expect(daily.code).toBe(0);
    expect(completed.length).toBeGreaterThan(0);
    const results = completed.map((job) => job.returnvalue as DailyRunResult);
    expect(results.map((r) => r.date)).toEqual(results.map(() => DEMO_DATE));
    const first = results.reduce((a, b) => (a.slot < b.slot ? a : b));
    expect(first.windows.enqueued).toBeGreaterThan(0);
    expect(first.problems).toEqual([]);
    expect(completed.every((job) => job.id?.startsWith('repeat:contrail-daily-run:'))).toBe(true);
  });

  it('runs to completion, as contrail status reports', async () => {
    status = await poll(
      readStatus,
      (s) =>
        s.windows.done > 0 && s.windows.done === s.experiments.flatMap((e) => e.windows).length,
      150_000,
    );
    const windows = status.experiments.flatMap((e) => e.windows);
    expect(windows.length).toBeGreaterThan(5);
    expect(status.windows).toEqual({
      queued: 0,
      running: 0,
      done: windows.length,
      failed: 0,
      'not-enqueued': 0,
    });
    expect(status.experiments.map((e) => e.export.state)).toEqual(
      status.experiments.map(() => 'done'),
    );
    expect(windows.every((w) => w.metrics.failed === 0 && w.metrics.done > 0)).toBe(true);
    expect(status.skipped).toContainEqual(
      expect.objectContaining({ experiment: 'pinned-tab-rollout', reason: 'rollout' }),
    );
    const text = await runContrail(['status', '--date', DEMO_DATE], sandbox.env);
    expect(text.stdout.split('\n')[0]).toBe(
      `${DEMO_DATE}: ${status.experiments.length} experiments, windows: ${windows.length} done`,
    );
    expect(text.stdout).toMatch(/^skipped pinned-tab-rollout: rollout$/m);
  }, 240_000);
});

describe('board after the run', () => {
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
    context = await browser.newContext({
      httpCredentials: { username: USER, password: PASSWORD },
      viewport: { width: 1400, height: 900 },
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('answers 401 without credentials', async () => {
    for (const route of ['/admin/queues', '/admin/queues/api/queues', '/metrics', '/']) {
      const response = await fetch(`${boardUrl}${route}`, { redirect: 'manual' });
      expect([route, response.status]).toEqual([route, 401]);
    }
    const wrong = await fetch(`${boardUrl}/admin/queues`, {
      headers: { authorization: `Basic ${Buffer.from(`${USER}:nope`).toString('base64')}` },
    });
    expect(wrong.status).toBe(401);
  });

  it('logs in and shows every contrail queue', async () => {
    const page = await context.newPage();
    const response = await page.goto(`${boardUrl}/admin/queues`);
    expect(response?.status()).toBe(200);
    const menu = page.locator('nav, aside').first();
    for (const name of ['orchestrator', 'enrollments', 'metric', 'finalize', 'export']) {
      await expect.poll(() => page.getByText(name, { exact: true }).count()).toBeGreaterThan(0);
    }
    await expect.poll(() => menu.innerText()).toContain('finalize');
    await page.screenshot({ path: path.join(ARTIFACTS, 'board-overview.png') });
    await page.close();
  });

  it('shows a completed flow: the export job with its finalize and metric children', async () => {
    const experiment = status.experiments[0]!;
    const page = await context.newPage();
    await page.goto(
      `${boardUrl}/admin/queues/queue/export/export.${experiment.experiment}.${DEMO_DATE}`,
    );
    await expect.poll(() => page.getByText('Job flow').count(), { timeout: 15_000 }).toBe(1);
    const body = () => page.locator('body').innerText();
    await expect.poll(body).toContain(`export.${experiment.experiment}.${DEMO_DATE}`);
    await expect.poll(body).toContain(`${experiment.windows.length} done`);
    await expect.poll(body).toMatch(/COMPLETED/);
    const finalizeNodes = page.getByText('finalize', { exact: true });
    await expect
      .poll(() => finalizeNodes.count())
      .toBeGreaterThanOrEqual(experiment.windows.length);
    await page.screenshot({ path: path.join(ARTIFACTS, 'board-flow.png'), fullPage: true });
    await page.close();
  });

  it('shows the daily run on the schedulers page', async () => {
    const page = await context.newPage();
    await page.goto(`${boardUrl}/admin/queues/job-schedulers`);
    const body = () => page.locator('body').innerText();
    await expect.poll(body, { timeout: 15_000 }).toContain('contrail-daily-run');
    await expect.poll(body).toContain('0 3 * * *');
    await page.screenshot({ path: path.join(ARTIFACTS, 'board-schedulers.png') });
    await page.close();
  });

  it('refuses a write action from the logged-in browser with 405 (read-only)', async () => {
    const page = await context.newPage();
    await page.goto(`${boardUrl}/admin/queues`);
    const statuses = await page.evaluate(async () => {
      const put = (url: string) => fetch(url, { method: 'PUT' }).then((r) => r.status);
      return [
        await put('/admin/queues/api/queues/metric/retry/failed'),
        await put('/admin/queues/api/queues/export/clean/completed'),
        await put('/admin/queues/api/queues/orchestrator/job-schedulers/contrail-daily-run/remove'),
      ];
    });
    expect(statuses).toEqual([405, 405, 405]);
    expect((await orchestrator.getJobSchedulers()).map((s) => s.key)).toEqual([
      'contrail-daily-run',
    ]);
    await page.close();
  });

  it('exposes the run in /metrics: counts, durations and the scheduler job', async () => {
    const metricJobs = status.experiments
      .flatMap((e) => e.windows)
      .reduce((n, w) => n + w.metrics.done, 0);
    const read = async () => {
      const response = await fetch(`${boardUrl}/metrics`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(response.status).toBe(200);
      return response.text();
    };
    const durations = 'contrail_job_duration_seconds_count{queue="metric",outcome="completed"}';
    // The metric queue ran the windows' metrics-table jobs too, one per window and basis.
    const completed = 'contrail_queue_jobs{queue="metric",state="completed"}';
    const text = await poll(
      read,
      (t) =>
        (metricValue(t, durations) ?? 0) > metricJobs &&
        metricValue(t, durations) === metricValue(t, completed),
      15_000,
    );
    expect(metricValue(text, completed)).toBeGreaterThan(metricJobs);
    expect(metricValue(text, durations)).toBe(metricValue(text, completed));
    expect(metricValue(text, 'contrail_queue_jobs{queue="metric",state="failed"}')).toBe(0);
    expect(
      metricValue(
        text,
        'contrail_job_duration_seconds_count{queue="orchestrator",outcome="completed"}',
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(metricValue(text, 'contrail_queue_jobs{queue="orchestrator",state="delayed"}')).toBe(1);
    expect(metricValue(text, 'contrail_redis_up')).toBe(1);
  });
});
