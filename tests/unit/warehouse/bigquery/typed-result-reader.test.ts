import { describe, expect, it } from 'vitest';
import type { ResultPage } from '../../../../src/warehouse/bigquery/query-job.js';
import { readTypedColumns } from '../../../../src/warehouse/bigquery/typed-result-reader.js';

const FIELDS = [
  { name: 'branch_index', type: 'INTEGER', mode: 'NULLABLE' },
  { name: 'm', type: 'FLOAT', mode: 'NULLABLE' },
  { name: 'flag', type: 'BOOLEAN', mode: 'NULLABLE' },
  { name: 'seg', type: 'BOOLEAN', mode: 'NULLABLE' },
];
const NAMES = FIELDS.map((f) => f.name);
const KINDS = ['u16', 'f64', 'f64', 'u8'] as const;

const row = (...values: (string | null)[]) => ({ f: values.map((v) => ({ v })) });

async function* pages(...list: ResultPage[]): AsyncGenerator<ResultPage> {
  for (const page of list) yield await Promise.resolve(page);
}

describe('readTypedColumns', () => {
  it('reads pages into exactly sized typed arrays (NULL → NaN / 0, BOOL → 1/0)', async () => {
    const read = await readTypedColumns(
      pages(
        {
          fields: FIELDS,
          rows: [row('0', '1.5', 'true', 'true'), row('1', null, null, null)],
          totalRows: 3,
        },
        { fields: FIELDS, rows: [row('2', 'Infinity', 'false', 'false')], totalRows: 3 },
      ),
      NAMES,
      KINDS,
    );
    expect(read.rows).toBe(3);
    const [branch, m, flag, seg] = read.columns;
    expect(branch).toEqual(Uint16Array.from([0, 1, 2]));
    expect(m).toEqual(Float64Array.from([1.5, Number.NaN, Number.POSITIVE_INFINITY]));
    expect(flag).toEqual(Float64Array.from([1, Number.NaN, 0]));
    expect(seg).toEqual(Uint8Array.from([1, 0, 0]));
  });

  it('grows when totalRows understates the rows and trims when it overstates', async () => {
    const grown = await readTypedColumns(
      pages({
        fields: FIELDS,
        rows: [row('0', '1', null, null), row('0', '2', null, null)],
        totalRows: 1,
      }),
      NAMES,
      KINDS,
    );
    expect(grown.columns[1]).toEqual(Float64Array.from([1, 2]));
    const trimmed = await readTypedColumns(
      pages({ fields: FIELDS, rows: [], totalRows: 5 }),
      NAMES,
      KINDS,
    );
    expect(trimmed.rows).toBe(0);
    expect(trimmed.columns.every((c) => c.length === 0)).toBe(true);
  });

  it('refuses unexpected columns, non-numeric types and bad branch indexes', async () => {
    const renamed = FIELDS.map((f, i) => (i === 1 ? { ...f, name: 'other' } : f));
    await expect(
      readTypedColumns(pages({ fields: renamed, rows: [], totalRows: 0 }), NAMES, KINDS),
    ).rejects.toThrow(/got branch_index, other, flag, seg, expected branch_index, m, flag, seg/);
    const text = FIELDS.map((f, i) => (i === 1 ? { ...f, type: 'STRING' } : f));
    await expect(
      readTypedColumns(pages({ fields: text, rows: [], totalRows: 0 }), NAMES, KINDS),
    ).rejects.toThrow(/column m has type STRING/);
    await expect(
      readTypedColumns(
        pages({ fields: FIELDS, rows: [row('70000', '1', null, null)], totalRows: 1 }),
        NAMES,
        KINDS,
      ),
    ).rejects.toThrow(/70000 is not a branch index/);
  });
});
