import { setTimeout as sleep } from 'node:timers/promises';
import { BigQuery } from '@google-cloud/bigquery';
import { OAuth2Client } from 'google-auth-library';
import { safeIdentifier } from '../../analysis/sql-identifier.js';
import {
  DEFAULT_JOB_TIMEOUT_MS,
  DEFAULT_MAXIMUM_BYTES_BILLED,
  type BigQueryConnectionOptions,
} from './bigquery-options.js';

/** What every BigQuery operation works with. */
export interface BigQueryContext {
  readonly client: BigQuery;
  readonly projectId: string;
  /** The results dataset (validated). */
  readonly dataset: string;
  readonly location: string | undefined;
  readonly now: () => number;
  readonly pollIntervalMs: number;
  readonly queryTimeoutMs: number;
  readonly pageSize: number | undefined;
  /** Byte cap of every query job (`maximumBytesBilled`). */
  readonly maximumBytesBilled: number;
  /** `jobTimeoutMs` of every query job. */
  readonly jobTimeoutMs: number;
  /** Priority of query jobs whose `JobContext` names none. */
  readonly priority: 'INTERACTIVE' | 'BATCH';
  readonly sleep: (ms: number) => Promise<void>;
}

/** True for `http://127.0.0.1:…`, `http://localhost:…` and `http://[::1]:…`. */
export function isLoopbackEndpoint(apiEndpoint: string | undefined): boolean {
  if (apiEndpoint === undefined) return false;
  try {
    const host = new URL(apiEndpoint).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return false;
  }
}

/**
 * A client holding a fixed bearer token and no refresh token or expiry, so it never refreshes,
 * never reads Application Default Credentials and never probes the metadata server.
 */
export function staticTokenAuthClient(token: string): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: token });
  return client;
}

/** Builds the client and context from the options (no request is made). */
export function createBigQueryContext(options: BigQueryConnectionOptions): BigQueryContext {
  const dataset = safeIdentifier(options.dataset, 'dataset name');
  const authClient =
    options.authClient ??
    (isLoopbackEndpoint(options.apiEndpoint) ? staticTokenAuthClient('contrail-local') : undefined);
  const client = new BigQuery({
    projectId: options.projectId,
    ...(options.location === undefined ? {} : { location: options.location }),
    ...(options.apiEndpoint === undefined ? {} : { apiEndpoint: options.apiEndpoint }),
    ...(authClient === undefined ? {} : { authClient }),
    autoRetry: options.autoRetry ?? true,
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
  });
  return {
    client,
    projectId: options.projectId,
    dataset,
    location: options.location,
    now: options.now ?? Date.now,
    pollIntervalMs: options.pollIntervalMs ?? 500,
    queryTimeoutMs: options.queryTimeoutMs ?? 10_000,
    pageSize: options.pageSize,
    maximumBytesBilled: options.maximumBytesBilled ?? DEFAULT_MAXIMUM_BYTES_BILLED,
    jobTimeoutMs: options.jobTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS,
    priority: options.priority ?? 'INTERACTIVE',
    sleep: (ms) => sleep(ms),
  };
}

/** `last_updated` as jetstream writes it: unix seconds, as a string. */
export function lastUpdatedLabel(now: () => number): string {
  return String(Math.floor(now() / 1000));
}
