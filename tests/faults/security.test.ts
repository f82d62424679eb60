import { appRoutes } from '@bull-board/api/dist/routes.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CliProcess } from '../helpers/faults/cli-process.js';
import type { FaultCluster } from '../helpers/faults/fault-cluster.js';
import { recordTally } from '../helpers/faults/fault-tally.js';
import { CORE_EXPERIMENT, RUN_DATE } from '../helpers/faults/fault-workload.js';
import { leakedSecrets } from '../helpers/faults/run-checks.js';
import { suiteContext } from '../helpers/faults/suite-context.js';
import { waitFor } from '../helpers/faults/wait-for.js';
import { rawRequest } from '../helpers/raw-request.js';

/**
 * Issue #7, security, against a real `contrail board` process over a cluster with a queued run:
 * Bull Board's pages and API, the results pages and `/metrics` answer 401 without credentials
 * and with wrong ones; in read-only mode (the default) every write route of Bull Board's API
 * (taken from Bull Board's own route table, so a new one is covered) answers 405 and changes
 * nothing; no log line holds a secret or a credential that was tried. Issue #13 (case 11), DNS
 * rebinding, against a `board --insecure-local --writable` process: every route answers 421 to
 * a Host that is not a loopback name with the board's port, and every write route answers 403
 * to a foreign Origin (or Referer) even with a loopback Host, changing nothing.
 * (`tests/integration/board` covers the board in-process; the suite-wide log search runs in the
 * global teardown.)
 */

const suite = suiteContext();
const [TOKEN, PASSWORD] = suite.secrets;
const USER = 'faults-admin';
const BOARD = '/admin/queues';
/** The queued job the per-job routes name (no worker runs, so it stays waiting). */
const QUEUE = 'enrollments';
const JOB = `enrollments.${CORE_EXPERIMENT}.${RUN_DATE}`;
const PARAMS: Readonly<Record<string, string>> = {
  queueName: QUEUE,
  jobId: JOB,
  queueStatus: 'waiting',
  schedulerId: 'contrail-daily-run',
};

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
/** `Authorization` headers that must all be refused (none of them is a secret). */
const WRONG_CREDENTIALS: readonly string[] = [
  'Bearer faults-wrong-token-0123456789',
  `Bearer ${TOKEN.slice(0, -1)}`,
  `Bearer ${TOKEN}0`,
  `bearer${TOKEN}`,
  `Token ${TOKEN}`,
  basic(USER, 'faults-wrong-password-0123'),
  basic('faults-wrong-user', PASSWORD),
  basic(USER, TOKEN),
  basic(USER, `${PASSWORD} `),
  'Basic not-base64-at-all!!',
  'Bearer',
  '',
];
/** What a logged wrong header would show: the header, or its decoded wrong secret. */
const WRONG_MARKERS = [
  ...WRONG_CREDENTIALS.filter((header) => header.length > 12),
  'faults-wrong-token-0123456789',
  'faults-wrong-password-0123',
];

/** Pages and read routes to try (the board's own, the results pages and metrics). */
const READ_PATHS: readonly string[] = [
  '/',
  BOARD,
  `${BOARD}/queue/${QUEUE}`,
  `${BOARD}/queue/${QUEUE}/${JOB}`,
  '/metrics',
  '/experiments',
  `/experiments/${CORE_EXPERIMENT}`,
  ...bullBoardApi()
    .filter((r) => r.method === 'GET')
    .map((r) => r.path),
];
/** Every write route of Bull Board's API: method and path. */
const WRITE_ROUTES = bullBoardApi().filter((r) => r.method !== 'GET');

let cluster: FaultCluster;
let board: CliProcess;
let origin: string;
/** The board without credentials (`--insecure-local --writable`). */
let openBoard: CliProcess;
let openOrigin: string;
let hostileRequests = 0;
const startedAt = Date.now();

