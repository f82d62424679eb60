import { randomUUID } from 'node:crypto';
import { coerceError } from '../../analysis/coerce-error.js';
import { quoteBigQueryTable, safeIdentifier } from '../../analysis/sql-identifier.js';
import type { StatisticRow } from '../../stats/statistic-row.js';
import { createBigQueryContext, type BigQueryContext } from '../bigquery/bigquery-context.js';
import { isNotFound } from '../bigquery/bigquery-errors.js';
import {
  DEFAULT_STAGE_TABLE,
  type BigQueryConnectionOptions,
} from '../bigquery/bigquery-options.js';
import { STAGE_FIELDS } from '../bigquery/bigquery-schemas.js';
import type { TableDefinition } from '../bigquery/ensure-table.js';
import { runQuery } from '../bigquery/query-job.js';
import { streamRows, type StreamRow } from '../bigquery/stream-rows.js';
import { rowRecords } from '../bigquery/wire-values.js';
import type { RowStage } from './row-stage.js';

/** Options of {@link createBigQueryRowStage}. */
export interface BigQueryRowStageOptions extends BigQueryConnectionOptions {
  /** Stage table in the results dataset. @defaultValue `contrail_row_stage` */
  readonly table?: string;
  /** Days a staged row is kept (partition expiration). @defaultValue 7 */
  readonly expirationDays?: number;
  /** Most characters of serialized rows per stage row. @defaultValue 1000000 */
  readonly chunkChars?: number;
}

/** The stage columns a read needs, quoted (`rows`-like names are reserved in GoogleSQL). */
const STAGE_COLUMNS = STAGE_FIELDS.filter((f) => f.name !== 'group_id')
  .map((f) => `\`${f.name}\``)
  .join(', ');

/** Serializes rows as JSON arrays of at most `limit` characters each (at least one chunk). */
export function chunkRows(rows: readonly StatisticRow[], limit: number): string[] {
  const chunks: string[] = [];
  let items: string[] = [];
  let size = 2;
  for (const row of rows) {
    const item = JSON.stringify(row);
    if (items.length > 0 && size + item.length + 1 > limit) {
      chunks.push(`[${items.join(',')}]`);
      items = [];
      size = 2;
    }
    items.push(item);
    size += item.length + 1;
  }
  if (items.length > 0 || chunks.length === 0) chunks.push(`[${items.join(',')}]`);
  return chunks;
}

/** A stage-table row as read back. */
export interface StagedRecord {
  readonly key: string | null;
  readonly kind: string;
  readonly writeId: string;
  readonly sequence: number;
  readonly part: number;
  readonly parts: number;
  readonly rows: string | null;
}

interface StagedWrite {
  readonly key: string;
  readonly writeId: string;
  readonly sequence: number;
  readonly parts: number;
  readonly chunks: Map<number, string>;
}

function newer(a: StagedWrite, b: StagedWrite): boolean {
  return a.sequence > b.sequence || (a.sequence === b.sequence && a.writeId > b.writeId);
}

/**
 * The rows each key holds: its latest complete write (all parts present) after the group's
 * last drop marker; a key whose writes are all incomplete or dropped is absent.
 */
export function latestWrites(records: readonly StagedRecord[]): Map<string, StatisticRow[]> {
  const dropped = Math.max(
    -Infinity,
    ...records.filter((r) => r.kind === 'drop').map((r) => r.sequence),
  );
  const writes = new Map<string, StagedWrite>();
  for (const record of records) {
    if (record.kind !== 'rows' || record.key === null || record.sequence <= dropped) continue;
    let write = writes.get(record.writeId);
    if (!write) {
      write = {
        key: record.key,
        writeId: record.writeId,
        sequence: record.sequence,
        parts: record.parts,
        chunks: new Map(),
      };
      writes.set(record.writeId, write);
    }
    write.chunks.set(record.part, record.rows ?? '[]');
  }
  const latest = new Map<string, StagedWrite>();
  for (const write of writes.values()) {
    if (write.chunks.size !== write.parts) continue;
    const current = latest.get(write.key);
    if (!current || newer(write, current)) latest.set(write.key, write);
  }
  const staged = new Map<string, StatisticRow[]>();
  for (const key of [...latest.keys()].sort()) {
    const write = latest.get(key)!;
    const parts = [...write.chunks.entries()].sort((a, b) => a[0] - b[0]);
    staged.set(
      key,
      parts.flatMap(([, text]) => JSON.parse(text) as StatisticRow[]),
    );
  }
  return staged;
}

