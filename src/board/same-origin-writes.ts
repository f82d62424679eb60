import type { RequestHandler } from 'express';

import { acceptsWriteOrigin, type OriginPolicy } from './origin-policy.js';
import { writeOriginOf } from './write-origin.js';

/** Methods that only read. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request guard for writes. A browser names the page behind every non-GET request
 * (`Origin`, or at least `Referer`); a write from a page whose origin the policy does not allow
 * is refused (403). The allow-list is the board's configuration, never the request's own `Host`
 * (which a DNS-rebinding page controls). Requests naming no page at all (scripts, curl) pass:
 * they carry no ambient browser credentials. Basic auth is replayed by the browser
 * automatically, so a writable board needs this (operations.md §2).
 */
export function sameOriginWrites(policy: OriginPolicy): RequestHandler {
  return (request, response, next) => {
    const origin = writeOriginOf({
      origin: request.get('origin'),
      referer: request.get('referer'),
    });
    const port = request.socket.localPort ?? 0;
    if (
      READ_METHODS.has(request.method.toUpperCase()) ||
      origin === null ||
      acceptsWriteOrigin(policy, origin, port)
    ) {
      next();
      return;
    }
    response
      .status(403)
      .set('X-Content-Type-Options', 'nosniff')
      .type('text/plain')
      .send('cross-origin write refused: the page is not on an origin allowed to change jobs\n');
  };
}
