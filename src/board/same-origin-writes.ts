import type { RequestHandler } from 'express';

/**
 * Cross-site request guard for writes: a browser sends `Origin` with every non-GET request, so a
 * write whose origin is not this board's own host is refused (403). Basic auth is replayed by
 * the browser automatically, so a writable board needs this (operations.md §2).
 */
export function sameOriginWrites(): RequestHandler {
  return (request, response, next) => {
    const method = request.method.toUpperCase();
    const origin = request.get('origin');
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || origin === undefined) {
      next();
      return;
    }
    let originHost: string | null;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = null;
    }
    if (originHost !== null && originHost === request.get('host')) {
      next();
      return;
    }
    response.status(403).type('text/plain').send(`cross-origin write refused (origin ${origin})\n`);
  };
}
