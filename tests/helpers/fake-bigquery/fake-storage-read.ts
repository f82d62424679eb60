import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Server,
  ServerCredentials,
  status,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServerWritableStream,
} from '@grpc/grpc-js';
import { coerceError } from '../../../src/analysis/coerce-error.js';
import { batchMessage, type ArrowBatch } from './arrow-batches.js';
import type { FakeDatabase } from './fake-database.js';
import {
  FakeReadSessions,
  GrpcStatusError,
  type CreateReadSessionRequest,
  type FakeReadStream,
  type ReadSessionSettings,
} from './fake-read-sessions.js';
import { bigQueryReadService } from './storage-read-protos.js';

export type { RecordedReadSession } from './fake-read-sessions.js';

/** One `ReadRows` call as the fake saw it. */
export interface RecordedReadRows {
  readonly stream: string;
  readonly offset: number;
  /** Rows sent so far (live). */
  rowsSent: number;
  /** `open` while streaming; then how it ended. */
  outcome: 'open' | 'done' | 'failed' | 'cancelled';
}

/** A failure injected into the next `ReadRows` calls. */
export interface ReadRowsFailure {
  /** Rows to send before failing (the failure lands on the next batch boundary). @defaultValue 0 */
  readonly afterRows?: number;
  /** gRPC status to end the call with. @defaultValue UNAVAILABLE */
  readonly code?: status;
}

/** Behaviour knobs of the Storage Read fake. */
export interface StorageReadSettings extends ReadSessionSettings {
  /** Pause before each `ReadRows` response, in ms (lets tests abort mid-stream). @defaultValue 0 */
  sendDelayMs: number;
  /** Reject calls without an `authorization: Bearer …` header with UNAUTHENTICATED. */
  requireAuth: boolean;
}

/** The running gRPC side of the fake. */
export interface FakeStorageRead {
  /** `127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly sessions: FakeReadSessions;
  readonly readRowsCalls: RecordedReadRows[];
  readonly settings: StorageReadSettings;
  failNextReadRows(count: number, failure?: ReadRowsFailure): void;
  reset(): void;
  stop(): Promise<void>;
}

interface ReadRowsRequest {
  readonly readStream: string;
  readonly offset: number;
}

type ReadRowsCall = ServerWritableStream<ReadRowsRequest, Record<string, unknown>>;

function grpcError(e: unknown): { code: status; details: string } {
  const error = coerceError(e);
  if (error instanceof GrpcStatusError) return { code: error.code, details: error.details };
  return { code: status.INTERNAL, details: error.message };
}

function authorized(
  call: { metadata: { get(key: string): unknown[] } },
  settings: StorageReadSettings,
): boolean {
  if (!settings.requireAuth) return true;
  const value = call.metadata.get('authorization')[0];
  return typeof value === 'string' && value.startsWith('Bearer ');
}

/** The batches of a stream from row `offset` on, the first cut when the offset falls inside it. */
function batchesFrom(stream: FakeReadStream, offset: number): ArrowBatch[] {
  const out: ArrowBatch[] = [];
  let start = 0;
  for (const entry of stream.batches) {
    const end = start + entry.rows;
    if (end > offset) {
      if (offset <= start) {
        out.push(entry);
      } else {
        const batch = entry.batch.slice(offset - start, entry.rows);
        out.push({
          batch,
          bytes: batchMessage(stream.snapshot.schema, batch),
          rows: batch.numRows,
        });
      }
    }
    start = end;
  }
  if (offset > start) {
    throw new GrpcStatusError(
      status.OUT_OF_RANGE,
      `offset ${offset} is past the stream's ${start} rows`,
    );
  }
  return out;
}

async function write(call: ReadRowsCall, message: Record<string, unknown>): Promise<void> {
  if (call.write(message)) return;
  await Promise.race([once(call, 'drain'), once(call, 'cancelled')]);
}

class StorageReadHandlers {
  readonly readRowsCalls: RecordedReadRows[] = [];
  readonly failures: ReadRowsFailure[] = [];
  readonly sessions: FakeReadSessions;
  readonly settings: StorageReadSettings;

