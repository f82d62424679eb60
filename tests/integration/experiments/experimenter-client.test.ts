import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { UnsafeIdentifierError } from '../../../src/analysis/unsafe-identifier-error.js';
import { createExperimenterClient } from '../../../src/experiments/api/experimenter-client.js';
import { HttpRequestError } from '../../../src/experiments/api/http-json.js';
import {
  ExperimentNotFoundError,
  ExperimentParseError,
  type ExperimentSource,
} from '../../../src/experiments/experiment-source.js';

const FIXTURE = new URL('./fixtures/experimenter-v8.json', import.meta.url);
const fixtureText = readFileSync(FIXTURE, 'utf8');
const fixture = JSON.parse(fixtureText) as { slug?: string }[];
const today = '2024-02-15';

/** What the server does for one request: status and body, or hang (never answer). */
type Reply = { status: number; body: string } | 'hang';

/** A real HTTP server on a random loopback port, answering from per-path reply queues. */
class FakeExperimenter {
  readonly requests: { url: string; userAgent: string | undefined }[] = [];
  private readonly replies = new Map<string, Reply[]>();
  private readonly hanging: ServerResponse[] = [];
  private server: Server | null = null;
  baseUrl = '';

  /** Queue replies for a path; the last one repeats. */
  on(path: string, ...replies: Reply[]): void {
    this.replies.set(path, replies);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '';
    this.requests.push({ url, userAgent: req.headers['user-agent'] });
    const queue = this.replies.get(url) ?? [{ status: 404, body: '{"detail":"Not found."}' }];
    const reply = queue.length > 1 ? queue.shift()! : queue[0]!;
    if (reply === 'hang') {
      this.hanging.push(res);
      return;
    }
    res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
  }
}

const ok = (body: unknown): Reply => ({ status: 200, body: JSON.stringify(body) });
const LIST = '/api/v8/experiments/';

let server: FakeExperimenter;
let delays: number[];
let warnings: { fields: Record<string, unknown>; message: string }[];

function client(options: { timeoutMs?: number; baseUrl?: string } = {}): ExperimentSource {
  return createExperimenterClient({
    baseUrl: options.baseUrl ?? server.baseUrl,
    timeoutMs: options.timeoutMs ?? 2_000,
    retry: { initialDelayMs: 1, factor: 10, maxDelayMs: 5 },
    sleep: (ms) => {
      delays.push(ms);
      return Promise.resolve();
    },
    logger: { warn: (fields, message) => warnings.push({ fields, message }) },
  });
}

beforeEach(async () => {
  server = new FakeExperimenter();
  delays = [];
  warnings = [];
  await server.start();
});

afterEach(async () => {
  await server.stop();
});

