import { BranchMatcher, fieldText } from './branch-matcher.js';
import { asBuffer, parseNumberField } from './statistic-input-number.js';
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

/** @throws StatisticInputError when `branch` or a requested column appears twice in the header. */
function rejectDuplicateColumns(names: readonly string[], path: string, wanted: readonly string[]) {
  for (const name of ['branch', ...wanted]) {
    const first = names.indexOf(name);
    const second = names.indexOf(name, first + 1);
    if (first >= 0 && second >= 0) {
      throw new StatisticInputError(
        `${path}:1: column '${name}' appears twice in the header (fields ${first + 1} and ${second + 1})`,
      );
    }
  }
}

/** Column lookup of a CSV header: the requested columns and `branch` mapped to field indexes. */
export function headerIndex(
  names: readonly string[],
  path: string,
  columns: StatisticInputColumns,
): { branch: number; slots: Int32Array; present: string[] } {
  const wanted = [...columns.required, ...(columns.optional ?? [])];
  const missing = ['branch', ...columns.required].filter((c) => !names.includes(c));
  if (missing.length > 0) {
    const list = missing.map((c) => `'${c}'`).join(', ');
    throw new StatisticInputError(
      `${path}:1: missing column${missing.length > 1 ? 's' : ''} ${list} (header: ${names.join(', ')})`,
    );
  }
  rejectDuplicateColumns(names, path, wanted);
  const present = wanted.filter((c) => names.includes(c));
  const slots = new Int32Array(names.length).fill(-1);
  present.forEach((c, k) => (slots[names.indexOf(c)] = k));
  return { branch: names.indexOf('branch'), slots, present };
}

/** A position in the CSV bytes that can describe itself in error messages. */
class CsvCursor {
  pos = 0;
  line = 1;
  lineStart = 0;
  readonly bytes: Buffer;
  readonly path: string;

  constructor(bytes: Uint8Array, path: string) {
    this.bytes = asBuffer(bytes);
    this.path = path;
  }

  /** Throws a StatisticInputError at the current line (and column of byte `at`). */
  fail(message: string, at?: number): never {
    const column = at === undefined ? '' : `:${at - this.lineStart + 1}`;
    throw new StatisticInputError(`${this.path}:${this.line}${column}: ${message}`);
  }

  /** End of the field starting at `start` (a comma, line end or the end of input). */
  fieldEnd(start: number): number {
    const bytes = this.bytes;
    let i = start;
    if (bytes[i] === QUOTE) {
      for (i++; ;) {
        if (i >= bytes.length || bytes[i] === LF) this.fail('unterminated quoted field', start);
        if (bytes[i] !== QUOTE) i++;
        else if (bytes[i + 1] === QUOTE) i += 2;
        else return i + 1;
      }
    }
    while (i < bytes.length && bytes[i] !== COMMA && bytes[i] !== LF && bytes[i] !== CR) i++;
    return i;
  }
}

interface CsvLayout {
  readonly header: readonly string[];
  readonly branch: number;
  readonly slots: Int32Array;
  readonly fields: number;
}

/** Parses one data row at the cursor; leaves the cursor at its line end. */
function parseRow(c: CsvCursor, store: RowStore, branches: BranchMatcher, layout: CsvLayout): void {
  const bytes = c.bytes;
  const row = store.add(c.line);
  let field = 0;
  for (;;) {
    const start = c.pos;
    const end = c.fieldEnd(start);
    if (field >= layout.fields) c.fail(`more fields than the header's ${layout.fields}`, start);
    if (field === layout.branch) {
      store.branchIds[row] = branches.id(bytes, start, end);
    } else {
      const slot = layout.slots[field]!;
      if (slot >= 0) {
        const value = parseNumberField(bytes, start, end);
        if (value === undefined) {
          const text = fieldText(bytes, start, end);
          c.fail(`column '${layout.header[field]!}': '${text}' is not a decimal number`, start);
        }
        store.values[slot]![row] = value;
      }
    }
    field++;
    c.pos = end;
    if (bytes[end] !== COMMA) break;
    c.pos++;
  }
  if (c.pos < bytes.length && bytes[c.pos] !== LF && bytes[c.pos] !== CR) {
    c.fail('unexpected character after a quoted field', c.pos);
  }
  if (field !== layout.fields) c.fail(`${field} fields, the header has ${layout.fields}`);
}

function parseHeader(c: CsvCursor): string[] {
  const header: string[] = [];
  for (;;) {
    const end = c.fieldEnd(c.pos);
    header.push(fieldText(c.bytes, c.pos, end).trim());
    c.pos = end;
    if (c.bytes[c.pos] !== COMMA) return header;
    c.pos++;
  }
}

/** Parses CSV bytes (RFC 4180 quoting, no line breaks inside fields; blank lines skipped). */
export function parseCsv(
  bytes: Uint8Array,
  path: string,
  columns: StatisticInputColumns,
): StatisticInputTable {
  const c = new CsvCursor(bytes, path);
  const header = parseHeader(c);
  const { branch, slots, present } = headerIndex(header, path, columns);
  const store = new RowStore(present.length, bytes.length / 16);
  const branches = new BranchMatcher(store);
  const layout: CsvLayout = { header, branch, slots, fields: header.length };
  while (c.pos < bytes.length) {
    if (bytes[c.pos] === CR) c.pos++;
    if (bytes[c.pos] === LF) c.pos++;
    c.line++;
    c.lineStart = c.pos;
    if (c.pos >= bytes.length) break;
    if (bytes[c.pos] === LF || bytes[c.pos] === CR) continue;
    parseRow(c, store, branches, layout);
  }
  return finish(store, present, path);
}
