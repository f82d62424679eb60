import type { StatisticRow } from '../../../src/stats/statistic-row.js';

/** How a run's statistics tables differ from the undisturbed run's. */
export interface TableDiff {
  /** Tables of the undisturbed run that are missing. */
  readonly missingTables: readonly string[];
  /** Tables the undisturbed run did not write. */
  readonly extraTables: readonly string[];
  /** Rows of the undisturbed run with no row of the same identity. */
  readonly rowsLost: number;
  /** Rows beyond the first of each identity. */
  readonly rowsDuplicated: number;
  /** Rows whose identity matches but whose values are not bit-identical. */
  readonly rowsChanged: number;
  /** Rows whose identity the undisturbed run does not have. */
  readonly rowsExtra: number;
  /** Up to five examples of lost, duplicated, changed or extra rows. */
  readonly examples: readonly string[];
}

/** The identity of a statistics row inside its table. */
export function rowIdentity(row: StatisticRow): string {
  return [
    row.metric,
    row.statistic,
    row.parameter ?? '',
    row.segment,
    row.analysis_basis,
    row.branch,
    row.comparison ?? '',
    row.comparison_to_branch ?? '',
  ].join('|');
}

/** Which tables and rows {@link diffTables} compares. */
export interface DiffScope {
  readonly tables?: (table: string) => boolean;
  readonly rows?: (table: string, row: StatisticRow) => boolean;
}

/**
 * Compares `actual` with `expected` table by table and row by row (numbers with `Object.is`, so
 * bit for bit, NaN included), within `scope` (applied to both sides).
 */
export function diffTables(
  actualTables: ReadonlyMap<string, readonly StatisticRow[]>,
  expectedTables: ReadonlyMap<string, readonly StatisticRow[]>,
  scope: DiffScope = {},
): TableDiff {
  const actual = narrow(actualTables, scope);
  const expected = narrow(expectedTables, scope);
  const only = scope.tables ?? (() => true);
  const names = (m: ReadonlyMap<string, unknown>) => [...m.keys()].filter(only);
  const missingTables = names(expected).filter((n) => !actual.has(n));
  const extraTables = names(actual).filter((n) => !expected.has(n));
  const counts = { rowsLost: 0, rowsDuplicated: 0, rowsChanged: 0, rowsExtra: 0 };
  const examples: string[] = [];
  const note = (kind: keyof typeof counts, table: string, row: StatisticRow) => {
    counts[kind] += 1;
    if (examples.length < 5) examples.push(`${kind} ${table}: ${rowIdentity(row)}`);
  };
  for (const name of names(expected)) {
    const want = new Map((expected.get(name) ?? []).map((r) => [rowIdentity(r), r]));
    const seen = new Set<string>();
    for (const row of actual.get(name) ?? []) {
      const id = rowIdentity(row);
      const expectedRow = want.get(id);
      if (seen.has(id)) note('rowsDuplicated', name, row);
      else if (expectedRow === undefined) note('rowsExtra', name, row);
      else if (!sameRow(row, expectedRow)) note('rowsChanged', name, row);
      seen.add(id);
    }
    for (const [id, row] of want) if (!seen.has(id)) note('rowsLost', name, row);
  }
  for (const name of missingTables) counts.rowsLost += expected.get(name)?.length ?? 0;
  return { missingTables, extraTables, ...counts, examples };
}

/** The diff of two identical table sets (what every scenario expects). */
export const NO_DIFFERENCE: TableDiff = {
  missingTables: [],
  extraTables: [],
  rowsLost: 0,
  rowsDuplicated: 0,
  rowsChanged: 0,
  rowsExtra: 0,
  examples: [],
};

/** Rows in all tables. */
export function countRows(tables: ReadonlyMap<string, readonly StatisticRow[]>): number {
  let n = 0;
  for (const rows of tables.values()) n += rows.length;
  return n;
}

function narrow(
  tables: ReadonlyMap<string, readonly StatisticRow[]>,
  scope: DiffScope,
): ReadonlyMap<string, readonly StatisticRow[]> {
  const keep = scope.rows;
  if (keep === undefined) return tables;
  return new Map([...tables].map(([name, rows]) => [name, rows.filter((r) => keep(name, r))]));
}

function sameRow(a: StatisticRow, b: StatisticRow): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof StatisticRow>;
  for (const key of keys) if (!Object.is(a[key], b[key])) return false;
  return true;
}
