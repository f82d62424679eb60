import { randomUUID } from 'node:crypto';

import { UnrecoverableError, Worker } from 'bullmq';
import { Router } from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startBoard, type RunningBoard } from '../../../src/board/start-board.js';
import { upsertDailyRunScheduler } from '../../../src/producer/daily-run-scheduler.js';
import { QUEUE_NAMES } from '../../../src/queue/queue-names.js';
import { deleteKeys, TEST_REDIS_URL } from '../../helpers/pipeline.js';

/**
 * The board in-process against the real Redis: authentication on every route, Bull Board over
 * every queue in read-only and writable mode, extra routers, and the Prometheus metrics fed by
 * a real BullMQ worker finishing jobs.
 */

const TOKEN = 'board-test-token-0123';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const logger = pino({ level: 'silent' });
const prefix = `test-board-${randomUUID().slice(0, 8)}`;

let board: RunningBoard;
let writable: RunningBoard;

function metricValue(text: string, name: string, labels: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`) || l === name);
  if (line === undefined) return null;
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function scrape(): Promise<string> {
  const response = await fetch(`${board.url}/metrics`, { headers: AUTH });
  expect(response.status).toBe(200);
  return response.text();
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  const results = Router();
  results.get('/experiments', (_request, response) => {
    response.send('results pages');
  });
  board = await startBoard({
    redisUrl: TEST_REDIS_URL,
    prefix,
    auth: { token: TOKEN, basic: { user: 'ops', password: 'correct horse battery' } },
    host: '127.0.0.1',
    port: 0,
    routers: [results],
    logger,
  });
  writable = await startBoard({
    redisUrl: TEST_REDIS_URL,
    prefix,
    auth: { token: TOKEN, basic: null },
    readOnly: false,
    host: '127.0.0.1',
    port: 0,
    logger,
  });
  const queues = board.queues.queues;
  await queues.metric.add('metric', { n: 1 }, { jobId: 'metric.ok' });
  await queues.metric.add('metric', { n: 2 }, { jobId: 'metric.bad' });
  const worker = new Worker(
    'metric',
    async (job) => {
      await new Promise((resolve) => setTimeout(resolve, 120));
      if (job.id === 'metric.bad') throw new UnrecoverableError('bad metric');
      return { rows: 1 };
    },
    { connection: { url: TEST_REDIS_URL }, prefix, concurrency: 2 },
  );
  await until(
    () => queues.metric.getJobCounts('completed', 'failed'),
    (c) => c['completed'] === 1 && c['failed'] === 1,
  );
  await worker.close();
});

afterAll(async () => {
  await board?.close();
  await writable?.close();
  await deleteKeys(prefix);
});

describe('board authentication', () => {
  it('answers 401 on every route without credentials, including extra routers', async () => {
    for (const path of [
      '/admin/queues',
      '/admin/queues/api/queues',
      '/metrics',
      '/experiments',
      '/',
      '/nowhere',
    ]) {
      const response = await fetch(`${board.url}${path}`, { redirect: 'manual' });
      expect([path, response.status]).toEqual([path, 401]);
    }
  });

  it('serves Bull Board, the extra routers and a redirect from / with credentials', async () => {
    const page = await fetch(`${board.boardUrl}/`, { headers: AUTH });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>contrail</title>');
    const extra = await fetch(`${board.url}/experiments`, { headers: AUTH });
    expect([extra.status, await extra.text()]).toEqual([200, 'results pages']);
    const root = await fetch(`${board.url}/`, { headers: AUTH, redirect: 'manual' });
    expect([root.status, root.headers.get('location')]).toEqual([302, '/admin/queues']);
    const basic = Buffer.from('ops:correct horse battery').toString('base64');
    const viaBasic = await fetch(`${board.url}/metrics`, {
      headers: { authorization: `Basic ${basic}` },
    });
    expect(viaBasic.status).toBe(200);
  });
});

describe('Bull Board API', () => {
  it('lists every contrail queue, read-only by default', async () => {
    const response = await fetch(`${board.boardUrl}/api/queues`, { headers: AUTH });
    const body = (await response.json()) as {
      queues: { name: string; readOnlyMode: boolean; counts: Record<string, number> }[];
    };
    expect(body.queues.map((q) => q.name).sort()).toEqual([...QUEUE_NAMES].sort());
    expect(body.queues.every((q) => q.readOnlyMode)).toBe(true);
    const metric = body.queues.find((q) => q.name === 'metric');
    expect(metric?.counts).toMatchObject({ completed: 1, failed: 1 });
  });

  it('refuses write actions with 405 in read-only mode', async () => {
    for (const path of [
      '/api/queues/metric/retry/failed',
      '/api/queues/metric/metric.bad/retry',
      '/api/queues/metric/clean/completed',
      '/api/queues/metric/pause',
      '/api/queues/metric/metric.ok/clean',
      '/api/queues/metric/empty',
      '/api/queues/orchestrator/job-schedulers/contrail-daily-run/run',
      // Bull Board answers these two 200 (doing nothing) in read-only mode; contrail refuses them.
      '/api/queues/pause',
      '/api/queues/resume',
    ]) {
      const response = await fetch(`${board.boardUrl}${path}`, { method: 'PUT', headers: AUTH });
      expect([path, response.status]).toEqual([path, 405]);
    }
    // A write with a valid body is refused too (Bull Board validates bodies before its check).
    const priority = await fetch(`${board.boardUrl}/api/queues/metric/metric.bad/priority`, {
      method: 'PATCH',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ priority: 5 }),
    });
    expect(priority.status).toBe(405);
    expect(await board.queues.queues.metric.getJobState('metric.bad')).toBe('failed');
    expect(await board.queues.queues.metric.isPaused()).toBe(false);
  });

  it('performs writes when enabled, from the same origin only', async () => {
    const path = `${writable.boardUrl}/api/queues/metric/metric.bad/retry`;
    const cross = await fetch(path, {
      method: 'PUT',
      headers: { ...AUTH, origin: 'http://attacker.example' },
    });
    expect(cross.status).toBe(403);
    expect(await board.queues.queues.metric.getJobState('metric.bad')).toBe('failed');
    const response = await fetch(path, {
      method: 'PUT',
      headers: { ...AUTH, origin: writable.url },
    });
    expect(response.status).toBe(204);
    expect(await board.queues.queues.metric.getJobState('metric.bad')).toBe('waiting');
  });

  it('shows the daily run scheduler', async () => {
    await upsertDailyRunScheduler(
      board.queues.queues.orchestrator,
      { cron: '0 3 * * *', tz: 'UTC', lagDays: 1 },
      Date.now(),
    );
    const response = await fetch(`${board.boardUrl}/api/job-schedulers`, { headers: AUTH });
    const body = (await response.json()) as {
      schedulers: { id: string; queueName: string; pattern: string }[];
    };
    expect(body.schedulers).toEqual([
      expect.objectContaining({
        id: 'contrail-daily-run',
        queueName: 'orchestrator',
        pattern: '0 3 * * *',
      }),
    ]);
  });
});

describe('/metrics', () => {
  it('reports job counts by queue and state, durations, failures and process metrics', async () => {
    const text = await until(
      scrape,
      (t) =>
        (metricValue(
          t,
          'contrail_job_duration_seconds_count',
          'queue="metric",outcome="completed"',
        ) ?? 0) >= 1,
    );
    expect(text).toMatch(/^# TYPE contrail_queue_jobs gauge$/m);
    expect(metricValue(text, 'contrail_queue_jobs', 'queue="finalize",state="waiting"')).toBe(0);
    expect(metricValue(text, 'contrail_redis_up', '')).toBeNull();
    expect(text).toMatch(/^contrail_redis_up 1$/m);
    expect(
      metricValue(
        text,
        'contrail_job_duration_seconds_count',
        'queue="metric",outcome="completed"',
      ),
    ).toBe(1);
    expect(metricValue(text, 'contrail_job_failures_total', 'queue="metric"')).toBe(1);
    const sum = metricValue(
      text,
      'contrail_job_duration_seconds_sum',
      'queue="metric",outcome="completed"',
    );
    expect(sum).toBeGreaterThanOrEqual(0.1);
    expect(sum).toBeLessThan(5);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it('follows the queues at every scrape', async () => {
    await board.queues.queues.export.add('export', {}, { jobId: 'export.one', delay: 60_000 });
    const text = await scrape();
    expect(metricValue(text, 'contrail_queue_jobs', 'queue="export",state="delayed"')).toBe(1);
    expect(metricValue(text, 'contrail_queue_jobs', 'queue="metric",state="completed"')).toBe(1);
  });
});
