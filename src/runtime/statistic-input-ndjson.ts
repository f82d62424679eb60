import { BranchMatcher } from './branch-matcher.js';
import { asBuffer, parseNumberField } from './statistic-input-number.js';
import {
  finish,
  RowStore,
  StatisticInputError,
  type StatisticInputColumns,
  type StatisticInputTable,
} from './statistic-input-store.js';

const LF = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
/** Key index of `branch`; requested columns are 0 … n − 1; other keys are ignored. */
const BRANCH_KEY = -2;
const OTHER_KEY = -1;

function isSpace(b: number | undefined): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0d;
}

/** Decodes the JSON string body bytes[start, end) (escapes included). */
function jsonString(bytes: Uint8Array, start: number, end: number): string {
  return JSON.parse(`"${Buffer.from(bytes.subarray(start, end)).toString('utf8')}"`) as string;
}

/** Reads one file's lines; one instance per parse, its fields updated in place (no per-row objects). */
class NdjsonReader {
  pos = 0;
  end = 0;
  lineStart = 0;
  line = 0;
  /** Bounds of the last string read (its body, without quotes) and whether it had escapes. */
  stringStart = 0;
  stringEnd = 0;
  escaped = false;
  readonly bytes: Buffer;
  readonly path: string;
  private readonly keys: readonly Uint8Array[];
  /** The requested columns, by key index. */
  readonly names: readonly string[];

  constructor(bytes: Buffer, path: string, names: readonly string[]) {
    this.bytes = bytes;
    this.path = path;
    this.names = names;
    this.keys = names.map((name) => Buffer.from(name, 'utf8'));
  }

  fail(message: string, at: number = this.pos): never {
    throw new StatisticInputError(
      `${this.path}:${this.line}:${at - this.lineStart + 1}: ${message}`,
    );
  }

  skipSpace(): void {
    while (this.pos < this.end && isSpace(this.bytes[this.pos])) this.pos++;
  }

  expect(byte: number, what: string): void {
    this.skipSpace();
    if (this.bytes[this.pos] !== byte) this.fail(`expected ${what}`);
    this.pos++;
  }

  /** Reads a JSON string at the cursor, recording its bounds; decodes nothing. */
  readString(): void {
    this.expect(QUOTE, 'a string');
    const bytes = this.bytes;
    this.stringStart = this.pos;
    this.escaped = false;
    while (this.pos < this.end && bytes[this.pos] !== QUOTE) {
      if (bytes[this.pos] === BACKSLASH) {
        this.escaped = true;
        this.pos++;
      }
      this.pos++;
    }
    if (this.pos >= this.end) this.fail('unterminated string', this.stringStart);
    this.stringEnd = this.pos++;
  }

  /** The last string read, decoded. */
  stringText(): string {
    return jsonString(this.bytes, this.stringStart, this.stringEnd);
  }

  /** The key index of the last string read: BRANCH_KEY, a column index or OTHER_KEY. */
  keyIndex(): number {
    if (this.escaped) {
      const text = this.stringText();
      return text === 'branch' ? BRANCH_KEY : this.names.indexOf(text);
    }
    const length = this.stringEnd - this.stringStart;
    if (length === 6 && this.equals(BRANCH_BYTES)) return BRANCH_KEY;
    for (let k = 0; k < this.keys.length; k++) {
      if (this.keys[k]!.length === length && this.equals(this.keys[k]!)) return k;
    }
    return OTHER_KEY;
  }

  private equals(key: Uint8Array): boolean {
    const bytes = this.bytes;
    const start = this.stringStart;
    for (let i = 0; i < key.length; i++) if (bytes[start + i] !== key[i]) return false;
    return true;
  }

  /** End of a scalar value (number or literal) at the cursor. */
  scalarEnd(): number {
    const bytes = this.bytes;
    let i = this.pos;
    while (i < this.end && bytes[i] !== COMMA && bytes[i] !== CLOSE_BRACE && !isSpace(bytes[i])) {
      i++;
    }
    return i;
  }
}

const BRANCH_BYTES = Buffer.from('branch', 'utf8');

/** Per-parse state shared by the rows. */
interface NdjsonTable {
  readonly reader: NdjsonReader;
  readonly store: RowStore;
  readonly branches: BranchMatcher;
  /** Per column (and `branch` in the last slot): the last row that set it, + 1. */
  readonly setInRow: Int32Array;
  /** Per column: 1 once any row has it. */
  readonly seen: Uint8Array;
}

/** The name of key index `key` (for messages): `branch`, a column, or the last string read. */
function keyName(t: NdjsonTable, key: number): string {
  if (key === BRANCH_KEY) return 'branch';
  return key >= 0 ? t.reader.names[key]! : t.reader.stringText();
}

