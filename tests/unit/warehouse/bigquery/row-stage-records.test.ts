import { describe, expect, it } from 'vitest';
import type { StatisticRow } from '../../../../src/stats/statistic-row.js';
import {
  chunkRows,
  latestWrites,
  type StagedRecord,
} from '../../../../src/warehouse/staging/bigquery-row-stage.js';

const stat = (point: number): StatisticRow => ({
  metric: 'm',
  statistic: 'mean',
  parameter: null,
  branch: 'control',
  comparison: null,
  comparison_to_branch: null,
  ci_width: 0.95,
  point,
  lower: null,
  upper: null,
  segment: 'all',
  analysis_basis: 'enrollments',
});

function write(key: string, writeId: string, sequence: number, chunks: string[]): StagedRecord[] {
  return chunks.map((rows, part) => ({
    key,
    kind: 'rows',
    writeId,
    sequence,
    part,
    parts: chunks.length,
    rows,
  }));
}

describe('row stage records', () => {
  it('chunks rows into JSON arrays under the limit, one chunk at least', () => {
    expect(chunkRows([], 100)).toEqual(['[]']);
    const rows = [stat(1), stat(2), stat(3)];
    const chunks = chunkRows(rows, JSON.stringify(rows[0]).length * 2 + 4);
    expect(chunks.length).toBe(2);
    expect(chunks.flatMap((c) => JSON.parse(c) as StatisticRow[])).toEqual(rows);
    expect(chunkRows(rows, 1)).toHaveLength(3); // a row larger than the limit goes alone
  });

  it('takes the latest complete write per key, in part order', () => {
    const [a, b] = chunkRows([stat(1), stat(2)], 10);
    const records = [
      ...write('k', 'w1', 10, ['[]']),
      ...write('k', 'w2', 20, [a!, b!]).reverse(),
      ...write('k', 'w3', 30, [a!, b!]).slice(0, 1), // incomplete: ignored
      ...write('j', 'w4', 5, [JSON.stringify([stat(7)])]),
    ];
    expect(latestWrites(records)).toEqual(
      new Map([
        ['j', [stat(7)]],
        ['k', [stat(1), stat(2)]],
      ]),
    );
  });

  it('breaks sequence ties by write id and hides writes up to the last drop marker', () => {
    const drop = (sequence: number): StagedRecord => ({
      key: null,
      kind: 'drop',
      writeId: `d${sequence}`,
      sequence,
      part: 0,
      parts: 1,
      rows: null,
    });
    const records = [
      ...write('k', 'a', 10, [JSON.stringify([stat(1)])]),
      ...write('k', 'b', 10, [JSON.stringify([stat(2)])]),
    ];
    expect(latestWrites(records).get('k')).toEqual([stat(2)]);
    expect(latestWrites([...records, drop(10)]).size).toBe(0);
    expect(latestWrites([...records, drop(9)]).get('k')).toEqual([stat(2)]);
  });
});
