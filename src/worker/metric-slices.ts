import type { MetricSlice } from '../stats/slice/metric-slice.js';
import type { MetricValues } from '../warehouse/metric-read-spec.js';

/** The segment every client belongs to. */
export const ALL_SEGMENT = 'all';

/** How warehouse columns become the statistics engine's slice columns. */
export interface SliceColumns {
  /** Warehouse column read as the slice's `value` column; null for `depends_on` metrics. */
  readonly value: string | null;
  /** Warehouse column read as `covariate` (`<metric>_pre`), if any. */
  readonly covariate: string | null;
  /** Further warehouse columns passed under their own names (`depends_on` metrics). */
  readonly extra: readonly string[];
}

/**
 * Splits per-client values into one {@link MetricSlice} for a segment: one branch entry per
 * branch with at least one client, in the configured order, each with typed-array columns.
 * Two passes over the clients (count, then copy); no per-client objects.
 */
export function sliceForSegment(
  values: MetricValues,
  segment: string,
  columns: SliceColumns,
): MetricSlice {
  const mask = segment === ALL_SEGMENT ? null : values.segments[segment];
  if (mask === undefined) throw new Error(`segment ${segment} was not read`);
  const counts = new Int32Array(values.branches.length);
  for (let i = 0; i < values.clients; i++) {
    if (mask === null || mask[i] === 1) counts[values.branch[i]!]! += 1;
  }
  const wanted = wantedColumns(columns);
  const sources = wanted.map(([, from]) => {
    const column = values.columns[from];
    if (column === undefined) throw new Error(`column ${from} was not read`);
    return column;
  });
  const slice = values.branches.map((branch, b) => {
    const out = wanted.map(() => new Float64Array(counts[b]!));
    return { branch, out };
  });
  const cursor = new Int32Array(values.branches.length);
  for (let i = 0; i < values.clients; i++) {
    if (mask !== null && mask[i] !== 1) continue;
    const b = values.branch[i]!;
    const at = cursor[b]!;
    const target = slice[b]!.out;
    for (let c = 0; c < sources.length; c++) target[c]![at] = sources[c]![i]!;
    cursor[b] = at + 1;
  }
  return slice
    .filter((_, b) => counts[b]! > 0)
    .map(({ branch, out }) => ({
      branch,
      columns: Object.fromEntries(wanted.map(([name], c) => [name, out[c]!])),
    }));
}

/** [slice column name, warehouse column name] pairs. */
function wantedColumns(columns: SliceColumns): [string, string][] {
  const pairs: [string, string][] = [];
  if (columns.value !== null) pairs.push(['value', columns.value]);
  if (columns.covariate !== null) pairs.push(['covariate', columns.covariate]);
  for (const name of columns.extra) pairs.push([name, name]);
  return pairs;
}
