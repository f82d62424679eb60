import { InvalidArgumentError } from 'commander';
import type { Router } from 'express';
import type { Logger } from 'pino';

import { coerceError } from '../../analysis/coerce-error.js';
import { BoardAuthError, boardAuthFromEnv } from '../../board/board-auth.js';
import { BULL_BOARD_BASE_PATH, type BoardLink } from '../../board/board-server.js';
import { openResultsDeps } from '../../board/results/open-results-deps.js';
import { createResultsRouter } from '../../board/results/results-router.js';
import { startBoard } from '../../board/start-board.js';
import type { Env } from '../../runtime/env.js';
import { CommandFailure } from '../exit-codes.js';
import type { RegisterCommand } from './index.js';

interface BoardOptions {
  readonly port: number;
  readonly host: string;
  readonly insecureLocal?: boolean;
  readonly writable?: boolean;
  readonly environment?: string;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) {
    throw new InvalidArgumentError('expected a port from 0 to 65535');
  }
  return n;
}

/** Routers mounted behind the board's authentication, with their menu links. */
interface ExtraRouters {
  readonly routers: readonly Router[];
  readonly links: readonly BoardLink[];
  close(): Promise<void>;
}

/**
 * MOUNT POINT of extra pages served by the board (the results pages of GitHub issue #8:
 * `createResultsRouter({ warehouse, boardBasePath, ... })` from `src/board/results/results-router.ts`,
 * serving `/experiments` and `/experiments/:slug`). Everything returned here sits behind the
 * board's authentication; `close` releases what the routers opened (the warehouse).
 */
async function extraRouters(env: Env, logger: Logger): Promise<ExtraRouters> {
  const results = await openResultsDeps(env, logger, { boardBasePath: BULL_BOARD_BASE_PATH });
  return {
    routers: [createResultsRouter(results.deps)],
    links: [{ text: 'Results', url: '/experiments' }],
    close: () => results.close(),
  };
}

/**
 * `contrail board [--port 3000] [--host 127.0.0.1] [--writable] [--insecure-local]`: Bull Board
 * over every contrail queue (flows, the job scheduler), Prometheus `/metrics`, and the results
 * pages, behind a bearer token (CONTRAIL_BOARD_TOKEN) or basic auth (CONTRAIL_BOARD_USER and
 * CONTRAIL_BOARD_PASSWORD). Read-only unless `--writable`. Runs until SIGTERM/SIGINT.
 */
export const registerBoardCommand: RegisterCommand = (program, context) => {
  program
    .command('board')
    .description(
      'serve Bull Board, /metrics and the results pages (authenticated, read-only by default)',
    )
    .option('--port <port>', 'TCP port (0 picks a free one)', parsePort, 3000)
    .option('--host <host>', 'address to bind (0.0.0.0 in a container)', '127.0.0.1')
    .option('--writable', 'allow write actions (retry, remove, promote, clean, pause, ...)')
    .option('--insecure-local', 'allow a board without credentials on a loopback host')
    .option('--environment <label>', 'label shown in the board header (e.g. production)')
    .action(async (options: BoardOptions) => {
      const env = context.env();
      const logger = context.logger(program);
      const extra = await extraRouters(env, logger);
      try {
        const board = await startBoard({
          redisUrl: env.REDIS_URL,
          prefix: env.CONTRAIL_QUEUE_PREFIX,
          auth: boardAuthFromEnv(env),
          insecureLocal: options.insecureLocal === true,
          readOnly: options.writable !== true,
          host: options.host,
          port: options.port,
          routers: extra.routers,
          links: extra.links,
          ...(options.environment === undefined ? {} : { environment: options.environment }),
          logger,
        });
        const mode = options.writable === true ? 'writable' : 'read-only';
        context.stdout.write(
          `board listening on ${board.boardUrl} (${mode}); metrics at ${board.url}/metrics\n`,
        );
        logger.info({ url: board.url, mode }, 'board ready');
        await untilSignal(logger);
        await board.close();
      } catch (e) {
        const error = coerceError(e);
        if (error instanceof BoardAuthError) throw new CommandFailure(error.message);
        throw error;
      } finally {
        await extra.close();
      }
    });
};

function untilSignal(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'board shutting down');
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
