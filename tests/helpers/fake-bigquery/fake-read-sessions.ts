import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { arrowBatches, type ArrowBatch, type ArrowBatches } from './arrow-batches.js';
import { arrowVectorOf } from './arrow-vector.js';
import { checkedId, tableRef, type FakeDatabase } from './fake-database.js';
import { restrictionSql } from './row-restriction.js';

/** A gRPC failure the fake answers with. */
export class GrpcStatusError extends Error {
  override readonly name = 'GrpcStatusError';
  readonly code: status;
  readonly details: string;

  constructor(code: status, details: string) {
    super(details);
    this.code = code;
    this.details = details;
  }
}

/** What a `CreateReadSession` asked for, as the fake recorded it. */
export interface RecordedReadSession {
  /** `dataset.table`. */
  readonly table: string;
  /** `read_options.selected_fields` as sent (empty: every column). */
  readonly selectedFields: readonly string[];
  /** `read_options.row_restriction` as sent (empty: none). */
  readonly rowRestriction: string;
  readonly maxStreamCount: number;
  /** Streams the session was given. */
  readonly streams: number;
}

/** The request fields the fake reads (proto-loader: camelCase, enum names, int64 numbers). */
export interface CreateReadSessionRequest {
  readonly parent: string;
  readonly maxStreamCount: number;
  readonly readSession: {
    readonly table: string;
    readonly dataFormat: string;
    readonly readOptions: {
      readonly selectedFields: string[];
      readonly rowRestriction: string;
    } | null;
  } | null;
}

/** Behaviour of the read sessions, changeable at any time. */
export interface ReadSessionSettings {
  /** Most rows per record batch. @defaultValue 65536 */
  batchRows: number;
  /** Most streams per session, whatever `max_stream_count` asks. @defaultValue 4 */
  maxStreams: number;
  /**
   * Serve a new session from the Arrow batches built for an earlier one of the same table,
   * fields and restriction (the table must not change meanwhile). Lets a benchmark measure the
   * client rather than the fake's encoding. @defaultValue false
   */
  reuseSnapshots: boolean;
}

/** A read stream: its session's schema and its share of the batches. */
export interface FakeReadStream {
  readonly snapshot: ArrowBatches;
  readonly batches: readonly ArrowBatch[];
}

const TABLE_PATH = /^projects\/([^/]+)\/datasets\/([^/]+)\/tables\/([^/]+)$/;

function parseTable(table: string): { dataset: string; table: string } {
  const match = TABLE_PATH.exec(table);
  if (!match) throw new GrpcStatusError(status.INVALID_ARGUMENT, `Invalid table name "${table}"`);
  return { dataset: checkedId(match[2]!, 'dataset'), table: checkedId(match[3]!, 'table') };
}

function shares<T>(items: readonly T[], count: number): T[][] {
  const size = Math.ceil(items.length / count);
  return Array.from({ length: count }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/**
 * Read sessions over the fake's DuckDB: each is a snapshot of the selected columns taken when it
 * is created, cut into Arrow record batches shared out among its streams.
 */
export class FakeReadSessions {
  readonly recorded: RecordedReadSession[] = [];
  private readonly streams = new Map<string, FakeReadStream>();
  private readonly snapshots = new Map<string, ArrowBatches>();
  private readonly db: FakeDatabase;
  private readonly settings: ReadSessionSettings;

  constructor(db: FakeDatabase, settings: ReadSessionSettings) {
    this.db = db;
    this.settings = settings;
  }

  /** Answers `CreateReadSession`: the session with its Arrow schema and streams. */
  async create(request: CreateReadSessionRequest): Promise<Record<string, unknown>> {
    const asked = request.readSession;
    if (asked === null) {
      throw new GrpcStatusError(status.INVALID_ARGUMENT, 'read_session is required');
    }
    if (asked.dataFormat !== 'ARROW') {
      throw new GrpcStatusError(
        status.UNIMPLEMENTED,
        `data format ${asked.dataFormat} is not faked`,
      );
    }
    const ref = parseTable(asked.table);
    const fields = asked.readOptions?.selectedFields ?? [];
    const restriction = asked.readOptions?.rowRestriction ?? '';
    const snapshot = await this.snapshot(ref.dataset, ref.table, fields, restriction);
    const wanted = request.maxStreamCount > 0 ? request.maxStreamCount : 1;
    const count = Math.min(wanted, this.settings.maxStreams, snapshot.batches.length);
    const name = `${request.parent}/locations/us/sessions/${randomUUID()}`;
    const streams = shares(snapshot.batches, count).map((batches, i) => {
      const streamName = `${name}/streams/${i}`;
      this.streams.set(streamName, { snapshot, batches });
      return { name: streamName };
    });
    this.recorded.push({
      table: `${ref.dataset}.${ref.table}`,
      selectedFields: [...fields],
      rowRestriction: restriction,
      maxStreamCount: request.maxStreamCount,
      streams: streams.length,
    });
    return {
      name,
      dataFormat: 'ARROW',
      table: asked.table,
      readOptions: asked.readOptions,
      arrowSchema: { serializedSchema: Buffer.from(snapshot.schema) },
      streams,
      estimatedRowCount: snapshot.rows,
    };
  }

  /** The stream named `name`. @throws GrpcStatusError NOT_FOUND for an unknown stream. */
  stream(name: string): FakeReadStream {
    const found = this.streams.get(name);
    if (!found) throw new GrpcStatusError(status.NOT_FOUND, `Not found: read stream ${name}`);
    return found;
  }

  /** Forgets recorded sessions and cached snapshots (open streams stay readable). */
  reset(): void {
    this.recorded.length = 0;
    this.snapshots.clear();
  }

  private async snapshot(
    dataset: string,
    table: string,
    fields: readonly string[],
    restriction: string,
  ): Promise<ArrowBatches> {
    const key = JSON.stringify([dataset, table, fields, restriction, this.settings.batchRows]);
    const cached = this.settings.reuseSnapshots ? this.snapshots.get(key) : undefined;
    if (cached) return cached;
    const built = await this.db.exclusive(() => this.build(dataset, table, fields, restriction));
    if (this.settings.reuseSnapshots) this.snapshots.set(key, built);
    return built;
  }

  private async build(
    dataset: string,
    table: string,
    fields: readonly string[],
    restriction: string,
  ): Promise<ArrowBatches> {
    if ((await this.db.tableType(dataset, table)) !== 'TABLE') {
      throw new GrpcStatusError(status.NOT_FOUND, `Not found: Table ${dataset}.${table}`);
    }
    const columns = await this.db.fields(dataset, table);
    const unknown = fields.find((f) => !columns.some((c) => c.name === f));
    if (unknown !== undefined) {
      throw new GrpcStatusError(status.INVALID_ARGUMENT, `Field ${unknown} not found in ${table}`);
    }
    const where = restrictionSql(restriction);
    if (where === null) {
      throw new GrpcStatusError(
        status.INVALID_ARGUMENT,
        `Unsupported row restriction: ${restriction}`,
      );
    }
    const list = fields.length === 0 ? '*' : fields.map((f) => `"${f}"`).join(', ');
    const result = await this.db.readColumns(
      `SELECT ${list} FROM ${tableRef(dataset, table)}${where.where}`,
      { values: where.params, types: {} },
    );
    const vectors = result.columns.map((values, i) => arrowVectorOf(result.types[i]!, values));
    return arrowBatches(result.names, vectors, this.settings.batchRows);
  }
}
