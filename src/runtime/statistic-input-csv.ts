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
/** Distinct raw branch spellings remembered as bytes (beyond this, fields are decoded). */
const BRANCH_CACHE_LIMIT = 256;

/** Decodes a CSV field's bytes, removing surrounding quotes and doubled inner quotes. */
function fieldText(bytes: Uint8Array, start: number, end: number): string {
  if (end - start >= 2 && bytes[start] === QUOTE && bytes[end - 1] === QUOTE) {
    return Buffer.from(bytes.subarray(start + 1, end - 1))
      .toString('utf8')
      .replaceAll('""', '"');
  }
  return Buffer.from(bytes.subarray(start, end)).toString('utf8');
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
  const present = wanted.filter((c) => names.includes(c));
  const slots = new Int32Array(names.length).fill(-1);
  present.forEach((c, k) => (slots[names.indexOf(c)] = k));
  return { branch: names.indexOf('branch'), slots, present };
}

/** Maps raw branch field bytes to branch ids without decoding a string per row. */
class BranchMatcher {
  private readonly raw: Uint8Array[] = [];
  private readonly ids: number[] = [];
  private last = -1;
  private readonly store: RowStore;

  constructor(store: RowStore) {
    this.store = store;
  }

  id(bytes: Uint8Array, start: number, end: number): number {
    if (this.last >= 0 && this.matches(this.last, bytes, start, end)) return this.ids[this.last]!;
    for (let k = 0; k < this.raw.length; k++) {
      if (this.matches(k, bytes, start, end)) {
        this.last = k;
        return this.ids[k]!;
      }
    }
    const id = this.store.branchId(fieldText(bytes, start, end));
    if (this.raw.length < BRANCH_CACHE_LIMIT) {
      this.raw.push(bytes.slice(start, end));
      this.ids.push(id);
      this.last = this.raw.length - 1;
    }
    return id;
  }

  private matches(k: number, bytes: Uint8Array, start: number, end: number): boolean {
    const raw = this.raw[k]!;
    if (raw.length !== end - start) return false;
    for (let i = 0; i < raw.length; i++) if (raw[i] !== bytes[start + i]) return false;
    return true;
  }
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
        if (value === undefined) c.fail(`'${fieldText(bytes, start, end)}' is not a number`, start);
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
  const store = new RowStore(present.length);
  const branches = new BranchMatcher(store);
  const layout: CsvLayout = { branch, slots, fields: header.length };
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