/** Marks `key` as set in `row`. @throws StatisticInputError when the row already set it. */
function markSet(t: NdjsonTable, key: number, keyStart: number, row: number): void {
  if (key === OTHER_KEY) return;
  const slot = key === BRANCH_KEY ? t.setInRow.length - 1 : key;
  if (t.setInRow[slot] === row + 1) {
    t.reader.fail(`key '${keyName(t, key)}' appears twice in the object`, keyStart);
  }
  t.setInRow[slot] = row + 1;
}

/** Reads the value of key `key` (an index) at the cursor into row `row`. */
function readValue(t: NdjsonTable, key: number, row: number): void {
  const r: NdjsonReader = t.reader;
  const bytes = r.bytes;
  const valueStart = r.pos;
  if (key === BRANCH_KEY) {
    if (bytes[r.pos] !== QUOTE) r.fail("'branch' must be a string", valueStart);
    r.readString();
    t.store.branchIds[row] = r.escaped
      ? t.store.branchId(r.stringText())
      : t.branches.id(bytes, r.stringStart, r.stringEnd);
  } else if (bytes[r.pos] === QUOTE) {
    r.readString();
    if (key >= 0) {
      r.fail(`'${keyName(t, key)}' must be a number, got "${r.stringText()}"`, valueStart);
    }
  } else if (bytes[r.pos] === OPEN_BRACE || bytes[r.pos] === OPEN_BRACKET) {
    r.fail(`nested values are not supported ('${keyName(t, key)}')`, valueStart);
  } else {
    const end = r.scalarEnd();
    if (key >= 0) {
      t.seen[key] = 1;
      const value = parseNumberField(bytes, r.pos, end);
      if (value === undefined) {
        const text = bytes.toString('utf8', r.pos, end);
        r.fail(`'${keyName(t, key)}': '${text}' is not a decimal number`, valueStart);
      }
      t.store.values[key]![row] = value;
    }
    r.pos = end;
  }
}

/** Parses the `{...}` line at the cursor into a new row; returns whether it had a branch. */
function parseObjectLine(t: NdjsonTable): boolean {
  const r: NdjsonReader = t.reader;
  const row = t.store.add(r.line);
  r.expect(OPEN_BRACE, "'{'");
  r.skipSpace();
  if (r.bytes[r.pos] === CLOSE_BRACE) r.pos++;
  else {
    for (;;) {
      r.skipSpace();
      const keyStart = r.pos;
      r.readString();
      const key = r.keyIndex();
      markSet(t, key, keyStart, row);
      r.expect(COLON, "':'");
      r.skipSpace();
      readValue(t, key, row);
      r.skipSpace();
      if (r.bytes[r.pos] === COMMA) {
        r.pos++;
        continue;
      }
      r.expect(CLOSE_BRACE, "',' or '}'");
      break;
    }
  }
  r.skipSpace();
  if (r.pos !== r.end) r.fail('unexpected text after the object');
  return t.setInRow[t.setInRow.length - 1] === row + 1;
}

/** Parses NDJSON bytes: one flat JSON object per line; blank lines are skipped. */
export function parseNdjson(
  bytes: Uint8Array,
  path: string,
  columns: StatisticInputColumns,
): StatisticInputTable {
  const wanted = [...columns.required, ...(columns.optional ?? [])];
  const store = new RowStore(wanted.length, bytes.length / 32);
  const t: NdjsonTable = {
    reader: new NdjsonReader(asBuffer(bytes), path, wanted),
    store,
    branches: new BranchMatcher(store, jsonString),
    setInRow: new Int32Array(wanted.length + 1),
    seen: new Uint8Array(wanted.length),
  };
  const r: NdjsonReader = t.reader;
  for (let start = 0; start < bytes.length;) {
    let end = bytes.indexOf(LF, start);
    if (end < 0) end = bytes.length;
    r.line++;
    r.pos = start;
    r.lineStart = start;
    r.end = end;
    r.skipSpace();
    if (r.pos < end && !parseObjectLine(t)) {
      throw new StatisticInputError(`${path}:${r.line}: missing 'branch'`);
    }
    start = end + 1;
  }
  for (const [k, name] of wanted.entries()) {
    if (k < columns.required.length && t.seen[k] === 0) {
      throw new StatisticInputError(`${path}: missing column '${name}' (no row has it)`);
    }
  }
  const present = wanted.flatMap((name, k) => (t.seen[k] === 1 ? [k] : []));
  return finish(
    store.project(present),
    present.map((k) => wanted[k]!),
    path,
  );
}
