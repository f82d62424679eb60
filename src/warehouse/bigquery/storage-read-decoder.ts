import { tableFromIPC, type Data, type DataType, type Field, type Schema } from 'apache-arrow';
import type { ColumnRead, TypedColumns } from '../warehouse.js';
import { WarehouseQueryError } from '../warehouse-errors.js';
import { checkArrowType, copyArrowColumn, type TypedColumn } from './storage-read-copy.js';

function allocate(kind: ColumnRead['kind'], rows: number): TypedColumn {
  if (kind === 'u16') return new Uint16Array(rows);
  if (kind === 'u8') return new Uint8Array(rows);
  return new Float64Array(rows);
}

/**
 * Decodes the Arrow IPC messages of a Storage Read session into typed arrays: the schema
 * message once, then record batches in any order (streams may interleave). Batches are kept
 * as views of the received buffers and copied once, into exactly-sized arrays, by
 * {@link StorageReadDecoder.finish}.
 */
export class StorageReadDecoder {
  private readonly table: string;
  private readonly columns: readonly ColumnRead[];
  private readonly schemaBytes: Uint8Array;
  private readonly fieldIndexes: readonly number[];
  private readonly batches: (readonly Data[])[] = [];
  private rowCount = 0;

  /**
   * @param schemaBytes `arrow_schema.serialized_schema` of the read session.
   * @throws WarehouseQueryError when a column is missing or of a type its kind cannot take.
   */
  constructor(table: string, columns: readonly ColumnRead[], schemaBytes: Uint8Array) {
    this.table = table;
    this.columns = columns;
    this.schemaBytes = schemaBytes;
    this.fieldIndexes = this.checkSchema(tableFromIPC(schemaBytes).schema);
  }

  /** Rows appended so far. */
  get rows(): number {
    return this.rowCount;
  }

  /**
   * Adds one `arrow_record_batch.serialized_record_batch`.
   * @param expectedRows the response's `row_count`, checked against the batch.
   * @returns the batch's row count.
   */
  append(batchBytes: Uint8Array, expectedRows: number): number {
    const decoded = tableFromIPC([this.schemaBytes, batchBytes]);
    if (decoded.numRows !== expectedRows) {
      throw new WarehouseQueryError(
        `reading ${this.table}: a record batch holds ${decoded.numRows} rows, the response says ${expectedRows}`,
      );
    }
    for (const batch of decoded.batches) {
      this.batches.push(this.fieldIndexes.map((index) => batch.data.children[index]!));
      this.rowCount += batch.numRows;
    }
    return decoded.numRows;
  }

  /**
   * The columns, in the order asked, each exactly {@link StorageReadDecoder.rows} long.
   * @throws WarehouseQueryError for a NULL or out-of-range `u16` value.
   */
  finish(): TypedColumns {
    const out = this.columns.map((c) => allocate(c.kind, this.rowCount));
    let at = 0;
    for (const batch of this.batches) {
      this.columns.forEach((column, c) =>
        copyArrowColumn(column.kind, out[c]!, at, batch[c]!, {
          table: this.table,
          column: column.name,
        }),
      );
      at += batch[0]?.length ?? 0;
    }
    this.batches.length = 0;
    return { rows: at, columns: out };
  }

  private checkSchema(schema: Schema): number[] {
    const fields: readonly Field<DataType>[] = schema.fields;
    return this.columns.map((column) => {
      const index = fields.findIndex((f) => f.name === column.name);
      if (index < 0) {
        throw new WarehouseQueryError(`reading ${this.table}: no column ${column.name} was sent`);
      }
      checkArrowType(column.kind, fields[index]!.type, {
        table: this.table,
        column: column.name,
      });
      return index;
    });
  }
}
