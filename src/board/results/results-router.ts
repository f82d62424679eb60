import { Router, type Request, type Response } from 'express';

import { coerceError } from '../../analysis/coerce-error.js';
import { renderErrorPage } from './error-page.js';
import { loadExperimentList } from './experiment-list.js';
import { renderExperimentListPage } from './experiment-list-page.js';
import { renderExperimentPage } from './experiment-page.js';
import { loadExperimentPage, UnknownExperimentError } from './experiment-page-model.js';
import type { ResultsDeps } from './results-deps.js';
import { ResultsQueryError, type ResultsQuery } from './results-selection.js';

export type { ResultsDeps } from './results-deps.js';

/** Experiment slugs the pages accept (Experimenter's alphabet). */
const SLUG = /^[A-Za-z0-9_-]{1,200}$/;

/** GET parameters of `/experiments/:slug`. */
const QUERY_KEYS = ['window', 'segment', 'basis', 'reference'] as const;

/** A request the pages cannot serve as asked (HTTP 400). */
class BadRequestError extends Error {
  override readonly name = 'BadRequestError';
}

/**
 * Pages are static documents: no scripts at all, inline styles only, never cached (they show
 * the latest results), never framed.
 */
function sendHtml(res: Response, status: number, body: string): void {
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy':
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    })
    .send(body);
}

function parseQuery(req: Request): ResultsQuery {
  const query: Record<string, string> = {};
  const raw = req.query as Record<string, unknown>;
  for (const key of QUERY_KEYS) {
    const value = raw[key];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string') {
      throw new BadRequestError(`GET parameter ${key} must be given once, as text`);
    }
    query[key] = value;
  }
  return query;
}

function statusOf(error: Error): number {
  if (error instanceof UnknownExperimentError) return 404;
  if (error instanceof ResultsQueryError || error instanceof BadRequestError) return 400;
  return 500;
}

/**
 * The results pages (GitHub issue #8), to mount behind the board's authentication:
 * - `GET /experiments`: every experiment with status, dates, branches, last run, periods done
 *   or due, error counts;
 * - `GET /experiments/:slug?window=&segment=&basis=&reference=`: forest plots of every metric's
 *   comparisons, values and client counts, the sample ratio test, errors and Bull Board links.
 * Read-only; links are relative to the mount path (`req.baseUrl`).
 */
export function createResultsRouter(deps: ResultsDeps): Router {
  const router = Router();
  const frameOf = (req: Request) => ({ basePath: req.baseUrl, boardBasePath: deps.boardBasePath });
  const fail = (req: Request, res: Response, e: unknown) => {
    const error = coerceError(e);
    const status = statusOf(error);
    if (status === 500) deps.logger?.error({ err: error, path: req.path }, 'results page failed');
    // The cause of a 500 is logged, never shown: it may name server paths.
    const message =
      status === 500 ? 'The page could not be built. The board log has the cause.' : error.message;
    sendHtml(res, status, renderErrorPage(status, message, frameOf(req)));
  };
  router.get('/experiments', async (req, res) => {
    try {
      sendHtml(res, 200, renderExperimentListPage(await loadExperimentList(deps), frameOf(req)));
    } catch (e) {
      fail(req, res, e);
    }
  });
  router.get('/experiments/:slug', async (req: Request<{ slug: string }>, res) => {
    try {
      const slug = req.params.slug;
      if (!SLUG.test(slug)) {
        throw new BadRequestError(
          `not an experiment slug: ${JSON.stringify(slug)} (letters, digits, - and _)`,
        );
      }
      const model = await loadExperimentPage(deps, slug, parseQuery(req));
      // The page still shows what it could read; 500 says the window asked for is missing.
      sendHtml(
        res,
        model.failedTable === null ? 200 : 500,
        renderExperimentPage(model, { ...frameOf(req), queuePrefix: deps.queuePrefix }),
      );
    } catch (e) {
      fail(req, res, e);
    }
  });
  return router;
}