describe('Experimenter v8 client against a loopback server', () => {
  it('lists experiments from the v8 endpoint', async () => {
    server.on(LIST, { status: 200, body: fixtureText });
    const { experiments, rejected } = await client().listExperiments(today);
    expect(experiments.map((e) => [e.slug, e.appName, e.status])).toEqual([
      ['desktop-pref-test', 'firefox_desktop', 'Live'],
      ['fenix-onboarding', 'fenix', 'Live'],
      ['group-holdback', 'firefox_desktop', 'Live'],
    ]);
    expect(experiments[1]?.randomizationUnit).toBe('nimbus_id');
    expect(server.requests).toEqual([{ url: LIST, userAgent: 'contrail' }]);
    expect(delays).toEqual([]);
    expect(rejected).toHaveLength(2);
  });

  it('reports malformed entries with their slug and logs them, keeping the rest', async () => {
    server.on(LIST, { status: 200, body: fixtureText });
    const { rejected } = await client().listExperiments(today);
    expect(rejected.map((r) => [r.slug, r.index])).toEqual([
      ['broken-start-date', 2],
      [null, 4],
    ]);
    expect(rejected[0]?.reason).toContain('"2024-02-30"');
    expect(warnings.map((w) => w.fields.experiment)).toEqual(['broken-start-date', null]);
    expect(warnings[0]?.message).toMatch(/skipped/);
  });

  it('accepts an empty list', async () => {
    server.on(LIST, ok([]));
    expect(await client().listExperiments(today)).toEqual({ experiments: [], rejected: [] });
  });

  it('retries 500s with capped exponential backoff, then succeeds', async () => {
    const error: Reply = { status: 500, body: 'oops' };
    server.on(LIST, error, error, ok(fixture.slice(0, 1)));
    const { experiments } = await client().listExperiments(today);
    expect(experiments.map((e) => e.slug)).toEqual(['desktop-pref-test']);
    expect(server.requests).toHaveLength(3);
    expect(delays).toEqual([1, 5]); // min(1 × 10^i, 5)
    expect(warnings.map((w) => w.fields.attempt)).toEqual([1, 2]);
  });

  it('gives up after 3 attempts with the last failure', async () => {
    server.on(LIST, { status: 503, body: 'down' });
    const failure = client().listExperiments(today);
    await expect(failure).rejects.toThrow(HttpRequestError);
    await expect(failure).rejects.toThrow(/failed after 3 attempts: HTTP 503/);
    expect(server.requests).toHaveLength(3);
  });

  it('times out a request that never answers, and retries it', async () => {
    server.on(LIST, 'hang', ok([]));
    const started = performance.now();
    const result = await client({ timeoutMs: 150 }).listExperiments(today);
    expect(result.experiments).toEqual([]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(server.requests).toHaveLength(2);
    expect(warnings[0]?.fields.error).toBe('no answer within 150 ms');
  });

  it('fails with the timeout when every attempt hangs', async () => {
    server.on(LIST, 'hang');
    await expect(client({ timeoutMs: 100 }).listExperiments(today)).rejects.toThrow(
      /failed after 3 attempts: no answer within 100 ms/,
    );
  });

  it('retries a truncated JSON body', async () => {
    server.on(LIST, { status: 200, body: '[{"slug": "x"' }, ok([]));
    await expect(client().listExperiments(today)).resolves.toEqual({
      experiments: [],
      rejected: [],
    });
    expect(warnings[0]?.fields.error).toMatch(/invalid JSON/);
  });

  it('refuses a response that is not a list, naming the URL', async () => {
    server.on(LIST, ok({ results: [] }));
    await expect(client().listExperiments(today)).rejects.toThrow(
      `${server.baseUrl}${LIST}: expected a JSON array of experiments, got object`,
    );
  });

  it('fetches one experiment by slug', async () => {
    server.on(`${LIST}fenix-onboarding/`, ok(fixture[1]));
    const experiment = await client().getExperiment('fenix-onboarding', today);
    expect(experiment).toMatchObject({ slug: 'fenix-onboarding', segments: ['new_users'] });
  });

  it('reports 404 for an unknown slug at once, without retrying', async () => {
    const failure = client().getExperiment('no-such-experiment', today);
    await expect(failure).rejects.toThrow(ExperimentNotFoundError);
    await expect(failure).rejects.toThrow(/"no-such-experiment" not found/);
    expect(server.requests).toEqual([{ url: `${LIST}no-such-experiment/`, userAgent: 'contrail' }]);
  });

  it('reports a single experiment that does not parse', async () => {
    server.on(`${LIST}broken-start-date/`, ok(fixture[2]));
    await expect(client().getExperiment('broken-start-date', today)).rejects.toThrow(
      ExperimentParseError,
    );
  });

  it('rejects an unsafe slug before sending any request', async () => {
    await expect(client().getExperiment('x"; DROP TABLE y; --', today)).rejects.toThrow(
      UnsafeIdentifierError,
    );
    expect(server.requests).toEqual([]);
  });

  it('keeps a path prefix of the base URL and refuses non-http URLs', async () => {
    server.on(`/prefix${LIST}`, ok([]));
    await client({ baseUrl: `${server.baseUrl}/prefix` }).listExperiments(today);
    expect(server.requests.map((r) => r.url)).toEqual([`/prefix${LIST}`]);
    expect(() => client({ baseUrl: 'ftp://example.org' })).toThrow(/must be http/);
    expect(() => client({ baseUrl: 'not a url' })).toThrow(/not a URL/);
  });
});
