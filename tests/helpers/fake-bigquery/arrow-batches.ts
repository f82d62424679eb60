import {
  Field,
  RecordBatch,
  Schema,
  Struct,
  Table,
  makeData,
  tableToIPC,
  type Vector,
} from 'apache-arrow';

/** The 8-byte end-of-stream marker `tableToIPC(…, 'stream')` closes with. */
const EOS_BYTES = 8;

/** One record batch as the Storage Read API sends it: its IPC message and row count. */
export interface ArrowBatch {
  readonly batch: RecordBatch;
  /** `arrow_record_batch.serialized_record_batch`: the encapsulated IPC message and its body. */
  readonly bytes: Uint8Array;
  readonly rows: number;
}

/** A table's selected columns as Arrow IPC: the schema message and the record batches. */
export interface ArrowBatches {
  /** `arrow_schema.serialized_schema`: the encapsulated IPC schema message. */
  readonly schema: Uint8Array;
  readonly batches: readonly ArrowBatch[];
  readonly rows: number;
}

/** The schema message alone: an empty table's IPC stream without its end marker. */
function schemaMessage(schema: Schema): Uint8Array {
  const stream = tableToIPC(new Table(schema), 'stream');
  return stream.slice(0, stream.length - EOS_BYTES);
}

/**
 * The record batch message of `batch`: its one-batch IPC stream without the leading schema
 * message and the end marker.
 */
export function batchMessage(schemaBytes: Uint8Array, batch: RecordBatch): Uint8Array {
  const stream = tableToIPC(new Table([batch]), 'stream');
  const head = stream.subarray(0, schemaBytes.length);
  if (!Buffer.from(head).equals(Buffer.from(schemaBytes))) {
    throw new Error('the IPC stream does not start with the schema message');
  }
  return stream.slice(schemaBytes.length, stream.length - EOS_BYTES);
}

/**
 * Cuts named columns into record batches of at most `batchRows` rows and serializes each, as
 * BigQuery's Storage Read API does for a read session (the schema once, then batch messages).
 */
export function arrowBatches(
  names: readonly string[],
  vectors: readonly Vector[],
  batchRows: number,
): ArrowBatches {
  const fields = names.map((name, i) => new Field(name, vectors[i]!.type, true));
  const schema = new Schema(fields);
  const rows = vectors[0]?.length ?? 0;
  const whole = new RecordBatch(
    schema,
    makeData({
      type: new Struct(fields),
      length: rows,
      children: vectors.map((v) => v.data[0]!),
    }),
  );
  const schemaBytes = schemaMessage(schema);
  const batches: ArrowBatch[] = [];
  for (let start = 0; start < rows; start += batchRows) {
    const batch = whole.slice(start, Math.min(rows, start + batchRows));
    batches.push({ batch, bytes: batchMessage(schemaBytes, batch), rows: batch.numRows });
  }
  return { schema: schemaBytes, batches, rows };
}
