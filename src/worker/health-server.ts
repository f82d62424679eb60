import { createServer, type Server } from 'node:http';

/** What the probes report. */
export interface HealthState {
  /** Liveness: the event loop answers and the workers are running (Redis is not checked). */
  live(): boolean;
  /** Readiness: every worker has connected to Redis and jobs do not fail because of Redis. */
  ready(): boolean;
  /** Why the process is not ready: the body of a 503 `/readyz` (probes read only the status). */
  notReadyReason?(): string | null;
}

/**
 * Kubernetes probes (operations.md §3): `GET /livez` and `GET /readyz` answer 200 or 503 with a
 * one-line body (`ok`, `not ok`, or `not ok: <reason>` from {@link HealthState.notReadyReason}).
 * Binds to `host:port`; port 0 picks a free one (see `server.address()`).
 */
export async function startHealthServer(
  state: HealthState,
  port: number,
  host = '0.0.0.0',
): Promise<Server> {
  const server = createServer((request, response) => {
    const check =
      request.url === '/livez' ? state.live() : request.url === '/readyz' ? state.ready() : null;
    if (check === null) {
      response.writeHead(404).end('not found\n');
      return;
    }
    const reason = request.url === '/readyz' && !check ? state.notReadyReason?.() : null;
    response
      .writeHead(check ? 200 : 503, { 'content-type': 'text/plain' })
      .end(check ? 'ok\n' : reason ? `not ok: ${reason}\n` : 'not ok\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
