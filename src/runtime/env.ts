import { z } from 'zod';

/**
 * contrail's configuration from the environment, validated once at start-up by the entry point
 * (DESIGN.md, "Interfaces people rely on"). Nothing below the entry points reads `process.env`.
 */

const positiveInt = z.coerce.number().int().positive();
const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** `host:port`, the host a name, an IPv4 address or a bracketed IPv6 address. */
const HOST_PORT = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(?:[1-9]\d{0,4})$/;

/**
 * Why `value` is not a usable Redis URL (`redis://` or `rediss://`, a host, a port in
 * 1–65535), or null when it is one. Never echoes the value (it may hold a password).
 */
export function redisUrlProblem(value: string): string | null {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(value)?.[1]?.toLowerCase();
  const expected = 'expected redis://[user:password@]host[:port][/db] or rediss://...';
  if (scheme === undefined) return `no redis:// or rediss:// scheme; ${expected}`;
  if (scheme !== 'redis' && scheme !== 'rediss') {
    return `scheme ${scheme}:// is not redis:// or rediss://; ${expected}`;
  }
  const port = /^[^/]*\/\/(?:[^@/]*@)?(?:\[[^\]]*\]|[^:/]*)(?::([^/]*))?/.exec(value)?.[1];
  if (port !== undefined && port !== '' && !/^\d{1,5}$/.test(port)) {
    return `the port is not a number; ${expected}`;
  }
  if (port !== undefined && port !== '' && (Number(port) < 1 || Number(port) > 65_535)) {
    return `port ${port} is outside 1-65535`;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `not a valid URL; ${expected}`;
  }
  if (url.hostname === '') return `no host; ${expected}`;
  return null;
}

const redisUrl = z.string().superRefine((value, context) => {
  const problem = redisUrlProblem(value);
  if (problem !== null) context.addIssue({ code: 'custom', message: problem });
});

/** The schema of every environment variable contrail reads, with defaults. */
export const envSchema = z.object({
  /** Redis for the queues. */
  REDIS_URL: redisUrl.default('redis://127.0.0.1:6379'),
  /** BullMQ key prefix; lets several contrail installations share one Redis. */
  CONTRAIL_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_{}-]+$/, 'letters, digits, _, -, { and } only')
    .default('contrail'),
  /** Which warehouse: the embedded DuckDB folder (default) or BigQuery. */
  CONTRAIL_WAREHOUSE: z.enum(['duckdb', 'bigquery']).default('duckdb'),
  /** Folder of the embedded warehouse. */
  CONTRAIL_WAREHOUSE_DIR: z.string().default('.contrail/warehouse'),
  /** BigQuery project that runs the queries and holds the results dataset. */
  CONTRAIL_BIGQUERY_PROJECT: optionalString,
  /** BigQuery dataset for enrollments, statistics and logs. */
  CONTRAIL_BIGQUERY_DATASET: optionalString,
  /** BigQuery location of the datasets (`US`, `EU`, a region); every job runs there. */
  CONTRAIL_BIGQUERY_LOCATION: optionalString,
  /**
   * BigQuery API root instead of Google's, e.g. a local fake (`http://127.0.0.1:9050`); a
   * loopback endpoint gets a placeholder token instead of Google credentials.
   */
  CONTRAIL_BIGQUERY_API_ENDPOINT: optionalString,
  /**
   * `host:port` of the BigQuery Storage Read API instead of Google's, e.g. a local fake
   * (`127.0.0.1:9060`); required with a loopback CONTRAIL_BIGQUERY_API_ENDPOINT.
   */
  CONTRAIL_BIGQUERY_STORAGE_API_ENDPOINT: optionalString.refine(
    (v) => v === undefined || HOST_PORT.test(v),
    'host:port, e.g. 127.0.0.1:9060 or bigquerystorage.googleapis.com:443',
  ),
  /** Logs table, `dataset.table` or `project.dataset.table` (default `monitoring.logs`). */
  CONTRAIL_BIGQUERY_LOGS_TABLE: optionalString,
  /** Project of the telemetry tables (default `moz-fx-data-shared-prod`). */
  CONTRAIL_BIGQUERY_SOURCE_PROJECT: optionalString,
  /** Byte cap of every BigQuery query job (`maximumBytesBilled`; default 5 TiB). */
  CONTRAIL_BIGQUERY_MAX_BYTES_BILLED: z.coerce
    .number()
    .int()
    .positive()
    .max(Number.MAX_SAFE_INTEGER)
    .optional(),
  /** `jobTimeoutMs` of every BigQuery query job (default 6 hours). */
  CONTRAIL_BIGQUERY_JOB_TIMEOUT_MS: positiveInt.optional(),
  /** Priority of BigQuery query jobs: `INTERACTIVE` (default) or `BATCH` (waits for idle slots). */
  CONTRAIL_BIGQUERY_PRIORITY: z.enum(['INTERACTIVE', 'BATCH']).optional(),
  /** Experimenter base URL (v8 API); when unset, experiments come from CONTRAIL_EXPERIMENTS_FILE. */
  CONTRAIL_EXPERIMENTER_URL: optionalString,
  /** A JSON file in Experimenter v8 format; default: the embedded warehouse's experiments.json. */
  CONTRAIL_EXPERIMENTS_FILE: optionalString,
  /** metric-hub checkout; default: the embedded warehouse's metric-hub folder. */
  CONTRAIL_METRIC_HUB_DIR: optionalString,
  /** Folder for JSON exports. */
  CONTRAIL_EXPORTS_DIR: z.string().default('.contrail/exports'),
  /**
   * `true`: the metric jobs of a window that read the same data source share one query (see
   * docs/architecture.md). Read by the producer (run, rerun, the daily run, demo).
   */
  /** Parallel metric jobs per worker process (one worker thread each). */
  CONTRAIL_WORKER_CONCURRENCY: positiveInt.optional(),
  /** Bull Board and /metrics: a bearer token ... */
  CONTRAIL_BOARD_TOKEN: optionalString,
  /** ... or basic-auth credentials. */
  CONTRAIL_BOARD_USER: optionalString,
  CONTRAIL_BOARD_PASSWORD: optionalString,
  /** The board's public URL(s), comma-separated: origins allowed to write (checked by the board). */
  CONTRAIL_BOARD_PUBLIC_URL: optionalString,
  /** pino level. */
  CONTRAIL_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
});

/** Validated environment. */
export type Env = z.output<typeof envSchema>;

/** Raised when the environment does not validate; lists every bad variable. */
export class EnvError extends Error {
  override readonly name = 'EnvError';
}

/**
 * Validates `source` (normally `process.env`) against {@link envSchema}.
 * @throws EnvError naming each invalid variable and why.
 */
export function parseEnv(source: Readonly<Record<string, string | undefined>>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map(
    (issue) => `  ${issue.path.join('.') || '(environment)'}: ${issue.message}`,
  );
  throw new EnvError(`invalid environment:\n${lines.join('\n')}`);
}