/** Every route of Bull Board's API (its own table), with the parameters filled in. */
function bullBoardApi(): { method: string; path: string }[] {
  return appRoutes.api.flatMap((r) =>
    [r.method].flat().flatMap((method) =>
      [r.route].flat().map((route) => ({
        method: method.toUpperCase(),
        path: `${BOARD}${fill(route)}`,
      })),
    ),
  );
}

/** A route pattern with its `:params` filled in. */
function fill(route: string): string {
  return route.replace(/:(\w+)/g, (_, name: string) => {
    const value = PARAMS[name];
    if (value === undefined) throw new Error(`no value for :${name} in ${route}`);
    return encodeURIComponent(value);
  });
}

async function request(
  method: string,
  path: string,
  authorization: string | null,
): Promise<{ status: number; body: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization !== null) headers['authorization'] = authorization;
  const response = await fetch(`${origin}${path}`, {
    method,
    headers,
    redirect: 'manual',
    ...(method === 'GET' || method === 'HEAD' ? {} : { body: '{}' }),
  });
  return { status: response.status, body: await response.text() };
}

/** What a write could change: the job, the queue's counts and whether it is paused. */
async function queueState(): Promise<unknown> {
  const queue = cluster.queue(QUEUE);
  const job = await cluster.job(QUEUE, JOB);
  return {
    job: job === undefined ? null : { state: await job.getState(), data: job.data, opts: job.opts },
    counts: await queue.getJobCounts(),
    paused: await queue.isPaused(),
  };
}

beforeAll(async () => {
  cluster = await suite.cluster('security', 'core');
  // Enqueue a run with no worker: real jobs for the per-job routes, which stay as they are.
  const run = await cluster.command(['run', '--date', RUN_DATE]);
  expect(run.code, run.output).toBe(0);
  board = cluster.start(['board', '--port', '0']);
  const url = await waitFor(
    'the board to listen',
    () => /board listening on (\S+)/.exec(board.stdout())?.[1],
  );
  origin = new URL(url).origin;
  const noCredentials = {
    CONTRAIL_BOARD_TOKEN: '',
    CONTRAIL_BOARD_USER: '',
    CONTRAIL_BOARD_PASSWORD: '',
  };
  openBoard = cluster.start(
    ['board', '--port', '0', '--insecure-local', '--writable'],
    noCredentials,
  );
  const openUrl = await waitFor(
    'the board without credentials to listen',
    () => /board listening on (\S+)/.exec(openBoard.stdout())?.[1],
  );
  openOrigin = new URL(openUrl).origin;
});

afterAll(async () => {
  recordTally({
    scenario: `security: ${hostileRequests} requests without or with wrong credentials, writes to a read-only board, or DNS rebinding`,
    jobsRun: 0,
    killsSurvived: 0,
    faultsInjected: 0,
    badInputsTried: hostileRequests,
    rowsLost: 0,
    rowsDuplicated: 0,
    wallMs: Date.now() - startedAt,
  });
  await cluster?.close();
});

describe('contrail board: authentication', () => {
  it('the routes exist: with the token or the password they answer', async () => {
    for (const authorization of [`Bearer ${TOKEN}`, basic(USER, PASSWORD)]) {
      for (const path of [BOARD, `${BOARD}/api/queues`, '/metrics', '/experiments']) {
        expect([path, (await request('GET', path, authorization)).status]).toEqual([path, 200]);
      }
    }
    const job = await request('GET', `${BOARD}/api/queues/${QUEUE}/${JOB}`, `Bearer ${TOKEN}`);
    expect(job.status).toBe(200);
    expect(job.body).toContain(JOB);
  });

  it('every page, API route (read or write) and /metrics answers 401 without credentials', async () => {
    const routes = [
      ...READ_PATHS.map((path) => ({ method: 'GET', path })),
      ...WRITE_ROUTES,
      { method: 'POST', path: '/metrics' },
    ];
    for (const { method, path } of routes) {
      const answer = await request(method, path, null);
      hostileRequests += 1;
      expect([method, path, answer.status]).toEqual([method, path, 401]);
      expect(answer.body).not.toContain(JOB);
    }
  });

  it('... and with wrong credentials', async () => {
    for (const authorization of WRONG_CREDENTIALS) {
      for (const path of READ_PATHS) {
        const answer = await request('GET', path, authorization);
        hostileRequests += 1;
        expect([authorization, path, answer.status]).toEqual([authorization, path, 401]);
        expect(answer.body).not.toContain(JOB);
      }
    }
  });
});

