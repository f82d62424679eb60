import { SOURCE_LINE_COLUMN, type BranchSlice, type MetricSlice } from '../stats/index.js';

/** A bad input file: the message names the file, line and column. */
export class StatisticInputError extends Error {
  override readonly name = 'StatisticInputError';
}

/** Columns to read besides `branch`. */
export interface StatisticInputColumns {
  readonly required: readonly string[];
  readonly optional?: readonly string[];
}

/** A loaded input: one slice (with source line numbers in `__line`) and its size. */
export interface StatisticInputTable {
  readonly slice: MetricSlice;
  readonly rows: number;
  /** The requested columns the file has. */
  readonly columns: readonly string[];
}

/** Growable per-row storage: branch ids, line numbers and one Float64Array per column. */
export class RowStore {
  branchIds: Int32Array;
  lines: Float64Array;
  values: Float64Array[];
  rows = 0;
  readonly branches: string[] = [];
  private readonly branchIndex = new Map<string, number>();

  /** @param capacity - rows to allocate up front (the store grows past it). */
  constructor(columnCount: number, capacity = 1024) {
    const size = Math.max(16, Math.ceil(capacity));
    this.branchIds = new Int32Array(size);
    this.lines = new Float64Array(size);
    this.values = Array.from({ length: columnCount }, () => new Float64Array(size));
  }

  /** Starts a row; returns its index. */
  add(line: number): number {
    if (this.rows === this.lines.length) this.grow();
    this.lines[this.rows] = line;
    const values = this.values;
    for (let c = 0; c < values.length; c++) values[c]![this.rows] = Number.NaN;
    return this.rows++;
  }

  branchId(name: string): number {
    let id = this.branchIndex.get(name);
    if (id === undefined) {
      id = this.branches.length;
      this.branches.push(name);
      this.branchIndex.set(name, id);
    }
    return id;
  }

  private grow(): void {
    const size = this.lines.length * 2;
    const grow64 = (a: Float64Array) => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    const ids = new Int32Array(size);
    ids.set(this.branchIds);
    this.branchIds = ids;
    this.lines = grow64(this.lines);
    this.values = this.values.map(grow64);
  }

  /** Keeps only the value columns at `indices` (in that order). */
  project(indices: readonly number[]): this {
    this.values = indices.map((k) => this.values[k]!);
    return this;
  }

  /** Splits the rows per branch, in order of first appearance. */
  toSlice(names: readonly string[]): MetricSlice {
    const counts = new Int32Array(this.branches.length);
    for (let i = 0; i < this.rows; i++) counts[this.branchIds[i]!]!++;
    const slices = this.branches.map((branch, b) => {
      const columns: Record<string, Float64Array> = {
        [SOURCE_LINE_COLUMN]: new Float64Array(counts[b]!),
      };
      for (const name of names) columns[name] = new Float64Array(counts[b]!);
      return { branch, columns } satisfies BranchSlice;
    });
    const sources = [this.lines, ...this.values];
    const targets = [SOURCE_LINE_COLUMN, ...names];
    const cursor = new Int32Array(this.branches.length);
    for (let c = 0; c < sources.length; c++) {
      const source = sources[c]!;
      const outs = slices.map((s) => s.columns[targets[c]!]!);
      cursor.fill(0);
      for (let i = 0; i < this.rows; i++) {
        const b = this.branchIds[i]!;
        outs[b]![cursor[b]!++] = source[i]!;
      }
    }
    return slices;
  }
}

/** The table of a filled store. @throws StatisticInputError when there are no rows. */
export function finish(
  store: RowStore,
  present: readonly string[],
  path: string,
): StatisticInputTable {
  if (store.rows === 0) throw new StatisticInputError(`${path}: no data rows`);
  return { slice: store.toSlice(present), rows: store.rows, columns: present };
}
