import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTypedColumns } from '../../../../src/warehouse/duckdb/typed-column-reader.js';

// In-memory DuckDB: no service, no files.
describe('readTypedColumns', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  const ROWS = 5000; // three chunks of 2,048 rows

  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
  });
  afterAll(() => {
    connection.closeSync();
    instance.closeSync();
  });

  const sql = `SELECT CAST(i % 3 AS USMALLINT) AS b,
      CASE WHEN i % 7 = 0 OR i = 4999 THEN NULL ELSE CAST(i AS DOUBLE) / 4 END AS v,
      CAST(i % 2 AS UTINYINT) AS s
    FROM range(${ROWS}) t(i) ORDER BY i`;

  function check(rows: number, columns: readonly (Float64Array | Uint16Array | Uint8Array)[]) {
    expect(rows).toBe(ROWS);
    const [b, v, s] = columns as [Uint16Array, Float64Array, Uint8Array];
    expect(b).toBeInstanceOf(Uint16Array);
    expect(v).toBeInstanceOf(Float64Array);
    expect(s).toBeInstanceOf(Uint8Array);
    expect(v).toHaveLength(ROWS);
    const mismatches: number[] = [];
    for (let i = 0; i < ROWS; i += 1) {
      const nullRow = i % 7 === 0 || i === 4999;
      const valueOk = nullRow ? Number.isNaN(v[i]) : v[i] === i / 4;
      if (b[i] !== i % 3 || s[i] !== i % 2 || !valueOk) mismatches.push(i);
    }
    expect(mismatches).toEqual([]);
    expect(v.filter(Number.isNaN)).toHaveLength(Math.ceil(ROWS / 7) + 1);
  }

  it('reads a materialized result into exact typed arrays, NULL → NaN across chunks', async () => {
    const { rows, columns } = await readTypedColumns(await connection.run(sql), [
      'u16',
      'f64',
      'u8',
    ]);
    check(rows, columns);
  });

  it('reads a streamed result chunk by chunk the same way', async () => {
    const { rows, columns } = await readTypedColumns(await connection.stream(sql), [
      'u16',
      'f64',
      'u8',
    ]);
    check(rows, columns);
  });

  it('returns empty arrays for an empty result', async () => {
    const result = await connection.run('SELECT 1.5::DOUBLE AS v WHERE false');
    const { rows, columns } = await readTypedColumns(result, ['f64']);
    expect(rows).toBe(0);
    expect(columns[0]).toHaveLength(0);
  });
});
