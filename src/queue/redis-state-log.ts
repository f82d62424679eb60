import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

import { redactRedisUrl } from './redis-connection.js';

/** Error codes and messages of a connection that is down (as opposed to a failed command). */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
]);
const CONNECTION_MESSAGE = /Connection is closed|Stream isn't writeable|connect ETIMEDOUT/;

/** True when `error` says the connection to Redis is down, not that a command failed. */
export function isRedisConnectionError(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    (typeof code === 'string' && CONNECTION_CODES.has(code)) ||
    CONNECTION_MESSAGE.test(error.message)
  );
}

/**
 * Logs a long-running process's Redis outages once per change of state — `Redis connection
 * lost` (warn) at the first connection error, `Redis connection restored` (info, with the
 * outage's length and the connection errors seen) once every watched connection is ready again —
 * instead of one stack trace per reconnect attempt and connection.
 */
export interface RedisStateLog {
  /** Follows a connection's errors and readiness. */
  watch(redis: Redis): void;
  /**
   * Takes an error raised elsewhere (a BullMQ worker's `error` event). Returns true when it was
   * a connection error (counted, and logged only if it starts an outage); false when the caller
   * should log it itself.
   */
  report(error: Error): boolean;
}

/** A {@link RedisStateLog} writing to `logger`; `url` is redacted before it is logged. */
export function createRedisStateLog(
  logger: Logger,
  url: string,
  now: () => number = Date.now,
): RedisStateLog {
  const watched: Redis[] = [];
  let downSince: number | null = null;
  let connectionErrors = 0;
  const redis = redactRedisUrl(url);
  const report = (error: Error): boolean => {
    if (!isRedisConnectionError(error)) return false;
    connectionErrors++;
    if (downSince === null) {
      downSince = now();
      connectionErrors = 1;
      logger.warn(
        { redis, reason: error.message },
        'Redis connection lost; reconnecting (logged again when it is restored)',
      );
    }
    return true;
  };
  const onReady = (): void => {
    if (downSince === null || !watched.every((r) => r.status === 'ready')) return;
    logger.info(
      { redis, downMs: now() - downSince, connectionErrors },
      'Redis connection restored',
    );
    downSince = null;
  };
  return {
    watch(connection) {
      watched.push(connection);
      connection.on('error', report);
      connection.on('ready', onReady);
    },
    report,
  };
}
