import type { RequestHandler } from 'express';

import { acceptsHost, type OriginPolicy } from './origin-policy.js';

/**
 * Answers 421 Misdirected Request, before anything else runs, to requests whose `Host` the
 * policy does not accept (a board without credentials reached under another name: DNS
 * rebinding). The port compared is the one the connection arrived on. The answer is a short
 * plain text that echoes nothing.
 */
export function acceptedHostsOnly(policy: OriginPolicy): RequestHandler {
  return (request, response, next) => {
    if (acceptsHost(policy, request.get('host'), request.socket.localPort ?? 0)) {
      next();
      return;
    }
    response
      .status(421)
      .set('X-Content-Type-Options', 'nosniff')
      .type('text/plain')
      .send(
        'misdirected request: this board answers only 127.0.0.1, localhost or [::1] on its port\n',
      );
  };
}