  constructor(sessions: FakeReadSessions, settings: StorageReadSettings) {
    this.sessions = sessions;
    this.settings = settings;
  }

  createReadSession(
    call: ServerUnaryCall<CreateReadSessionRequest, Record<string, unknown>>,
    callback: sendUnaryData<Record<string, unknown>>,
  ): void {
    if (!authorized(call, this.settings)) {
      callback({ code: status.UNAUTHENTICATED, details: 'no bearer token' });
      return;
    }
    this.sessions.create(call.request).then(
      (session) => callback(null, session),
      (e: unknown) => callback(grpcError(e)),
    );
  }

  readRows(call: ReadRowsCall): void {
    const record: RecordedReadRows = {
      stream: call.request.readStream,
      offset: call.request.offset,
      rowsSent: 0,
      outcome: 'open',
    };
    this.readRowsCalls.push(record);
    call.on('cancelled', () => {
      if (record.outcome === 'open') record.outcome = 'cancelled';
    });
    this.stream(call, record).catch((e: unknown) => {
      if (record.outcome === 'open') record.outcome = 'failed';
      call.emit('error', grpcError(e));
    });
  }

  private async stream(call: ReadRowsCall, record: RecordedReadRows): Promise<void> {
    if (!authorized(call, this.settings)) {
      throw new GrpcStatusError(status.UNAUTHENTICATED, 'no bearer token');
    }
    const failure = this.failures.shift();
    const batches = batchesFrom(this.sessions.stream(record.stream), record.offset);
    for (const batch of batches) {
      if (failure && record.rowsSent >= (failure.afterRows ?? 0)) {
        throw new GrpcStatusError(failure.code ?? status.UNAVAILABLE, 'injected failure');
      }
      if (this.settings.sendDelayMs > 0) await sleep(this.settings.sendDelayMs);
      if (call.cancelled) return;
      await write(call, {
        rowCount: batch.rows,
        arrowRecordBatch: {
          serializedRecordBatch: Buffer.from(
            batch.bytes.buffer,
            batch.bytes.byteOffset,
            batch.bytes.byteLength,
          ),
          rowCount: batch.rows,
        },
      });
      record.rowsSent += batch.rows;
    }
    if (failure) throw new GrpcStatusError(failure.code ?? status.UNAVAILABLE, 'injected failure');
    record.outcome = 'done';
    call.end();
  }
}

/**
 * Starts the fake BigQuery Storage Read API (gRPC, insecure, 127.0.0.1, a random port) over
 * the fake's DuckDB: `CreateReadSession` snapshots the selected columns as Arrow record
 * batches, `ReadRows` streams them from any row offset.
 */
export async function startFakeStorageRead(
  db: FakeDatabase,
  options: { readonly requireAuth?: boolean } = {},
): Promise<FakeStorageRead> {
  const settings: StorageReadSettings = {
    batchRows: 65_536,
    maxStreams: 4,
    reuseSnapshots: false,
    sendDelayMs: 0,
    requireAuth: options.requireAuth !== false,
  };
  const handlers = new StorageReadHandlers(new FakeReadSessions(db, settings), settings);
  const server = new Server();
  server.addService(bigQueryReadService(), {
    CreateReadSession: handlers.createReadSession.bind(handlers),
    ReadRows: handlers.readRows.bind(handlers),
    SplitReadStream: (_call: unknown, callback: sendUnaryData<unknown>) =>
      callback({ code: status.UNIMPLEMENTED, details: 'SplitReadStream is not faked' }),
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    );
  });
  return {
    endpoint: `127.0.0.1:${port}`,
    sessions: handlers.sessions,
    readRowsCalls: handlers.readRowsCalls,
    settings,
    failNextReadRows(count, failure = {}) {
      for (let i = 0; i < count; i += 1) handlers.failures.push(failure);
    },
    reset() {
      handlers.sessions.reset();
      handlers.readRowsCalls.length = 0;
      handlers.failures.length = 0;
    },
    stop() {
      server.forceShutdown();
      return Promise.resolve();
    },
  };
}
