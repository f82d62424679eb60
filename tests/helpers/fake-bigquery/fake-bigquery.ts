import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Json } from '@duckdb/node-api';
import { coerceError } from '../../../src/analysis/coerce-error.js';
import { FakeApiError } from './fake-api-error.js';
import { FakeCatalog } from './fake-catalog.js';
import { FakeDatabase } from './fake-database.js';
import { FakeJobs, type FakeJobOptions } from './fake-jobs.js';
import { createRouter, type RoutedRequest } from './fake-router.js';
import { FakeTables } from './fake-tables.js';

/** One request the fake received, for asserting what a client sent. */
export interface RecordedRequest {
  readonly method: string;
  /** URL path, e.g. `/bigquery/v2/projects/p/jobs`. */
  readonly path: string;
  /** Query string parameters. */
  readonly query: Readonly<Record<string, string>>;
  /** Parsed JSON body; for media uploads `{ metadata, data }`; null when there was none. */
  readonly body: unknown;
  /** The `Authorization` header, e.g. `Bearer fake`. */
  readonly authorization: string | null;
  /** True when the fake answered with an injected failure. */
  readonly injected: boolean;
}

/** A failure to inject with {@link FakeBigQuery.failNext}. */
export interface InjectedFailure {
  /** HTTP status. @defaultValue 500 */
  readonly status?: number;
  /** BigQuery error reason. @defaultValue `backendError` */
  readonly reason?: string;
  /** @defaultValue `injected failure` */
  readonly message?: string;
  /** Destroy the connection without answering (a network error) instead of answering. */
  readonly reset?: boolean;
  /**
   * Handle the request first, then fail (a lost response: the work is done, the client does
   * not know). @defaultValue false
   */
  readonly afterHandling?: boolean;
  /** Only requests this returns true for are failed (and counted). @defaultValue every request */
  readonly match?: (request: RecordedRequest) => boolean;
}

/** Options of {@link startFakeBigQuery}. */
export interface FakeBigQueryOptions {
  /** Location of every dataset. @defaultValue `US` */
  readonly location?: string;
  /** Most rows per result page. @defaultValue 100000 */
  readonly maxPageRows?: number;
  /** Reject requests without a bearer token with 401. @defaultValue true */
  readonly requireAuth?: boolean;
}

/** A running fake BigQuery v2 REST API on 127.0.0.1 (see index.ts). */
export interface FakeBigQuery {
  /** `http://127.0.0.1:<port>`: pass as the client's `apiEndpoint`. */
  readonly url: string;
  /** Every request received so far, oldest first (live). */
  readonly requests: RecordedRequest[];
  /**
   * Behaviour knobs, changeable at any time: `pendingPolls` (getQueryResults answers
   * `jobComplete: false` that often for each new query job), `runningPolls` (jobs.get answers
   * `RUNNING` that often for each new job), `maxPageRows`.
   */
  readonly settings: FakeJobOptions;
  /** Answers the next `count` (matching) requests with `failure` instead of handling them. */
  failNext(count: number, failure?: InjectedFailure): void;
  /** Forgets recorded requests and pending failures. */
  reset(): void;
  /** Runs DuckDB SQL on the fake's storage (datasets are schemas) and returns the rows. */
  sql(duckDbSql: string): Promise<Record<string, Json>[]>;
  /** Stops the server and closes the database. */
  stop(): Promise<void>;
}

interface FailureRule {
  remaining: number;
  readonly failure: InjectedFailure;
}

async function readRequest(req: IncomingMessage): Promise<RoutedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const contentType = req.headers['content-type'] ?? '';
  let json: Record<string, unknown> = {};
  if (text !== '' && contentType.includes('json')) {
    json = JSON.parse(text) as Record<string, unknown>;
  }
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    contentType,
    text,
    json,
  };
}

function recorded(
  request: RoutedRequest,
  req: IncomingMessage,
  injected: boolean,
): RecordedRequest {
  const multipart = request.contentType.startsWith('multipart/');
  const body = multipart ? { multipart: request.text } : request.text === '' ? null : request.json;
  return {
    method: request.method,
    path: request.path,
    query: request.query,
    body,
    authorization: req.headers.authorization ?? null,
    injected,
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (body === null) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(text);
}

/**
 * Starts the fake on a random loopback port. Every request is recorded; storage is an
 * in-memory DuckDB that runs the BigQuery SQL it receives through the project's own
 * `toDuckDbSql` / `duckDbPrelude`.
 */
export async function startFakeBigQuery(options: FakeBigQueryOptions = {}): Promise<FakeBigQuery> {
  const db = await FakeDatabase.open();
  const settings: FakeJobOptions = {
    location: options.location ?? 'US',
    maxPageRows: options.maxPageRows ?? 100_000,
    pendingPolls: 0,
    runningPolls: 0,
  };
  const catalog = new FakeCatalog(settings.location, Date.now);
  const route = createRouter(new FakeJobs(db, catalog, settings), new FakeTables(db, catalog), db);
  const requests: RecordedRequest[] = [];
  let rules: FailureRule[] = [];

  const injected = (record: RecordedRequest): InjectedFailure | null => {
    const rule = rules.find((r) => r.remaining > 0 && (r.failure.match?.(record) ?? true));
    if (!rule) return null;
    rule.remaining -= 1;
    return rule.failure;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const request = await readRequest(req);
    const failure = injected(recorded(request, req, false));
    requests.push(recorded(request, req, failure !== null));
    if (failure?.afterHandling === true) await route(request).catch(() => undefined);
    if (failure?.reset === true) {
      req.socket.destroy();
      return;
    }
    if (failure) {
      const error = new FakeApiError(
        failure.status ?? 500,
        failure.reason ?? 'backendError',
        failure.message ?? 'injected failure',
      );
      send(res, error.status, error.body());
      return;
    }
    if (options.requireAuth !== false && !/^Bearer \S+/.test(req.headers.authorization ?? '')) {
      const error = new FakeApiError(
        401,
        'required',
        'Request is missing required authentication credential.',
      );
      send(res, 401, error.body());
      return;
    }
    try {
      const answer = await route(request);
      send(res, answer.status, answer.body);
    } catch (e) {
      const error = coerceError(e);
      const apiError =
        error instanceof FakeApiError
          ? error
          : new FakeApiError(500, 'internalError', error.message);
      send(res, apiError.status, apiError.body());
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) =>
      send(res, 500, new FakeApiError(500, 'internalError', coerceError(e).message).body()),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    settings,
    failNext(count, failure = {}) {
      rules.push({ remaining: count, failure });
    },
    reset() {
      requests.length = 0;
      rules = [];
    },
    async sql(duckDbSql) {
      const result = await db.exclusive(() => db.read(duckDbSql));
      return result.rows.map((row) =>
        Object.fromEntries(result.names.map((name, i) => [name, row[i] ?? null])),
      );
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.exclusive(() => Promise.resolve(db.close()));
    },
  };
}
