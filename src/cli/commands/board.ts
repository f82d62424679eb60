import { InvalidArgumentError } from 'commander';

import { parsePublicUrl, PublicUrlError } from '../../board/public-url.js';

import type { RegisterCommand } from './index.js';

/** Options of `contrail board`. */
export interface BoardOptions {
  readonly port: number;
  readonly host: string;
  readonly insecureLocal?: boolean;
  readonly writable?: boolean;
  readonly environment?: string;
  /** Origins of `--public-url`, validated. */
  readonly publicUrl?: readonly string[];
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) {
    throw new InvalidArgumentError('expected a port from 0 to 65535');
  }
  return n;
}

/** Collects each `--public-url` as its origin; a bad one is a usage error (exit 2). */
function collectPublicUrl(value: string, previous: readonly string[] = []): string[] {
  try {
    return [...previous, parsePublicUrl(value)];
  } catch (e) {
    if (e instanceof PublicUrlError) throw new InvalidArgumentError(e.message);
    throw e;
  }
}

/**
 * `contrail board [--port 3000] [--host 127.0.0.1] [--writable] [--insecure-local]`: Bull Board
 * over every contrail queue (flows, the job scheduler), Prometheus `/metrics`, and the results
 * pages, behind a bearer token (CONTRAIL_BOARD_TOKEN) or basic auth (CONTRAIL_BOARD_USER and
 * CONTRAIL_BOARD_PASSWORD). Read-only unless `--writable`; browser writes only from the board's
 * loopback origins or its `--public-url`s. Runs until SIGTERM/SIGINT.
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
    .option(
      '--public-url <url>',
      'public URL of the board (repeatable; default CONTRAIL_BOARD_PUBLIC_URL): pages there may write',
      collectPublicUrl,
    )
    .option('--environment <label>', 'label shown in the board header (e.g. production)')
    .action(async (options: BoardOptions) => {
      // Loaded here, not at start-up: other commands do not pay for express and Bull Board.
      const { serveBoard } = await import('./board-serve.js');
      await serveBoard(context, program, options);
    });
};
