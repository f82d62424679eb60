import { parseNumberField } from './statistic-input-number.js';
import {
  finish,
  RowStore,
  StatisticInputError,
  type StatisticInputColumns,
  type StatisticInputTable,
} from './statistic-input-store.js';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/** Decodes a CSV field's bytes, removing surrounding quotes and doubled inner quotes. */
function fieldText(bytes: Uint8Array, start: number, end: number): string {
  if (end - start >= 2 && bytes[start] === QUOTE && bytes[end - 1] === QUOTE) {
    return Buffer.from(bytes.subarray(start + 1, end - 1))
      .toString('utf8')
      .replaceAll('""', '"');
  }
  return Buffer.from(bytes.subarray(start, end)).toString('utf8');
}

/** End of the field starting at `start` (a comma, line end or the end of input). */
function fieldEnd(bytes: Uint8Array, start: number, where: () => string): number {
  let i = start;
  if (bytes[i] === QUOTE) {
    i++;
    for (;;) {
      if (i >= bytes.length || bytes[i] === LF) {
        throw new StatisticInputError(`${where()}: unterminated quoted field`);
      }
      if (bytes[i] === QUOTE) {
        if (bytes[i + 1] === QUOTE) i += 2;
        else return i + 1;
      } else i++;
    }
  }
  while (i < bytes.length && bytes[i] !== COMMA && bytes[i] !== LF && bytes[i] !== CR) i++;
  return i;
}

/** Column lookup of a CSV header: the requested columns and `branch` mapped to field indexes. */
export function headerIndex(
  names: readonly string[],
  path: string,
  columns: StatisticInputColumns,
): { branch: number; slots: Int32Array; present: string[] } {
  const branch = names.indexOf('branch');
  const wanted = [...columns.required, ...(columns.optional ?? [])];
  const missing = ['branch', ...columns.required].filter((c) => !names.includes(c));
  if (missing.length > 0) {
    throw new StatisticInputError(
      `${path}:1: missing column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `'${c}'`).join(', ')} (header: ${names.join(', ')})`,
    );
  }
  const present = wanted.filter((c) => names.includes(c));
  const slots = new Int32Array(names.length).fill(-1);
  present.forEach((c, k) => (slots[names.indexOf(c)] = k));
  return { branch, slots, present };
}

/** Parses CSV bytes (RFC 4180 quoting, no line breaks inside fields). */
export function parseCsv(
  bytes: Uint8Array,
  path: string,
  columns: StatisticInputColumns,
): StatisticInputTable {
  let pos = 0;
  let line = 1;
  const where = (column?: number) => `${path}:${line}${column === undefined ? '' : `:${column}`}`;
  const header: string[] = [];
  while (pos <= bytes.length) {
    const end = fieldEnd(bytes, pos, where);
    header.push(fieldText(bytes, pos, end).trim());
    pos = end;
    if (bytes[pos] !== COMMA) break;
    pos++;
  }
  const { branch, slots, present } = headerIndex(header, path, columns);
  const store = new RowStore(present.length);
  while (pos < bytes.length) {
    if (bytes[pos] === CR) pos++;
    if (bytes[pos] === LF) pos++;
    line++;
    if (pos >= bytes.length) break;
    if (bytes[pos] === LF || bytes[pos] === CR) continue;
    pos = parseCsvRow(bytes, pos, store, { branch, slots, fields: header.length, where, line });
  }
  return finish(store, present, path);
}

interface CsvRowContext {
  readonly branch: number;
  readonly slots: Int32Array;
  readonly fields: number;
  readonly where: (column?: number) => string;
  readonly line: number;
}

/** Parses one data row starting at `pos`; returns the position of its line end. */
function parseCsvRow(
  bytes: Uint8Array,
  start: number,
  store: RowStore,
  ctx: CsvRowContext,
): number {
  const row = store.add(ctx.line);
  const lineStart = start;
  let pos = start;
  let field = 0;
  for (;;) {
    const end = fieldEnd(bytes, pos, () => ctx.where(pos - lineStart + 1));
    if (field >= ctx.fields) {
      throw new StatisticInputError(
        `${ctx.where(pos - lineStart + 1)}: more fields than the header's ${ctx.fields}`,
      );
    }
    if (field === ctx.branch) {
      store.branchIds[row] = store.branchId(fieldText(bytes, pos, end));
    } else if (ctx.slots[field]! >= 0) {
      const value = parseNumberField(bytes, pos, end);
      if (value === undefined) {
        throw new StatisticInputError(
          `${ctx.where(pos - lineStart + 1)}: '${fieldText(bytes, pos, end)}' is not a number`,
        );
      }
      store.values[ctx.slots[field]!]![row] = value;
    }
    field++;
    pos = end;
    if (bytes[pos] !== COMMA) break;
    pos++;
  }
  if (pos < bytes.length && bytes[pos] !== LF && bytes[pos] !== CR) {
    throw new StatisticInputError(
      `${ctx.where(pos - lineStart + 1)}: unexpected character after a quoted field`,
    );
  }
  if (field !== ctx.fields) {
    throw new StatisticInputError(`${ctx.where()}: ${field} fields, the header has ${ctx.fields}`);
  }
  return pos;
}
