import { Redis, type RedisOptions } from 'ioredis';

/**
 * Who a connection serves. Workers block on Redis and must never give up a command
 * (`maxRetriesPerRequest: null`, BullMQ requires it); producers and the board fail fast when
 * Redis is down (`enableOfflineQueue: false`) so a command reports the outage instead of hanging.
 */
export type RedisRole = 'worker' | 'producer';

/** Options of {@link createRedisConnection}. */
export interface RedisConnectionOptions {
  readonly url: string;
  readonly role: RedisRole;
  /** Shown in `CLIENT LIST` (Bull Board's worker view). */
  readonly connectionName?: string;
  /** Producer connect timeout in ms. @defaultValue 5000 */
  readonly connectTimeoutMs?: number;
}

/** Reconnect backoff: 50 ms doubling, capped at 2 s (workers reconnect quickly after a restart). */
function retryStrategy(times: number): number {
  return Math.min(50 * 2 ** Math.min(times, 10), 2_000);
}

/**
 * Opens an ioredis connection configured for `role`. The caller owns it and must `quit()` it.
 * An `error` listener is attached so a dropped connection is never an unhandled event; the
 * reconnect loop keeps running.
 */
export function createRedisConnection(options: RedisConnectionOptions): Redis {
  const shared: RedisOptions = {
    retryStrategy,
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    lazyConnect: false,
    ...(options.connectionName === undefined ? {} : { connectionName: options.connectionName }),
  };
  const roleOptions: RedisOptions =
    options.role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false };
  const redis = new Redis(options.url, { ...shared, ...roleOptions });
  redis.on('error', () => {
    // Reported through command failures and the reconnect loop; nothing else to do here.
  });
  return redis;
}

/** Resolves once `redis` is ready, or rejects after `timeoutMs` with a clear message. */
export async function waitForRedis(redis: Redis, url: string, timeoutMs = 5_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new RedisUnavailableError(url));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}

/** Redis did not answer; the message says where contrail looked and how to start one. */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
  constructor(url: string) {
    super(
      `Redis is not reachable at ${redactRedisUrl(url)}; start one (e.g. \`docker compose up -d redis\` ` +
        'or `redis-server --port 6379`) or set REDIS_URL',
    );
  }
}

/** `url` with any password replaced, safe to print and log. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable REDIS_URL)';
  }
}
