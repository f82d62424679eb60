import { coerceError } from '../../analysis/coerce-error.js';
import { backoffDelayMs, type RetryPolicy } from './retry-policy.js';

/** A minimal logger port (pino's `Logger` fits). */
export interface WarnLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

/** Raised when a GET fails for good: an HTTP error status, a timeout, or an unusable body. */
export class HttpRequestError extends Error {
  override readonly name = 'HttpRequestError';
  readonly url: string;
  /** HTTP status, or null when no response arrived (network error, timeout). */
  readonly status: number | null;
  /** Whether another attempt could succeed (5xx, 408, 429, timeouts, network errors). */
  readonly retryable: boolean;
  /** The failure without the `GET <url>:` prefix. */
  readonly detail: string;

  constructor(
    url: string,
    status: number | null,
    retryable: boolean,
    detail: string,
    cause?: Error,
  ) {
    super(`GET ${url}: ${detail}`, cause === undefined ? undefined : { cause });
    this.url = url;
    this.detail = detail;
    this.status = status;
    this.retryable = retryable;
  }
}

/** How to GET JSON. */
export interface JsonGetOptions {
  /** Per-attempt timeout, covering the body too. */
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly sleep: (ms: number) => Promise<void>;
  readonly logger?: WarnLogger;
  readonly userAgent: string;
}

function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

async function attemptGet(url: string, options: JsonGetOptions): Promise<unknown> {
  let response: Response;
  let body: string;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json', 'user-agent': options.userAgent },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    body = await response.text();
  } catch (e) {
    const error = coerceError(e);
    const timedOut = error.name === 'TimeoutError' || error.name === 'AbortError';
    const message = timedOut ? `no answer within ${options.timeoutMs} ms` : error.message;
    throw new HttpRequestError(url, null, true, message, error);
  }
  if (!response.ok) {
    const message = `HTTP ${response.status} ${response.statusText}`.trim();
    throw new HttpRequestError(url, response.status, isRetryableStatus(response.status), message);
  }
  try {
    return JSON.parse(body) as unknown;
  } catch (e) {
    const error = coerceError(e);
    throw new HttpRequestError(url, response.status, true, `invalid JSON: ${error.message}`, error);
  }
}

/**
 * GETs `url` and parses its JSON body, retrying retryable failures with capped exponential
 * backoff (see {@link backoffDelayMs}).
 * @throws HttpRequestError with the last failure: at once for a non-retryable status (e.g.
 * 404), after the last attempt otherwise.
 */
export async function getJson(url: string, options: JsonGetOptions): Promise<unknown> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await attemptGet(url, options);
    } catch (e) {
      const error = coerceError(e);
      const last = attempt + 1 >= options.retry.attempts;
      if (!(error instanceof HttpRequestError) || !error.retryable) throw error;
      if (last) {
        throw new HttpRequestError(
          url,
          error.status,
          false,
          `failed after ${attempt + 1} attempts: ${error.detail}`,
          error,
        );
      }
      const delayMs = backoffDelayMs(options.retry, attempt);
      options.logger?.warn({ url, attempt: attempt + 1, delayMs, error: error.detail }, 'retrying');
      await options.sleep(delayMs);
    }
  }
}
