import { Bool, Float64, Int64, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { copyArrowColumn } from '../../../../src/warehouse/bigquery/storage-read-copy.js';
import { StorageReadDecoder } from '../../../../src/warehouse/bigquery/storage-read-decoder.js';
import type { ColumnRead } from '../../../../src/warehouse/warehouse.js';
import { WarehouseQueryError } from '../../../../src/warehouse/warehouse-errors.js';
import { arrowBatches } from '../../../helpers/fake-bigquery/arrow-batches.js';

type Cell = number | bigint | boolean | string | null;

const ARROW_TYPES = { f64: new Float64(), i64: new Int64(), bool: new Bool(), utf8: new Utf8() };

/** Columns of cells as Arrow vectors of the given types. */
function vectors(columns: Record<string, [keyof typeof ARROW_TYPES, Cell[]]>): {
  names: string[];
  vectors: Vector[];
} {
  const entries = Object.entries(columns);
  return {
    names: entries.map(([name]) => name),
    vectors: entries.map(([, [type, cells]]) => vectorFromArray(cells, ARROW_TYPES[type])),
  };
}

/** Decodes the columns as the Storage Read API would send them, `batchRows` per batch. */
function decode(
  columns: Record<string, [keyof typeof ARROW_TYPES, Cell[]]>,
  reads: readonly ColumnRead[],
  batchRows = 2,
) {
  const { names, vectors: built } = vectors(columns);
  const ipc = arrowBatches(names, built, batchRows);
  const decoder = new StorageReadDecoder('metrics_t', reads, ipc.schema);
  for (const batch of ipc.batches) decoder.append(batch.bytes, batch.rows);
  return { batches: ipc.batches.length, decoded: decoder.finish() };
}

describe('StorageReadDecoder', () => {
  it('joins several record batches of FLOAT64 into one exactly-sized array, NULL → NaN', () => {
    const { batches, decoded } = decode({ x: ['f64', [1.5, null, 3, 4, null, 6.25, 7]] }, [
      { name: 'x', kind: 'f64' },
    ]);
    expect(batches).toBe(4);
    expect(decoded.rows).toBe(7);
    expect(decoded.columns[0]).toEqual(new Float64Array([1.5, NaN, 3, 4, NaN, 6.25, 7]));
    expect(decoded.columns[0]!.buffer.byteLength).toBe(7 * 8);
  });

  it('reads BOOL masks as u8 (NULL → 0) and as f64 (0/1, NULL → NaN)', () => {
    const cells = [true, null, false, true, true, null, false, true, false];
    const { decoded } = decode(
      { b: ['bool', cells] },
      [
        { name: 'b', kind: 'u8' },
        { name: 'b', kind: 'f64' },
      ],
      4,
    );
    expect(decoded.columns[0]).toEqual(new Uint8Array([1, 0, 0, 1, 1, 0, 0, 1, 0]));
    expect(decoded.columns[1]).toEqual(new Float64Array([1, NaN, 0, 1, 1, NaN, 0, 1, 0]));
  });

  it('reads INT64 as u16 and as f64 without BigInt per value (negatives, past 2^32, rounded past 2^53)', () => {
    const big = [0n, 65_535n, -7n, 5_000_000_000n, -5_000_000_000n, 2n ** 53n + 1n, null];
    const { decoded } = decode(
      { branch: ['i64', [0n, 1n, 2n, 65_535n, 3n, 1n, 0n]], v: ['i64', big] },
      [
        { name: 'branch', kind: 'u16' },
        { name: 'v', kind: 'f64' },
      ],
      3,
    );
    expect(decoded.columns[0]).toEqual(new Uint16Array([0, 1, 2, 65_535, 3, 1, 0]));
    expect(decoded.columns[1]).toEqual(
      new Float64Array([0, 65_535, -7, 5_000_000_000, -5_000_000_000, 2 ** 53, NaN]),
    );
  });

  it('rejects a NULL or out-of-range u16, naming the table and column', () => {
    const read = (cells: Cell[]) => () =>
      decode({ branch_index: ['i64', cells] }, [{ name: 'branch_index', kind: 'u16' }]);
    expect(read([0n, 1n, null])).toThrow(WarehouseQueryError);
    expect(read([0n, 1n, null])).toThrow(/metrics_t: column branch_index has NULLs/);
    expect(read([0n, 65_536n])).toThrow(/branch_index holds 65536, outside 0\.\.65535/);
    expect(read([-1n])).toThrow(/branch_index holds -1, outside/);
    expect(read([2n ** 40n])).toThrow(/holds 1099511627776/);
  });

  it('rejects columns of other types and missing columns before any batch', () => {
    const ipc = arrowBatches(
      ...(Object.values(vectors({ s: ['utf8', ['a']], f: ['f64', [1]] })) as [string[], Vector[]]),
      2,
    );
    const decoder = (reads: ColumnRead[]) => () => new StorageReadDecoder('t', reads, ipc.schema);
    expect(decoder([{ name: 's', kind: 'f64' }])).toThrow(
      /column s has Arrow type Utf8, not FLOAT64, INT64 or BOOL/,
    );
    expect(decoder([{ name: 'f', kind: 'u16' }])).toThrow(
      /column f has Arrow type Float, not INT64/,
    );
    expect(decoder([{ name: 'f', kind: 'u8' }])).toThrow(/not BOOL/);
    expect(decoder([{ name: 'missing', kind: 'f64' }])).toThrow(/no column missing/);
  });

  it('rejects a batch whose row count differs from the response’s', () => {
    const { names, vectors: built } = vectors({ x: ['f64', [1, 2, 3]] });
    const ipc = arrowBatches(names, built, 3);
    const decoder = new StorageReadDecoder('t', [{ name: 'x', kind: 'f64' }], ipc.schema);
    expect(() => decoder.append(ipc.batches[0]!.bytes, 4)).toThrow(
      /holds 3 rows, the response says 4/,
    );
  });

  it('gives empty arrays for a session without batches', () => {
    const { decoded } = decode({ x: ['f64', []] }, [{ name: 'x', kind: 'f64' }]);
    expect(decoded).toEqual({ rows: 0, columns: [new Float64Array(0)] });
  });
});

describe('copyArrowColumn', () => {
  it('honours the offset of sliced data, for values and validity bits', () => {
    const target = { table: 't', column: 'c' };
    const f64 = vectorFromArray([9, 9, 1, null, 3], new Float64()).slice(2).data[0]!;
    const i64 = vectorFromArray([9n, 9n, 4n, null, -6n], new Int64()).slice(2).data[0]!;
    const bool = vectorFromArray([false, true, true, null, false], new Bool()).slice(1).data[0]!;
    const out = new Float64Array(3);
    copyArrowColumn('f64', out, 0, f64, target);
    expect(out).toEqual(new Float64Array([1, NaN, 3]));
    copyArrowColumn('f64', out, 0, i64, target);
    expect(out).toEqual(new Float64Array([4, NaN, -6]));
    const mask = new Uint8Array(5).fill(7);
    copyArrowColumn('u8', mask, 1, bool, target);
    expect(mask).toEqual(new Uint8Array([7, 1, 1, 0, 0]));
  });
});
