import type { IncomingMessage, ServerResponse } from 'node:http';
import { coerceError } from '../../../src/analysis/coerce-error.js';
import { FakeApiError } from './fake-api-error.js';
import type { RouteAnswer, RoutedRequest } from './fake-router.js';

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

/** Pending injected failures, taken first come first served. */
export class FailureRules {
  private rules: { remaining: number; readonly failure: InjectedFailure }[] = [];

  /** Fails the next `count` requests `failure.match` accepts. */
  add(count: number, failure: InjectedFailure): void {
    this.rules.push({ remaining: count, failure });
  }

  /** The failure to answer `request` with, if any (and counts it). */
  take(request: RecordedRequest): InjectedFailure | null {
    const rule = this.rules.find((r) => r.remaining > 0 && (r.failure.match?.(request) ?? true));
    if (!rule) return null;
    rule.remaining -= 1;
    return rule.failure;
  }

  /** Forgets every pending failure. */
  clear(): void {
    this.rules = [];
  }
}

/** Reads a request's URL, headers and body. */
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

/** The request as the request log keeps it. */
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

/** Sends a JSON answer (no body for null). */
export function send(res: ServerResponse, status: number, body: unknown): void {
  if (body === null) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(text);
}

/** What the HTTP handler needs. */
export interface HandlerParts {
  readonly route: (request: RoutedRequest) => Promise<RouteAnswer>;
  readonly requests: RecordedRequest[];
  readonly failures: FailureRules;
  readonly requireAuth: boolean;
}

function answerError(res: ServerResponse, error: FakeApiError): void {
  send(res, error.status, error.body());
}

/** Records the request, then injects a failure, checks the token, or routes it. */
export async function handleRequest(
  parts: HandlerParts,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const request = await readRequest(req);
  const failure = parts.failures.take(recorded(request, req, false));
  parts.requests.push(recorded(request, req, failure !== null));
  if (failure?.afterHandling === true) await parts.route(request).catch(() => undefined);
  if (failure?.reset === true) {
    req.socket.destroy();
    return;
  }
  if (failure) {
    const { status = 500, reason = 'backendError', message = 'injected failure' } = failure;
    return answerError(res, new FakeApiError(status, reason, message));
  }
  if (parts.requireAuth && !/^Bearer \S+/.test(req.headers.authorization ?? '')) {
    const message = 'Request is missing required authentication credential.';
    return answerError(res, new FakeApiError(401, 'required', message));
  }
  try {
    const answer = await parts.route(request);
    send(res, answer.status, answer.body);
  } catch (e) {
    const error = coerceError(e);
    answerError(
      res,
      error instanceof FakeApiError ? error : new FakeApiError(500, 'internalError', error.message),
    );
  }
}