describe('contrail board: read-only mode', () => {
  it(`refuses every write route of Bull Board's API (${WRITE_ROUTES.length}) with 405 and changes nothing`, async () => {
    const before = await queueState();
    expect(before).toMatchObject({ job: { state: 'waiting' }, paused: false });
    const answers = [];
    for (const { method, path } of WRITE_ROUTES) {
      const answer = await request(method, path, `Bearer ${TOKEN}`);
      hostileRequests += 1;
      answers.push([method, path, answer.status]);
    }
    expect(answers).toEqual(WRITE_ROUTES.map(({ method, path }) => [method, path, 405]));
    expect(await queueState()).toEqual(before);
  });
});

/** A request to the board without credentials with exactly these headers (Host included). */
async function openRequest(
  method: string,
  path: string,
  headers: Readonly<Record<string, string>>,
): Promise<{ status: number; body: string }> {
  const answer = await rawRequest(`${openOrigin}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(method === 'GET' || method === 'HEAD' ? {} : { body: '{}' }),
  });
  return { status: answer.status, body: answer.body };
}

describe('contrail board --insecure-local --writable: DNS rebinding', () => {
  const port = () => new URL(openOrigin).port;

  it('serves loopback names (so the refusals below are the Host check)', async () => {
    for (const hostname of ['127.0.0.1', 'localhost', '[::1]']) {
      const host = `${hostname}:${port()}`;
      for (const path of [BOARD, `${BOARD}/api/queues`, '/metrics', '/experiments']) {
        expect([host, path, (await openRequest('GET', path, { host })).status]).toEqual([
          host,
          path,
          200,
        ]);
      }
    }
  });

  it('answers 421 on every page, API route (read or write) and /metrics to a rebinding Host', async () => {
    const before = await queueState();
    const hosts = [
      `attacker.example:${port()}`,
      'attacker.example',
      `127.0.0.1:${Number(port()) + 1}`,
    ];
    const routes = [
      ...READ_PATHS.map((path) => ({ method: 'GET', path })),
      ...WRITE_ROUTES,
      { method: 'POST', path: '/metrics' },
    ];
    for (const host of hosts) {
      for (const { method, path } of routes) {
        const answer = await openRequest(method, path, { host, origin: `http://${host}` });
        hostileRequests += 1;
        expect([host, method, path, answer.status]).toEqual([host, method, path, 421]);
        expect(answer.body).not.toContain(JOB);
      }
    }
    expect(await queueState()).toEqual(before);
  });

  it(`refuses every write route (${WRITE_ROUTES.length}) from a foreign page with 403, even with a loopback Host`, async () => {
    const before = await queueState();
    const host = `127.0.0.1:${port()}`;
    const pages: Readonly<Record<string, string>>[] = [
      { origin: `http://attacker.example:${port()}` },
      { origin: 'null' },
      { referer: `http://attacker.example:${port()}/rebind.html` },
    ];
    for (const page of pages) {
      for (const { method, path } of WRITE_ROUTES) {
        const answer = await openRequest(method, path, { host, ...page });
        hostileRequests += 1;
        expect([page, method, path, answer.status]).toEqual([page, method, path, 403]);
      }
    }
    expect(await queueState()).toEqual(before);
  });
});

describe('logs', () => {
  it('no log line of any process holds a secret or a credential that was tried', () => {
    expect(leakedSecrets(cluster)).toEqual([]);
    const output = cluster.allOutput();
    for (const marker of WRONG_MARKERS) expect(output).not.toContain(marker);
    expect(output).not.toMatch(/authorization/i);
    // The board did log (so the search above searched something).
    expect(board.output()).toMatch(/board ready/);
  });
});
