import { pino, type Logger } from 'pino';

/** Context fields contrail attaches to log lines (all optional). */
export interface LogContext {
  experiment?: string;
  date?: string;
  period?: string;
  window?: number;
  metric?: string;
  statistic?: string;
  segment?: string;
  basis?: string;
  job?: string;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  level: string;
  /** Human-readable lines instead of JSON; default: when stderr is a TTY. */
  pretty?: boolean;
  /** Where lines go; default stderr (stdout stays free for command output). */
  destination?: NodeJS.WritableStream;
}

/** Keys whose values never reach a log line. */
const REDACTED_PATHS = [
  'password',
  'token',
  'authorization',
  'headers.authorization',
  '*.password',
  '*.token',
  '*.authorization',
  'redisUrl',
  'env.CONTRAIL_BOARD_TOKEN',
  'env.CONTRAIL_BOARD_PASSWORD',
  'env.REDIS_URL',
];

/**
 * A pino logger: JSON lines in production, readable lines with `pretty` (or on a TTY).
 * Add context with `logger.child({ experiment, period, metric })`.
 */
export function createLogger(options: LoggerOptions): Logger {
  const pretty = options.pretty ?? process.stderr.isTTY === true;
  const base = {
    level: options.level,
    base: { pid: process.pid },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  if (pretty) {
    return pino({
      ...base,
      transport: {
        target: 'pino-pretty',
        options: {
          destination: 2,
          colorize: process.stderr.isTTY === true,
          ignore: 'pid,hostname',
        },
      },
    });
  }
  return pino(base, options.destination ?? pino.destination({ fd: 2, sync: false }));
}

export type { Logger };
