import type { IsoDate } from '../../analysis/iso-date.js';
import { assertExperimentSlug } from '../../analysis/sql-identifier.js';
import type { Experiment } from '../experiment.js';
import {
  ExperimentNotFoundError,
  ExperimentParseError,
  type ExperimentSource,
} from '../experiment-source.js';
import {
  ExperimentsFormatError,
  parseExperiment,
  parseExperiments,
  type ParsedExperiments,
} from '../parse-experiments.js';
import { coerceError } from '../../analysis/coerce-error.js';
import { getJson, HttpRequestError, type JsonGetOptions, type WarnLogger } from './http-json.js';
import { EXPERIMENTER_RETRY_POLICY, sleep, type RetryPolicy } from './retry-policy.js';

/** Options of {@link createExperimenterClient}. */
export interface ExperimenterClientOptions {
  /** Experimenter's base URL, e.g. `https://experimenter.services.mozilla.com`. */
  readonly baseUrl: string;
  /** Per-request timeout in ms. @defaultValue 30000 */
  readonly timeoutMs?: number;
  /** Overrides of {@link EXPERIMENTER_RETRY_POLICY} (3 attempts, min(10^i, 180) s). */
  readonly retry?: Partial<RetryPolicy>;
  /** How to wait between attempts. @defaultValue a `setTimeout` sleep */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Receives retries and rejected entries. */
  readonly logger?: WarnLogger;
}

/** The v8 endpoint under a base URL (a path prefix in the base URL is kept). */
function endpoint(baseUrl: string): URL {
  let base: URL;
  try {
    base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  } catch {
    throw new TypeError(`Experimenter URL is not a URL: ${JSON.stringify(baseUrl)}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new TypeError(`Experimenter URL must be http(s): ${JSON.stringify(baseUrl)}`);
  }
  return new URL('api/v8/experiments/', base);
}

function logRejected(parsed: ParsedExperiments, origin: string, logger?: WarnLogger): void {
  for (const entry of parsed.rejected) {
    logger?.warn(
      { experiment: entry.slug, index: entry.index, reason: entry.reason, origin },
      'experiment skipped: it does not parse',
    );
  }
}

/**
 * A client of Experimenter's v8 API (spec/analysis.md §1.1): the experiment list and single
 * experiments by slug, each request with a timeout and retried with capped exponential backoff.
 */
export function createExperimenterClient(options: ExperimenterClientOptions): ExperimentSource {
  const list = endpoint(options.baseUrl);
  const origin = list.href;
  const get: JsonGetOptions = {
    timeoutMs: options.timeoutMs ?? 30_000,
    retry: { ...EXPERIMENTER_RETRY_POLICY, ...options.retry },
    sleep: options.sleep ?? sleep,
    userAgent: 'contrail',
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  };
  return {
    origin,
    async listExperiments(today: IsoDate): Promise<ParsedExperiments> {
      const json = await getJson(origin, get);
      try {
        const parsed = parseExperiments(json, today);
        logRejected(parsed, origin, options.logger);
        return parsed;
      } catch (e) {
        const error = coerceError(e);
        if (error instanceof ExperimentsFormatError) {
          throw new ExperimentsFormatError(`${origin}: ${error.message}`);
        }
        throw error;
      }
    },
    async getExperiment(slug: string, today: IsoDate): Promise<Experiment> {
      const url = new URL(`${encodeURIComponent(assertExperimentSlug(slug))}/`, list).href;
      let json: unknown;
      try {
        json = await getJson(url, get);
      } catch (e) {
        const error = coerceError(e);
        if (error instanceof HttpRequestError && error.status === 404) {
          throw new ExperimentNotFoundError(slug, origin);
        }
        throw error;
      }
      const parsed = parseExperiment(json, today);
      if (!parsed.ok) throw new ExperimentParseError(slug, url, parsed.reason);
      return parsed.experiment;
    },
  };
}
