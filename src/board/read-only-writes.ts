import type { RequestHandler } from 'express';

/** Methods that only read. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses every request that is not a read with 405, for a read-only Bull Board. Bull Board's
 * own read-only mode is per queue and leaves gaps: "pause all" and "resume all" answer 200
 * (doing nothing), and routes whose body fails validation answer 400 before the read-only check.
 * This guard answers before Bull Board sees the request, for its current and future routes.
 */
export function readOnlyWrites(): RequestHandler {
  return (request, response, next) => {
    if (READ_METHODS.has(request.method.toUpperCase())) {
      next();
      return;
    }
    response.status(405).set('allow', 'GET, HEAD').json({
      error: 'read-only board',
      message: 'start the board with --writable to change jobs',
    });
  };
}
