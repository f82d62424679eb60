import { randomUUID } from 'node:crypto';

import { Router } from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startBoard, type RunningBoard } from '../../../src/board/start-board.js';
import { deleteKeys, TEST_REDIS_URL } from '../../helpers/pipeline.js';
import { rawRequest, type RawResponse } from '../../helpers/raw-request.js';

/**
 * Issue #13 case 11, DNS rebinding, on real boards on loopback against the real Redis: a board
 * without credentials (`--insecure-local --writable`) answers no request whose Host is not a
 * loopback name with its port, on every route family; writes are checked against the board's
 * own origins, never against the request's Host; loopback names and origins still work. And an
 * authenticated board takes writes from its public URL but not from a page whose Host and
 * Origin agree with each other.
 */

const TOKEN = 'rebinding-test-token-0123';
const PUBLIC_URL = 'https://board.example.com';
const RESULTS_TEXT = 'results page of every experiment';
const logger = pino({ level: 'silent' });
const prefix = `test-rebind-${randomUUID().slice(0, 8)}`;
const PAUSE = '/admin/queues/api/queues/pause';
const RESUME = '/admin/queues/api/queues/resume';

let open: RunningBoard;
let authenticated: RunningBoard;

/** Every route family: Bull Board's UI and API, /metrics, the results pages, `/`. */
const READ_PATHS = [
  '/',
  '/admin/queues',
  '/admin/queues/queue/metric',
  '/admin/queues/api/queues',
  '/metrics',
  '/experiments',
  '/experiments/some-experiment',
  '/nowhere',
];

const portOf = (board: RunningBoard) => board.address.port;

function send(
  board: RunningBoard,
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<RawResponse> {
  return rawRequest(`${board.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(method === 'GET' ? {} : { body: '{}' }),
  });
}

async function anyPaused(board: RunningBoard): Promise<boolean> {
  const paused = await Promise.all(Object.values(board.queues.queues).map((q) => q.isPaused()));
  return paused.some(Boolean);
}

async function resumeAll(board: RunningBoard): Promise<void> {
  await Promise.all(Object.values(board.queues.queues).map((q) => q.resume()));
}

beforeAll(async () => {
  const results = Router();
  results.get(['/experiments', '/experiments/:slug'], (_request, response) => {
    response.send(RESULTS_TEXT);
  });
  open = await startBoard({
    redisUrl: TEST_REDIS_URL,
    prefix,
    auth: { token: null, basic: null },
    insecureLocal: true,
    readOnly: false,
    host: '127.0.0.1',
    port: 0,
    routers: [results],
    logger,
  });
  authenticated = await startBoard({
    redisUrl: TEST_REDIS_URL,
    prefix,
    auth: { token: TOKEN, basic: null },
    readOnly: false,
    publicUrls: [`${PUBLIC_URL}/`],
    host: '127.0.0.1',
    port: 0,
    routers: [results],
    logger,
  });
  await open.queues.queues.metric.add('metric', { n: 1 }, { jobId: 'metric.rebinding' });
});

afterAll(async () => {
  await open?.close();
  await authenticated?.close();
  await deleteKeys(prefix);
});

describe('a board without credentials', () => {
  it('refuses a rebinding Host on every route family with 421 and no page content', async () => {
    const port = portOf(open);
    const foreign = [
      `attacker.example:${port}`,
      'attacker.example',
      `127.0.0.1:${port + 1}`,
      `localhost.attacker.example:${port}`,
    ];
    for (const host of foreign) {
      for (const path of READ_PATHS) {
        const answer = await send(open, 'GET', path, { host });
        expect([host, path, answer.status]).toEqual([host, path, 421]);
        expect(answer.headers['content-type']).toMatch(/^text\/plain/);
        expect(answer.body).not.toContain(RESULTS_TEXT);
        expect(answer.body).not.toMatch(/contrail_queue_jobs|metric\.rebinding|<html/i);
      }
    }
  });

  it('does not pause the queues for the request of issue #13 (Host and Origin both the attacker)', async () => {
    const port = portOf(open);
    const answer = await send(open, 'PUT', PAUSE, {
      host: `attacker.example:${port}`,
      origin: `http://attacker.example:${port}`,
    });
    expect(answer.status).toBe(421);
    expect(await anyPaused(open)).toBe(false);
  });

  it('refuses writes from a foreign page even with a loopback Host', async () => {
    const port = portOf(open);
    const pages: Record<string, string>[] = [
      { origin: `http://attacker.example:${port}` },
      { origin: `http://127.0.0.1:${port + 1}` },
      { origin: 'null' },
      { referer: `http://attacker.example:${port}/rebind.html` },
    ];
    for (const page of pages) {
      const answer = await send(open, 'PUT', PAUSE, { host: `127.0.0.1:${port}`, ...page });
      expect([page, answer.status]).toEqual([page, 403]);
    }
    expect(await anyPaused(open)).toBe(false);
  });

  it('serves loopback Host names and takes writes from loopback origins', async () => {
    const port = portOf(open);
    for (const hostname of ['127.0.0.1', 'localhost', '[::1]']) {
      const host = `${hostname}:${port}`;
      const page = await send(open, 'GET', '/experiments', { host });
      expect([host, page.status, page.body]).toEqual([host, 200, RESULTS_TEXT]);
      const metrics = await send(open, 'GET', '/metrics', { host });
      expect([host, metrics.status]).toEqual([host, 200]);
      const paused = await send(open, 'PUT', PAUSE, { host, origin: `http://${host}` });
      expect([host, paused.status]).toEqual([host, 200]);
      expect(await anyPaused(open)).toBe(true);
      const resumed = await send(open, 'PUT', RESUME, {
        host,
        referer: `http://${host}/admin/queues`,
      });
      expect([host, resumed.status]).toEqual([host, 200]);
      expect(await anyPaused(open)).toBe(false);
    }
  });
});

describe('an authenticated board with a public URL', () => {
  const auth = { authorization: `Bearer ${TOKEN}` };

  it('still needs credentials, whatever the Host', async () => {
    const answer = await send(authenticated, 'GET', '/experiments', { host: 'board.example.com' });
    expect(answer.status).toBe(401);
  });

  it('refuses a write whose Origin matches its own Host but is not the public URL', async () => {
    const answer = await send(authenticated, 'PUT', PAUSE, {
      ...auth,
      host: 'attacker.example',
      origin: 'http://attacker.example',
    });
    expect(answer.status).toBe(403);
    expect(await anyPaused(authenticated)).toBe(false);
  });

  it('takes writes from its public URL and, bound to loopback, from loopback origins', async () => {
    const port = portOf(authenticated);
    const fromPublic = await send(authenticated, 'PUT', PAUSE, {
      ...auth,
      host: 'board.example.com',
      origin: PUBLIC_URL,
    });
    expect(fromPublic.status).toBe(200);
    expect(await anyPaused(authenticated)).toBe(true);
    await resumeAll(authenticated);
    const fromLoopback = await send(authenticated, 'PUT', PAUSE, {
      ...auth,
      host: `localhost:${port}`,
      origin: `http://localhost:${port}`,
    });
    expect(fromLoopback.status).toBe(200);
    await resumeAll(authenticated);
  });
});
