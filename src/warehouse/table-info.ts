import { ANALYSIS_PERIODS } from '../analysis/analysis-period.js';

/** Kinds of result tables. */
export const TABLE_KINDS = ['enrollments', 'statistics', 'metrics', 'other'] as const;

/** One kind of result table. */
export type TableKind = (typeof TABLE_KINDS)[number];

/** A result table in the warehouse. */
export interface TableInfo {
  /** Bare table name, e.g. `statistics_my_slug_week_1`. */
  readonly name: string;
  /** Derived from the name prefix. */
  readonly kind: TableKind;
  /** Table labels; always includes `last_updated` (unix seconds, as a string). */
  readonly labels: Readonly<Record<string, string>>;
  /** Table description ('' when none). */
  readonly description: string;
  /** Row count. */
  readonly rows: number;
}

/** `_<basis>_<period>_<n>` at the end of a per-client metrics table's name. */
const METRICS_TABLE_SUFFIX = new RegExp(
  `_(enrollments|exposures)_(${ANALYSIS_PERIODS.join('|')})_[0-9]+$`,
);

/** The kind of a result table, from its name. */
export function tableKindOf(name: string): TableKind {
  if (name.startsWith('enrollments_')) return 'enrollments';
  if (name.startsWith('statistics_')) return 'statistics';
  if (METRICS_TABLE_SUFFIX.test(name)) return 'metrics';
  return 'other';
}
