import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Json } from '@duckdb/node-api';
import { coerceError } from '../../../src/analysis/coerce-error.js';
import { FakeApiError } from './fake-api-error.js';
import { FakeCatalog } from './fake-catalog.js';
import { FakeDatabase } from './fake-database.js';
import {
  FailureRules,
  handleRequest,
  send,
  type InjectedFailure,
  type RecordedRequest,
} from './fake-http.js';
import type { FakeJobRecord } from './fake-job.js';
import { FakeJobs, type FakeJobOptions } from './fake-jobs.js';
import { createRouter } from './fake-router.js';
import { FakeTables } from './fake-tables.js';
import {
  startFakeStorageRead,
  type FakeStorageRead,
  type ReadRowsFailure,
  type RecordedReadRows,
  type RecordedReadSession,
  type StorageReadSettings,
} from './fake-storage-read.js';

export type { InjectedFailure, RecordedRequest } from './fake-http.js';
export type { FakeJobRecord } from './fake-job.js';
export type {
  ReadRowsFailure,
  RecordedReadRows,
  RecordedReadSession,
  StorageReadSettings,
} from './fake-storage-read.js';

/** Options of {@link startFakeBigQuery}. */
export interface FakeBigQueryOptions {
  /** Location of every dataset. @defaultValue `US` */
  readonly location?: string;
  /** Most rows per result page. @defaultValue 100000 */
  readonly maxPageRows?: number;
  /** Reject requests without a bearer token with 401. @defaultValue true */
  readonly requireAuth?: boolean;
}

/** A running fake BigQuery v2 REST API on 127.0.0.1 (see index.ts). */
export interface FakeBigQuery {
  /** `http://127.0.0.1:<port>`: pass as the client's `apiEndpoint`. */
  readonly url: string;
  /** Every request received so far, oldest first (live). */
  readonly requests: RecordedRequest[];
  /**
   * Behaviour knobs, changeable at any time: `pendingPolls` (getQueryResults answers
   * `jobComplete: false` that often for each new query job), `runningPolls` (jobs.get answers
   * `RUNNING` that often for each new job), `maxPageRows`.
   */
  readonly settings: FakeJobOptions;
  /**
   * Every job the fake keeps (query and load jobs; dry runs make none), oldest first, as they
   * are now: id, labels, priority, byte cap, timeout, statement, state, cancelled, bytes.
   */
  readonly jobs: readonly FakeJobRecord[];
  /** `127.0.0.1:<port>` of the Storage Read API (gRPC): pass as `storageApiEndpoint`. */
  readonly storageEndpoint: string;
  /** Every `CreateReadSession` so far: table, selected fields, restriction (live). */
  readonly readSessions: readonly RecordedReadSession[];
  /** Every `ReadRows` call so far: stream, offset, rows sent, outcome (live). */
  readonly readRowsCalls: readonly RecordedReadRows[];
  /** Storage Read knobs: `batchRows`, `maxStreams`, `reuseSnapshots`, `sendDelayMs`, `requireAuth`. */
  readonly storageSettings: StorageReadSettings;
  /** Ends the next `count` `ReadRows` calls with `failure.code` (UNAVAILABLE) after `afterRows`. */
  failNextReadRows(count: number, failure?: ReadRowsFailure): void;
  /** Answers the next `count` (matching) requests with `failure` instead of handling them. */
  failNext(count: number, failure?: InjectedFailure): void;
  /** Forgets recorded requests, read sessions and pending failures. */
  reset(): void;
  /** Runs DuckDB SQL on the fake's storage (datasets are schemas) and returns the rows. */
  sql(duckDbSql: string): Promise<Record<string, Json>[]>;
  /** Stops the server and closes the database. */
  stop(): Promise<void>;
}

/**
 * Starts the fake on a random loopback port. Every request is recorded; storage is an
 * in-memory DuckDB that runs the BigQuery SQL it receives through the project's own
 * `toDuckDbSql` / `duckDbPrelude`.
 */
export async function startFakeBigQuery(options: FakeBigQueryOptions = {}): Promise<FakeBigQuery> {
  const db = await FakeDatabase.open();
  const settings: FakeJobOptions = {
    location: options.location ?? 'US',
    maxPageRows: options.maxPageRows ?? 100_000,
    pendingPolls: 0,
    runningPolls: 0,
  };
  const catalog = new FakeCatalog(settings.location, Date.now);
  const jobs = new FakeJobs(db, catalog, settings);
  const route = createRouter(jobs, new FakeTables(db, catalog, settings), db);
  const requests: RecordedRequest[] = [];
  const failures = new FailureRules();
  const parts = { route, requests, failures, requireAuth: options.requireAuth !== false };
  const server = createServer((req, res) => {
    handleRequest(parts, req, res).catch((e: unknown) =>
      send(res, 500, new FakeApiError(500, 'internalError', coerceError(e).message).body()),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const storage: FakeStorageRead = await startFakeStorageRead(db, {
    requireAuth: parts.requireAuth,
  });
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    settings,
    get jobs() {
      return jobs.records();
    },
    storageEndpoint: storage.endpoint,
    readSessions: storage.sessions.recorded,
    readRowsCalls: storage.readRowsCalls,
    storageSettings: storage.settings,
    failNextReadRows: (count, failure) => storage.failNextReadRows(count, failure),
    failNext: (count, failure = {}) => failures.add(count, failure),
    reset() {
      requests.length = 0;
      failures.clear();
      storage.reset();
    },
    async sql(duckDbSql) {
      const result = await db.exclusive(() => db.read(duckDbSql));
      return result.rows.map((row) =>
        Object.fromEntries(result.names.map((name, i) => [name, row[i] ?? null])),
      );
    },
    async stop() {
      await storage.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.exclusive(() => Promise.resolve(db.close()));
    },
  };
}
