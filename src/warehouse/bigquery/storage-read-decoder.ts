import { tableFromIPC, type Data, type DataType, type Field, type Schema } from 'apache-arrow';
import type { ColumnRead, TypedColumns } from '../warehouse.js';
import { WarehouseQueryError } from '../warehouse-errors.js';
import { checkArrowType, copyArrowColumn, type TypedColumn } from './storage-read-copy.js';

function allocate(kind: ColumnRead['kind'], rows: number): TypedColumn {
  if (kind === 'u16') return new Uint16Array(rows);
  if (kind === 'u8') return new Uint8Array(rows);
  return new Float64Array(rows);
}

function grown(column: TypedColumn, kind: ColumnRead['kind'], rows: number): TypedColumn {
  const bigger = allocate(kind, rows);
  bigger.set(column);
  return bigger;
}

/**
 * Decodes the Arrow IPC messages of a Storage Read session into typed arrays: the schema
 * message once, then record batches in any order (streams may interleave), each copied into
 * the arrays as it arrives, so received buffers can be dropped at once. The arrays start at the
 * session's row estimate (exact for a whole table), grow by doubling past it, and are cut to
 * the rows read by {@link StorageReadDecoder.finish}.
 */
export class StorageReadDecoder {
  private readonly table: string;
  private readonly columns: readonly ColumnRead[];
  private readonly schemaBytes: Uint8Array;
  private readonly fieldIndexes: readonly number[];
  private out: TypedColumn[];
  private rowCount = 0;

  /**
   * @param schemaBytes `arrow_schema.serialized_schema` of the read session.
   * @param estimatedRows the session's `estimated_row_count`: the arrays' first size.
   * @throws WarehouseQueryError when a column is missing or of a type its kind cannot take.
   */
  constructor(
    table: string,
    columns: readonly ColumnRead[],
    schemaBytes: Uint8Array,
    estimatedRows = 0,
  ) {
    this.table = table;
    this.columns = columns;
    this.schemaBytes = schemaBytes;
    this.fieldIndexes = this.checkSchema(tableFromIPC(schemaBytes).schema);
    this.out = columns.map((c) => allocate(c.kind, estimatedRows));
  }

  /** Rows appended so far. */
  get rows(): number {
    return this.rowCount;
  }

  /**
   * Adds one `arrow_record_batch.serialized_record_batch`.
   * @param expectedRows the response's `row_count`, checked against the batch.
   * @returns the batch's row count.
   * @throws WarehouseQueryError for a NULL or out-of-range `u16` value.
   */
  append(batchBytes: Uint8Array, expectedRows: number): number {
    const decoded = tableFromIPC([this.schemaBytes, batchBytes]);
    if (decoded.numRows !== expectedRows) {
      throw new WarehouseQueryError(
        `reading ${this.table}: a record batch holds ${decoded.numRows} rows, the response says ${expectedRows}`,
      );
    }
    for (const batch of decoded.batches) this.copy(batch.data.children, batch.numRows);
    return decoded.numRows;
  }

  /** The columns, in the order asked, each exactly {@link StorageReadDecoder.rows} long. */
  finish(): TypedColumns {
    const rows = this.rowCount;
    const columns = this.out.map((c) => (c.length === rows ? c : c.slice(0, rows)));
    this.out = [];
    return { rows, columns };
  }

  private copy(children: readonly Data[], rows: number): void {
    const needed = this.rowCount + rows;
    const capacity = this.out[0]?.length ?? 0;
    if (needed > capacity) {
      const size = Math.max(needed, capacity * 2);
      this.out = this.out.map((c, i) => grown(c, this.columns[i]!.kind, size));
    }
    this.columns.forEach((column, c) =>
      copyArrowColumn(column.kind, this.out[c]!, this.rowCount, children[this.fieldIndexes[c]!]!, {
        table: this.table,
        column: column.name,
      }),
    );
    this.rowCount = needed;
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
