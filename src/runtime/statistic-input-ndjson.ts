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

function isSpace(b: number | undefined): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0d;
}

/** A cursor over one NDJSON line. */
interface LineCursor {
  pos: number;
  readonly end: number;
  readonly lineStart: number;
  readonly where: (pos: number) => string;
}

function skipSpace(bytes: Uint8Array, c: LineCursor): void {
  while (c.pos < c.end && isSpace(bytes[c.pos])) c.pos++;
}

function expect(bytes: Uint8Array, c: LineCursor, byte: number, what: string): void {
  skipSpace(bytes, c);
  if (bytes[c.pos] !== byte) throw new StatisticInputError(`${c.where(c.pos)}: expected ${what}`);
  c.pos++;
}

/** Reads a JSON string at the cursor (escapes decoded by JSON.parse when present). */
function readString(bytes: Uint8Array, c: LineCursor): string {
  expect(bytes, c, QUOTE, 'a string');
  const start = c.pos;
  let escaped = false;
  while (c.pos < c.end && bytes[c.pos] !== QUOTE) {
    if (bytes[c.pos] === BACKSLASH) {
      escaped = true;
      c.pos++;
    }
    c.pos++;
  }
  if (c.pos >= c.end) throw new StatisticInputError(`${c.where(start)}: unterminated string`);
  const raw = Buffer.from(bytes.subarray(start, c.pos)).toString('utf8');
  c.pos++;
  return escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
}

/** End of a scalar value (number or literal) at the cursor. */
function scalarEnd(bytes: Uint8Array, c: LineCursor): number {
  let i = c.pos;
  while (i < c.end && bytes[i] !== COMMA && bytes[i] !== CLOSE_BRACE && !isSpace(bytes[i])) i++;
  return i;
}

/** Parses one `{...}` line into the store. */
function parseObjectLine(
  bytes: Buffer,
  c: LineCursor,
  store: RowStore,
  line: number,
  slots: ReadonlyMap<string, number>,
  seen: Uint8Array,
): boolean {
  const row = store.add(line);
  let sawBranch = false;
  expect(bytes, c, OPEN_BRACE, "'{'");
  skipSpace(bytes, c);
  if (bytes[c.pos] === CLOSE_BRACE) c.pos++;
  else {
    for (;;) {
      const key = readString(bytes, c);
      expect(bytes, c, COLON, "':'");
      skipSpace(bytes, c);
      const valueStart = c.pos;
      if (key === 'branch') {
        if (bytes[c.pos] !== QUOTE) {
          throw new StatisticInputError(`${c.where(valueStart)}: 'branch' must be a string`);
        }
        store.branchIds[row] = store.branchId(readString(bytes, c));
        sawBranch = true;
      } else if (bytes[c.pos] === QUOTE) {
        const text = readString(bytes, c);
        if (slots.has(key)) {
          throw new StatisticInputError(
            `${c.where(valueStart)}: '${key}' must be a number, got "${text}"`,
          );
        }
      } else if (bytes[c.pos] === OPEN_BRACE || bytes[c.pos] === 0x5b) {
        throw new StatisticInputError(
          `${c.where(valueStart)}: nested values are not supported ('${key}')`,
        );
      } else {
        const end = scalarEnd(bytes, c);
        const slot = slots.get(key);
        if (slot !== undefined) {
          seen[slot] = 1;
          const value = parseNumberField(bytes, c.pos, end);
          if (value === undefined) {
            throw new StatisticInputError(`${c.where(valueStart)}: '${key}' is not a number`);
          }
          store.values[slot]![row] = value;
        }
        c.pos = end;
      }
      skipSpace(bytes, c);
      if (bytes[c.pos] === COMMA) {
        c.pos++;
        continue;
      }
      expect(bytes, c, CLOSE_BRACE, "',' or '}'");
      break;
    }
  }
  skipSpace(bytes, c);
  if (c.pos !== c.end) {
    throw new StatisticInputError(`${c.where(c.pos)}: unexpected text after the object`);
  }
  return sawBranch;
}

/** Parses NDJSON bytes: one flat JSON object per line; blank lines are skipped. */
export function parseNdjson(
  bytes: Uint8Array,
  path: string,
  columns: StatisticInputColumns,
): StatisticInputTable {
  const buffer = asBuffer(bytes);
  const wanted = [...columns.required, ...(columns.optional ?? [])];
  const slots = new Map(wanted.map((name, k) => [name, k]));
  const store = new RowStore(wanted.length);
  const seen = new Uint8Array(wanted.length);
  let line = 0;
  for (let start = 0; start < bytes.length;) {
    let end = bytes.indexOf(LF, start);
    if (end < 0) end = bytes.length;
    line++;
    const lineNumber = line;
    const cursor: LineCursor = {
      pos: start,
      end,
      lineStart: start,
      where: (p) => `${path}:${lineNumber}:${p - start + 1}`,
    };
    skipSpace(bytes, cursor);
    if (cursor.pos < end) {
      if (!parseObjectLine(buffer, cursor, store, line, slots, seen)) {
        throw new StatisticInputError(`${path}:${line}: missing 'branch'`);
      }
    }
    start = end + 1;
  }
  for (const name of columns.required) {
    if (!seen[slots.get(name)!]) {
      throw new StatisticInputError(`${path}: missing column '${name}' (no row has it)`);
    }
  }
  const present = wanted.filter((_, k) => seen[k]);
  return finish(store.project(present.map((name) => slots.get(name)!)), present, path);
}
