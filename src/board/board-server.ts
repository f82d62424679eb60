import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

import type { ContrailQueues } from '../queue/contrail-queues.js';
import { QUEUE_NAMES } from '../queue/queue-names.js';
import { coerceError } from '../analysis/coerce-error.js';
import { acceptedHostsOnly } from './accepted-hosts-only.js';
import { requireAuth, type BoardAuth } from './board-auth.js';
import type { OriginPolicy } from './origin-policy.js';
import { readOnlyWrites } from './read-only-writes.js';
import { sameOriginWrites } from './same-origin-writes.js';

/** Where Bull Board is served. */
export const BULL_BOARD_BASE_PATH = '/admin/queues';

/** Where the Prometheus metrics are served. */
export const METRICS_PATH = '/metrics';

/** A link shown in Bull Board's header menu (e.g. to the results pages). */
export interface BoardLink {
  readonly text: string;
  readonly url: string;
}

/** Options of {@link createBoardApp}. */
export interface BoardAppOptions {
  /** Every contrail queue (all are registered, so flow trees across queues are complete). */
  readonly queues: ContrailQueues;
  readonly auth: BoardAuth;
  /** Which `Host` headers the board answers and which origins may write (see originPolicyFor). */
  readonly origins: OriginPolicy;
  /**
   * Bull Board's write endpoints (retry, remove, promote, clean, pause, add, scheduler edits),
   * and any other non-read request to it, answer 405 unless this is false. @defaultValue true
   */
  readonly readOnly?: boolean;
  /** Prometheus registry served at {@link METRICS_PATH}. */
  readonly metrics: Registry;
  /**
   * Extra routers mounted at `/` behind the same authentication, in order (the results pages:
   * `/experiments`, `/experiments/:slug`). `/` redirects to Bull Board unless one of them
   * answers it.
   */
  readonly routers?: readonly Router[];
  /** Links added to Bull Board's menu. */
  readonly links?: readonly BoardLink[];
  /** Label shown in Bull Board's header (e.g. `production`). */
  readonly environment?: string;
  /** Logs requests that failed inside the board. @defaultValue no logging */
  readonly logger?: Pick<Logger, 'error'>;
}

/**
 * The board's express app: a `Host` check (boards without credentials answer only loopback
 * names), authentication on every route (Bull Board UI and API, `/metrics`, extra routers), a
 * cross-origin guard on writes, Bull Board at {@link BULL_BOARD_BASE_PATH}, Prometheus metrics
 * at {@link METRICS_PATH}, and a last error handler that answers without details.
 */
export function createBoardApp(options: BoardAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(acceptedHostsOnly(options.origins));
  app.use(requireAuth(options.auth));
  app.use(sameOriginWrites(options.origins));
  app.get(METRICS_PATH, (_request, response, next) => {
    options.metrics
      .metrics()
      .then((text) => response.type(options.metrics.contentType).send(text))
      .catch(next);
  });
  if (options.readOnly ?? true) app.use(BULL_BOARD_BASE_PATH, readOnlyWrites());
  app.use(BULL_BOARD_BASE_PATH, bullBoardRouter(options));
  for (const router of options.routers ?? []) app.use('/', router);
  app.get('/', (_request, response) => response.redirect(BULL_BOARD_BASE_PATH));
  app.use((_request, response) => {
    response.status(404).type('text/plain').send('not found\n');
  });
  app.use(quietErrors(options.logger));
  return app;
}

/**
 * The last error handler: logs the error and answers a short plain text, never express's
 * default page (which shows the stack trace and server paths outside production).
 */
function quietErrors(logger: BoardAppOptions['logger']): ErrorRequestHandler {
  return (e: unknown, request, response, next) => {
    const error = coerceError(e);
    if (response.headersSent) {
      next(error);
      return;
    }
    const status = httpStatusOf(error);
    if (status >= 500) logger?.error({ err: error, path: request.path }, 'board request failed');
    response
      .status(status)
      .type('text/plain')
      .send(status >= 500 ? 'internal error\n' : 'bad request\n');
  };
}

/** The 4xx status a body parser or router attached to an error, else 500. */
function httpStatusOf(error: Error): number {
  const status = (error as Error & { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
}

/** Bull Board over every contrail queue, read-only unless `readOnly` is false. */
function bullBoardRouter(options: BoardAppOptions): Router {
  const readOnlyMode = options.readOnly ?? true;
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_BASE_PATH);
  createBullBoard({
    queues: QUEUE_NAMES.map(
      (name) =>
        new BullMQAdapter(options.queues.queues[name], {
          readOnlyMode,
          allowRetries: !readOnlyMode,
          description: QUEUE_DESCRIPTIONS[name],
        }),
    ),
    serverAdapter,
    options: {
      uiConfig: {
        boardTitle: 'contrail',
        hideDocsLink: true,
        sortQueues: false,
        miscLinks: [...(options.links ?? [])],
        ...(options.environment === undefined
          ? {}
          : { environment: { label: options.environment, color: '#b45309' } }),
      },
    },
  });
  return serverAdapter.getRouter() as Router;
}

/** What each queue holds, shown under its name. */
const QUEUE_DESCRIPTIONS: Readonly<Record<(typeof QUEUE_NAMES)[number], string>> = {
  orchestrator: 'daily-run jobs of the job scheduler (plans and enqueues a run)',
  enrollments: 'one per experiment and run: enrollments table, then the experiment flow',
  metric:
    'worker threads: one metrics-table job per window and basis (the only telemetry scans), then one per experiment, window and metric',
  finalize: 'one per window: statistics table from the metric children',
  export: 'one per experiment and run: JSON exports (flow root)',
};
