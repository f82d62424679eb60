import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Router } from 'express';
import type { Logger } from 'pino';

import { openQueues, type ContrailQueues } from '../queue/contrail-queues.js';
import { createRedisConnection, waitForRedis } from '../queue/redis-connection.js';
import {
  assertBoardExposure,
  hasCredentials,
  isLoopbackHost,
  type BoardAuth,
} from './board-auth.js';
import { BULL_BOARD_BASE_PATH, createBoardApp, type BoardLink } from './board-server.js';
import { originPolicyFor, type OriginPolicy } from './origin-policy.js';
import { parsePublicUrl } from './public-url.js';
import { createQueueMetrics } from './queue-metrics.js';

/** Settings of {@link startBoard}. */
export interface BoardSettings {
  readonly redisUrl: string;
  /** BullMQ prefix of the installation to show. */
  readonly prefix: string;
  readonly auth: BoardAuth;
  /** Allow an unauthenticated board on a loopback host. @defaultValue false */
  readonly insecureLocal?: boolean;
  /** @defaultValue true */
  readonly readOnly?: boolean;
  /**
   * The board's public URLs (behind an ingress or a port mapping): pages on these origins may
   * write to an authenticated board. Ignored without credentials. @defaultValue none
   */
  readonly publicUrls?: readonly string[];
  readonly host: string;
  /** 0 picks a free port (see {@link RunningBoard.url}). */
  readonly port: number;
  /** Extra routers behind the board's authentication (the results pages). */
  readonly routers?: readonly Router[];
  readonly links?: readonly BoardLink[];
  readonly environment?: string;
  readonly logger: Logger;
}

/** A listening board. */
export interface RunningBoard {
  /** Base URL, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  /** Bull Board's URL. */
  readonly boardUrl: string;
  readonly address: AddressInfo;
  readonly queues: ContrailQueues;
  /** Stops listening, then closes the event readers, the queues and the connection. */
  close(): Promise<void>;
}

/**
 * Starts the board: Bull Board, `/metrics` and any extra routers on one HTTP server.
 * @throws BoardAuthError when no credentials are configured and the board is not an explicitly
 * insecure loopback board; PublicUrlError for a bad public URL; RedisUnavailableError when
 * Redis does not answer.
 */
export async function startBoard(settings: BoardSettings): Promise<RunningBoard> {
  assertBoardExposure(settings.auth, settings.host, settings.insecureLocal === true);
  const origins = boardOriginPolicy(settings);
  const connection = createRedisConnection({
    url: settings.redisUrl,
    role: 'producer',
    connectionName: 'contrail-board',
  });
  try {
    await waitForRedis(connection, settings.redisUrl);
  } catch (e) {
    connection.disconnect();
    throw e;
  }
  const queues = openQueues({ connection, prefix: settings.prefix });
  const metrics = createQueueMetrics({
    queues,
    redisUrl: settings.redisUrl,
    logger: settings.logger,
  });
  const app = createBoardApp({
    queues,
    auth: settings.auth,
    origins,
    logger: settings.logger,
    metrics: metrics.registry,
    ...(settings.readOnly === undefined ? {} : { readOnly: settings.readOnly }),
    ...(settings.routers === undefined ? {} : { routers: settings.routers }),
    ...(settings.links === undefined ? {} : { links: settings.links }),
    ...(settings.environment === undefined ? {} : { environment: settings.environment }),
  });
  const closeBackends = async () => {
    await metrics.close();
    await queues.close();
    connection.disconnect();
  };
  let server: Server;
  try {
    await metrics.ready;
    server = await listen(app, settings.port, settings.host);
  } catch (e) {
    await closeBackends();
    throw e;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  return {
    url,
    boardUrl: `${url}${BULL_BOARD_BASE_PATH}`,
    address,
    queues,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await closeBackends();
    },
  };
}

/** The board's origin policy; warns when a writable board can take no write from a browser. */
function boardOriginPolicy(settings: BoardSettings): OriginPolicy {
  const publicOrigins = (settings.publicUrls ?? []).map(parsePublicUrl);
  const policy = originPolicyFor({ auth: settings.auth, host: settings.host, publicOrigins });
  const writable = settings.readOnly === false;
  if (
    writable &&
    hasCredentials(settings.auth) &&
    publicOrigins.length === 0 &&
    !isLoopbackHost(settings.host)
  ) {
    settings.logger.warn(
      { host: settings.host },
      'writable board without a public URL: browser writes will be refused (set --public-url)',
    );
  }
  return policy;
}

function listen(
  app: ReturnType<typeof createBoardApp>,
  port: number,
  host: string,
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => {
      if (error) reject(error);
      else resolve(server);
    });
  });
}
