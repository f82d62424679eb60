import type { Command } from 'commander';
import type { Router } from 'express';
import type { Logger } from 'pino';

import { coerceError } from '../../analysis/coerce-error.js';
import { BoardAuthError, boardAuthFromEnv } from '../../board/board-auth.js';
import { BULL_BOARD_BASE_PATH, type BoardLink } from '../../board/board-server.js';
import { parsePublicUrlList, PublicUrlError } from '../../board/public-url.js';
import { openResultsDeps } from '../../board/results/open-results-deps.js';
import { createResultsRouter } from '../../board/results/results-router.js';
import { startBoard } from '../../board/start-board.js';
import type { Env } from '../../runtime/env.js';
import type { CliContext } from '../cli-context.js';
import { CommandFailure } from '../exit-codes.js';
import type { BoardOptions } from './board.js';

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
 * The public URLs: `--public-url` when given, else `CONTRAIL_BOARD_PUBLIC_URL`.
 * @throws CommandFailure naming the variable when it holds a bad URL.
 */
function publicUrlsOf(env: Env, options: BoardOptions): readonly string[] {
  if (options.publicUrl !== undefined) return options.publicUrl;
  try {
    return parsePublicUrlList(env.CONTRAIL_BOARD_PUBLIC_URL ?? '');
  } catch (e) {
    const error = coerceError(e);
    if (error instanceof PublicUrlError) {
      throw new CommandFailure(`CONTRAIL_BOARD_PUBLIC_URL: ${error.message}`);
    }
    throw error;
  }
}

/** The board command's action: serves until SIGTERM/SIGINT, then closes everything. */
export async function serveBoard(
  context: CliContext,
  program: Command,
  options: BoardOptions,
): Promise<void> {
  const env = context.env();
  const logger = context.logger(program);
  const publicUrls = publicUrlsOf(env, options);
  const extra = await extraRouters(env, logger);
  try {
    const board = await startBoard({
      redisUrl: env.REDIS_URL,
      prefix: env.CONTRAIL_QUEUE_PREFIX,
      auth: boardAuthFromEnv(env),
      insecureLocal: options.insecureLocal === true,
      readOnly: options.writable !== true,
      publicUrls,
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
}

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
