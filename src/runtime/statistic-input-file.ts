import { readFileSync } from 'node:fs';

import { coerceError } from '../analysis/coerce-error.js';
import { parseCsv } from './statistic-input-csv.js';
import { parseNdjson } from './statistic-input-ndjson.js';
import {
  StatisticInputError,
  type StatisticInputColumns,
  type StatisticInputTable,
} from './statistic-input-store.js';

export {
  StatisticInputError,
  type StatisticInputColumns,
  type StatisticInputTable,
} from './statistic-input-store.js';

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const OPEN_BRACE = 0x7b;

/**
 * Parses the input of `contrail stats`: CSV (a header with `branch`, `value`, ...) or NDJSON (one
 * flat object per line), bytes straight into typed arrays, no per-row objects. Empty cells,
 * `null` and `NaN` are null; `true`/`false` are 1/0.
 * @throws StatisticInputError naming the file, line and column of the first problem.
 */
export function parseStatisticInput(
  bytes: Uint8Array,
  path: string,
  columns: StatisticInputColumns,
): StatisticInputTable {
  let first = 0;
  while (
    first < bytes.length &&
    (bytes[first] === SPACE || bytes[first] === LF || bytes[first] === CR)
  ) {
    first++;
  }
  if (first >= bytes.length) throw new StatisticInputError(`${path}: the file is empty`);
  if (bytes[first] === OPEN_BRACE) return parseNdjson(bytes, path, columns);
  return parseCsv(bytes, path, columns);
}

/** {@link parseStatisticInput} of a file. */
export function readStatisticInputFile(
  path: string,
  columns: StatisticInputColumns,
): StatisticInputTable {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const error = coerceError(e);
    throw new StatisticInputError(`${path}: cannot read the file (${error.message})`);
  }
  return parseStatisticInput(bytes, path, columns);
}
