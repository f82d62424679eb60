import {
  DuckDBMaterializedResult,
  type DuckDBDataChunk,
  type DuckDBResult,
  type DuckDBVector,
} from '@duckdb/node-api';

/** Typed-array kinds a result column can be read into. */
export type ColumnKind = 'f64' | 'u16' | 'u8';

type TypedColumn = Float64Array | Uint16Array | Uint8Array;

const CONSTRUCTORS = { f64: Float64Array, u16: Uint16Array, u8: Uint8Array } as const;

/** The typed array behind a DuckDB vector and its validity bitmap (both native-memory views). */
interface RawVector {
  readonly items: TypedColumn;
  readonly validity: BigUint64Array | null;
}

/**
 * The vector's native `items` array and validity words. `@duckdb/node-api` keeps them in fields
 * that are private in its typings but plain in JS (spec/warehouse.md §3); null when the shape is
 * not the expected one, so callers fall back to `getItem`.
 */
function rawVector(vector: DuckDBVector, kind: ColumnKind): RawVector | null {
  const fields = vector as unknown as { items?: unknown; validity?: { data?: unknown } };
  const items = fields.items;
  if (!(items instanceof CONSTRUCTORS[kind])) return null;
  const data = fields.validity?.data;
  if (data !== null && data !== undefined && !(data instanceof BigUint64Array)) return null;
  return { items, validity: data ?? null };
}

/** A typed array that grows by doubling. */
class GrowableColumn {
  readonly kind: ColumnKind;
  array: TypedColumn;
  length = 0;

  constructor(kind: ColumnKind, capacity: number) {
    this.kind = kind;
    this.array = new CONSTRUCTORS[kind](Math.max(1, capacity));
  }

  reserve(extra: number): void {
    if (this.length + extra <= this.array.length) return;
    let capacity = this.array.length * 2;
    while (capacity < this.length + extra) capacity *= 2;
    const next = new CONSTRUCTORS[this.kind](capacity);
    next.set(this.array.subarray(0, this.length));
    this.array = next;
  }

  /** The filled part; no copy when the capacity was exact. */
  result(): TypedColumn {
    return this.length === this.array.length ? this.array : this.array.slice(0, this.length);
  }
}

/** Marks rows whose validity bit is 0 as NaN (32 rows per step; all-valid words are skipped). */
function applyNulls(out: Float64Array, offset: number, validity: BigUint64Array, rows: number) {
  const words = new Uint32Array(validity.buffer, validity.byteOffset, validity.length * 2);
  for (let w = 0; w * 32 < rows; w += 1) {
    const bits = words[w] ?? 0xffffffff;
    if (bits === 0xffffffff) continue;
    const end = Math.min(rows, w * 32 + 32);
    for (let row = w * 32; row < end; row += 1) {
      if ((bits & (1 << (row & 31))) === 0) out[offset + row] = Number.NaN;
    }
  }
}

function appendVector(column: GrowableColumn, vector: DuckDBVector, rows: number): void {
  column.reserve(rows);
  const offset = column.length;
  const raw = rawVector(vector, column.kind);
  if (raw) {
    column.array.set(raw.items.subarray(0, rows), offset);
    if (raw.validity && column.array instanceof Float64Array) {
      applyNulls(column.array, offset, raw.validity, rows);
    }
  } else {
    for (let row = 0; row < rows; row += 1) {
      const value = vector.getItem(row);
      column.array[offset + row] = typeof value === 'number' ? value : Number.NaN;
    }
  }
  column.length += rows;
}

/**
 * Reads every chunk of `result` into one typed array per column (`kinds[i]` for column `i`),
 * copying native vectors wholesale; for `f64`, NULL becomes NaN. Integer columns must not hold
 * NULLs (callers COALESCE them). A materialized result (`connection.run`) is read synchronously
 * into exactly sized arrays — one async `fetchChunk` round trip per 2,048 rows would cost more
 * than the copying.
 */
export async function readTypedColumns(
  result: DuckDBResult,
  kinds: readonly ColumnKind[],
): Promise<{ rows: number; columns: TypedColumn[] }> {
  if (result instanceof DuckDBMaterializedResult) return readMaterialized(result, kinds);
  const columns = kinds.map((kind) => new GrowableColumn(kind, 4096));
  let rows = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    appendChunk(columns, chunk);
    rows += chunk.rowCount;
  }
  return { rows, columns: columns.map((column) => column.result()) };
}

function appendChunk(columns: readonly GrowableColumn[], chunk: DuckDBDataChunk): void {
  const count = chunk.rowCount;
  columns.forEach((column, index) => appendVector(column, chunk.getColumnVector(index), count));
}

function readMaterialized(
  result: DuckDBMaterializedResult,
  kinds: readonly ColumnKind[],
): { rows: number; columns: TypedColumn[] } {
  const rows = result.rowCount;
  const columns = kinds.map((kind) => new GrowableColumn(kind, rows));
  for (let index = 0; index < result.chunkCount; index += 1) {
    appendChunk(columns, result.getChunk(index));
  }
  return { rows, columns: columns.map((column) => column.result()) };
}
