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

/** How long a command waits for Redis at start-up before it gives up: 3 s. */
export const REDIS_STARTUP_WAIT_MS = 3_000;
/** After this long without a connection, the wait says what it is waiting for. */
const WAIT_NOTICE_AFTER_MS = 500;

/** Options of {@link waitForRedis}. */
export interface WaitForRedisOptions {
  /** @defaultValue {@link REDIS_STARTUP_WAIT_MS} */
  readonly timeoutMs?: number;
  /** Told (once, after 0.5 s without a connection) what the wait is for, e.g. a log line. */
  readonly notice?: (message: string) => void;
}

/**
 * Resolves once `redis` is ready, or rejects after the timeout with a {@link RedisUnavailableError}
 * naming the URL, the wait and the last connection error.
 */
export async function waitForRedis(
  redis: Redis,
  url: string,
  options: number | WaitForRedisOptions = {},
): Promise<void> {
  if (redis.status === 'ready') return;
  const { timeoutMs = REDIS_STARTUP_WAIT_MS, notice } =
    typeof options === 'number' ? { timeoutMs: options } : options;
  let lastError: string | null = null;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new RedisUnavailableError(url, { waitedMs: timeoutMs, lastError }));
    }, timeoutMs);
    const noticeTimer = setTimeout(() => {
      notice?.(
        `waiting up to ${timeoutMs / 1000} s for Redis at ${redactRedisUrl(url)} (REDIS_URL)`,
      );
    }, WAIT_NOTICE_AFTER_MS);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const onError = (error: Error) => {
      lastError = error.message;
    };
    const cleanup = () => {
      clearTimeout(timer);
      clearTimeout(noticeTimer);
      redis.off('ready', onReady);
      redis.off('error', onError);
    };
    redis.on('ready', onReady);
    redis.on('error', onError);
  });
}

/**
 * Fails fast when Redis does not answer at `url`: opens a producer connection, waits for it
 * ({@link waitForRedis}) and closes it. Long-running commands (`worker`) call it before they
 * start, so an unreachable Redis is one clear error and exit 1, not an endless reconnect loop.
 */
export async function requireRedis(url: string, options: WaitForRedisOptions = {}): Promise<void> {
  const probe = createRedisConnection({ url, role: 'producer', connectionName: 'contrail-probe' });
  try {
    await waitForRedis(probe, url, options);
  } finally {
    probe.disconnect();
  }
}

/** Redis did not answer; the message says where contrail looked and how to start one. */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
  constructor(url: string, wait: { waitedMs?: number; lastError?: string | null } = {}) {
    const waited = wait.waitedMs === undefined ? '' : ` after ${wait.waitedMs / 1000} s`;
    const last = wait.lastError == null ? '' : ` (${wait.lastError})`;
    super(
      `Redis is not reachable at ${redactRedisUrl(url)}${waited}${last}; start one ` +
        '(e.g. `docker compose up -d redis` or `redis-server --port 6379`) or set REDIS_URL',
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
