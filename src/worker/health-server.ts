import { createServer, type Server } from 'node:http';

/** What the probes report. */
export interface HealthState {
  /** Liveness: the event loop answers and the workers are running (Redis is not checked). */
  live(): boolean;
  /** Readiness: every worker has connected to Redis. */
  ready(): boolean;
}

/**
 * Kubernetes probes (operations.md §3): `GET /livez` and `GET /readyz` answer 200 or 503 with a
 * one-word body. Binds to `host:port`; port 0 picks a free one (see `server.address()`).
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
    response
      .writeHead(check ? 200 : 503, { 'content-type': 'text/plain' })
      .end(check ? 'ok\n' : 'not ok\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
