import { describe, expect, it } from 'vitest';

import { finalizeIdsOf } from '../../../src/queue/carried-windows.js';

describe('finalizeIdsOf', () => {
  it('reads the finalize ids an enrollments payload carries, in order', () => {
    const data = {
      kind: 'enrollments',
      groups: [
        { finalize: { id: 'finalize.a.2026-03-01.day.2' } },
        { finalize: { id: 'finalize.a.2026-03-01.week.1' } },
      ],
    };
    expect(finalizeIdsOf(data)).toEqual([
      'finalize.a.2026-03-01.day.2',
      'finalize.a.2026-03-01.week.1',
    ]);
  });

  it('skips what is malformed instead of throwing', () => {
    expect(finalizeIdsOf(null)).toEqual([]);
    expect(finalizeIdsOf({ groups: 'x' })).toEqual([]);
    expect(
      finalizeIdsOf({ groups: [null, { finalize: { id: 3 } }, { finalize: { id: 'f' } }] }),
    ).toEqual(['f']);
  });
});
