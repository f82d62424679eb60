import type { RowStore } from './statistic-input-store.js';

const QUOTE = 0x22;
/** Distinct raw branch spellings remembered as bytes (beyond this, fields are decoded). */
const BRANCH_CACHE_LIMIT = 256;

/** Decodes a CSV field's bytes, removing surrounding quotes and doubled inner quotes. */
export function fieldText(bytes: Uint8Array, start: number, end: number): string {
  if (end - start >= 2 && bytes[start] === QUOTE && bytes[end - 1] === QUOTE) {
    return Buffer.from(bytes.subarray(start + 1, end - 1))
      .toString('utf8')
      .replaceAll('""', '"');
  }
  return Buffer.from(bytes.subarray(start, end)).toString('utf8');
}

/**
 * Maps raw branch bytes to branch ids without decoding a string per row: each distinct spelling
 * is decoded once (by `decode`) and then matched byte for byte.
 */
export class BranchMatcher {
  private readonly raw: Uint8Array[] = [];
  private readonly ids: number[] = [];
  private last = -1;
  private readonly store: RowStore;
  private readonly decode: (bytes: Uint8Array, start: number, end: number) => string;

  constructor(
    store: RowStore,
    decode: (bytes: Uint8Array, start: number, end: number) => string = fieldText,
  ) {
    this.store = store;
    this.decode = decode;
  }

  /** The branch id of the spelling in bytes[start, end). */
  id(bytes: Uint8Array, start: number, end: number): number {
    if (this.last >= 0 && this.matches(this.last, bytes, start, end)) return this.ids[this.last]!;
    for (let k = 0; k < this.raw.length; k++) {
      if (this.matches(k, bytes, start, end)) {
        this.last = k;
        return this.ids[k]!;
      }
    }
    const id = this.store.branchId(this.decode(bytes, start, end));
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
