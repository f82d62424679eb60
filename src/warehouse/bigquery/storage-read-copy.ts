import { DataType, Precision, Type, type Data } from 'apache-arrow';
import type { ColumnRead } from '../warehouse.js';
import { WarehouseQueryError } from '../warehouse-errors.js';

/** A typed column being filled. */
export type TypedColumn = Float64Array | Uint16Array | Uint8Array;

/** Where a batch's column lands, for error messages: the table and column names. */
export interface CopyTarget {
  readonly table: string;
  readonly column: string;
}

const TWO_32 = 4_294_967_296;

/** Bit `index` of an Arrow bitmap (least significant bit first). */
function bit(bitmap: Uint8Array, index: number): number {
  return (bitmap[index >> 3]! >> (index & 7)) & 1;
}

function problem(target: CopyTarget, what: string): WarehouseQueryError {
  return new WarehouseQueryError(`reading ${target.table}: column ${target.column} ${what}`);
}

/** The validity bitmap of `data`, or null when no value is null. */
function nullsOf(data: Data): Uint8Array | null {
  return data.nullCount > 0 && data.nullBitmap !== undefined ? data.nullBitmap : null;
}

/*
 * Arrow's Data: fixed-width `values` start at the data's first row (slicing slices them), while
 * bitmaps — validity and BOOL values — are whole and indexed from bit `data.offset`.
 */

/** The 64-bit integers of `data` as (low, high) 32-bit word pairs: no BigInt per value. */
function int64Words(data: Data): Int32Array {
  const values: unknown = data.values;
  if (!(values instanceof BigInt64Array)) {
    throw new Error('Int64 data without BigInt64Array values');
  }
  return new Int32Array(values.buffer, values.byteOffset, data.length * 2);
}

function float64Values(data: Data): Float64Array {
  const values: unknown = data.values;
  if (!(values instanceof Float64Array)) {
    throw new Error('Float64 data without Float64Array values');
  }
  return values.subarray(0, data.length);
}

function boolBits(data: Data): Uint8Array {
  const values: unknown = data.values;
  if (!(values instanceof Uint8Array)) throw new Error('Bool data without a bitmap');
  return values;
}

function setNaNs(out: Float64Array, at: number, data: Data): void {
  const nulls = nullsOf(data);
  if (nulls === null) return;
  for (let i = 0; i < data.length; i += 1) {
    if (bit(nulls, data.offset + i) === 0) out[at + i] = NaN;
  }
}

/** INT64 → double: exact up to 2^53, rounded beyond (as `Number(bigint)` would). */
function int64ToF64(out: Float64Array, at: number, data: Data): void {
  const words = int64Words(data);
  for (let i = 0; i < data.length; i += 1) {
    out[at + i] = words[2 * i + 1]! * TWO_32 + (words[2 * i]! >>> 0);
  }
}

function boolToF64(out: Float64Array, at: number, data: Data): void {
  const bits = boolBits(data);
  for (let i = 0; i < data.length; i += 1) out[at + i] = bit(bits, data.offset + i);
}

const isFloat64 = (type: DataType): boolean =>
  DataType.isFloat(type) && type.precision === Precision.DOUBLE;
const isInt64 = (type: DataType): boolean => DataType.isInt(type) && type.bitWidth === 64;

/** The BigQuery types each kind reads, and a test of the Arrow type. */
const ACCEPTS: Readonly<Record<ColumnRead['kind'], [string, (type: DataType) => boolean]>> = {
  f64: ['FLOAT64, INT64 or BOOL', (t) => isFloat64(t) || isInt64(t) || DataType.isBool(t)],
  u16: ['INT64', isInt64],
  u8: ['BOOL', (t) => DataType.isBool(t)],
};

/**
 * Checks that a column of Arrow type `type` can be read as `kind`.
 * @throws WarehouseQueryError naming the table, the column and the types it accepts.
 */
export function checkArrowType(kind: ColumnRead['kind'], type: DataType, target: CopyTarget): void {
  const [names, accepts] = ACCEPTS[kind];
  if (!accepts(type)) throw problem(target, `has Arrow type ${Type[type.typeId]}, not ${names}`);
}

function copyF64(out: Float64Array, at: number, data: Data): void {
  if (isFloat64(data.type)) out.set(float64Values(data), at);
  else if (isInt64(data.type)) int64ToF64(out, at, data);
  else boolToF64(out, at, data);
  setNaNs(out, at, data);
}

function copyU16(out: Uint16Array, at: number, data: Data, target: CopyTarget): void {
  if (nullsOf(data) !== null) throw problem(target, 'has NULLs; it must be a non-null index');
  const words = int64Words(data);
  for (let i = 0; i < data.length; i += 1) {
    const low = words[2 * i]! >>> 0;
    const high = words[2 * i + 1]!;
    if (high !== 0 || low > 0xffff) {
      throw problem(target, `holds ${high * TWO_32 + low}, outside 0..65535`);
    }
    out[at + i] = low;
  }
}

function copyU8(out: Uint8Array, at: number, data: Data): void {
  const bits = boolBits(data);
  const nulls = nullsOf(data);
  for (let i = 0; i < data.length; i += 1) {
    const index = data.offset + i;
    out[at + i] = nulls !== null && bit(nulls, index) === 0 ? 0 : bit(bits, index);
  }
}

/**
 * Copies one record batch's column (of a type {@link checkArrowType} accepted) into `out` from
 * row `at`: `f64` takes FLOAT64 (copied wholesale), INT64 (via 32-bit words; beyond 2^53
 * rounded to the nearest double) and BOOL (0/1), NULL → NaN; `u16` takes non-null INT64 in
 * 0..65535; `u8` takes BOOL, NULL → 0.
 * @throws WarehouseQueryError naming the table and column for a NULL or out-of-range index.
 */
export function copyArrowColumn(
  kind: ColumnRead['kind'],
  out: TypedColumn,
  at: number,
  data: Data,
  target: CopyTarget,
): void {
  if (kind === 'f64') copyF64(out as Float64Array, at, data);
  else if (kind === 'u16') copyU16(out as Uint16Array, at, data, target);
  else copyU8(out as Uint8Array, at, data);
}