function stagedRecords(
  fields: Parameters<typeof rowRecords>[0],
  rows: readonly unknown[],
): StagedRecord[] {
  return rowRecords(fields, rows).map((r) => ({
    key: r.key ?? null,
    kind: r.kind ?? '',
    writeId: r.write_id ?? '',
    sequence: Number(r.sequence ?? 0),
    part: Number(r.part ?? 0),
    parts: Number(r.parts ?? 1),
    rows: r.payload ?? null,
  }));
}

/**
 * A {@link RowStage} in one BigQuery table of the results dataset. Writes are streaming
 * inserts (tabledata.insertAll): a metric job's rows as JSON text, split into chunks, keyed by
 * group, key, write id and a sequence (the writer's clock, ms). Reads take each key's latest
 * complete write, so a retried job's re-write replaces the earlier one; drop appends a marker
 * that hides everything written before it.
 *
 * Trade-off: streaming avoids load jobs (1,500 per table per day, seconds each) and makes
 * rows queryable at once, but rows in the streaming buffer cannot be DELETEd for up to about
 * 90 minutes — hence drop markers, with day partitions expiring after `expirationDays` to
 * reclaim storage, and clustering by group so a read scans little. Ordering trusts the
 * writers' clocks: a re-write from a host whose clock is behind the first writer's loses.
 */
export function createBigQueryRowStage(options: BigQueryRowStageOptions): RowStage {
  const context = createBigQueryContext(options);
  const table = safeIdentifier(options.table ?? DEFAULT_STAGE_TABLE, 'stage table name');
  return new BigQueryRowStage(
    context,
    stageTableDefinition(context, table, options.expirationDays ?? 7),
    options.chunkChars ?? 1_000_000,
  );
}

/** The stage table: day partitions expiring after `expirationDays`, clustered by group. */
function stageTableDefinition(
  context: BigQueryContext,
  table: string,
  expirationDays: number,
): TableDefinition {
  return {
    projectId: context.projectId,
    dataset: context.dataset,
    table,
    fields: STAGE_FIELDS,
    description: 'contrail: metric-job result rows waiting for their finalizer',
    properties: {
      timePartitioning: { type: 'DAY', expirationMs: String(expirationDays * 86_400_000) },
      clustering: { fields: ['group_id'] },
    },
  };
}

class BigQueryRowStage implements RowStage {
  private readonly context: BigQueryContext;
  private readonly target: TableDefinition;
  private readonly chunkChars: number;

  constructor(context: BigQueryContext, target: TableDefinition, chunkChars: number) {
    this.context = context;
    this.target = target;
    this.chunkChars = chunkChars;
  }

  private append(rows: readonly StreamRow[], purpose: string): Promise<void> {
    return streamRows(this.context, this.target, rows, purpose);
  }

  async write(group: string, key: string, rows: readonly StatisticRow[]): Promise<void> {
    const writeId = randomUUID();
    const sequence = this.context.now();
    const chunks = chunkRows(rows, this.chunkChars);
    const streamed = chunks.map((payload, part) => ({
      insertId: `${writeId}:${part}`,
      json: {
        group_id: group,
        key,
        kind: 'rows',
        write_id: writeId,
        sequence,
        part,
        parts: chunks.length,
        payload,
      },
    }));
    await this.append(streamed, `staging rows of ${group}/${key}`);
  }

  async read(group: string): Promise<Map<string, StatisticRow[]>> {
    const { projectId, dataset, table } = this.target;
    const from = quoteBigQueryTable(projectId, safeIdentifier(dataset), safeIdentifier(table));
    try {
      const result = await runQuery(this.context, {
        sql: `SELECT ${STAGE_COLUMNS}\nFROM ${from}\nWHERE group_id = @group_id`,
        params: { group_id: group },
        purpose: `reading staged rows of ${group}`,
      });
      return latestWrites(stagedRecords(result.fields, result.rows));
    } catch (e) {
      const error = coerceError(e);
      if (isNotFound(error)) return new Map(); // nothing staged yet
      throw error;
    }
  }

  async drop(group: string): Promise<void> {
    const writeId = randomUUID();
    const marker = {
      group_id: group,
      key: null,
      kind: 'drop',
      write_id: writeId,
      sequence: this.context.now(),
    };
    await this.append([{ insertId: writeId, json: marker }], `dropping staged rows of ${group}`);
  }
}
