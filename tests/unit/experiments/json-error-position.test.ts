import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { jsonErrorPosition } from '../../../src/experiments/api/json-error-position.js';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('jsonErrorPosition', () => {
  it('points at the first character that is not JSON', () => {
    expect(jsonErrorPosition('[\n  {"slug": "a"},\n  {"slug": }\n]')).toEqual({
      line: 3,
      column: 12,
    });
    expect(jsonErrorPosition('{"a": 1,}')).toEqual({ line: 1, column: 9 });
    expect(jsonErrorPosition('[1, 2')).toEqual({ line: 1, column: 6 });
    expect(jsonErrorPosition('"tab\there"')).toEqual({ line: 1, column: 5 });
    expect(jsonErrorPosition('[] []')).toEqual({ line: 1, column: 4 });
  });

  it('agrees with JSON.parse on valid and corrupted documents', () => {
    fc.assert(
      fc.property(
        fc.json(),
        fc.nat(),
        fc.constantFrom('', '}', ',', '"', ':', 'x'),
        (json, at, junk) => {
          expect(jsonErrorPosition(json)).toBeNull();
          const cut = at % (json.length + 1);
          const corrupted = json.slice(0, cut) + junk + json.slice(cut + 1);
          expect(jsonErrorPosition(corrupted) === null).toBe(parses(corrupted));
        },
      ),
      { numRuns: 300 },
    );
  });
});
