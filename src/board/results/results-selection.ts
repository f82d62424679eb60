import type { AnalysisBasis, AnalysisPeriod } from '../../analysis/analysis-period.js';
import type { ResultsSlice } from './metric-results.js';
import type { StatisticsTable } from './statistics-table.js';

/** The switches of `/experiments/:slug`, as GET parameters (all optional). */
export interface ResultsQuery {
  /** `<period>_<window>`, e.g. `week_2`; default: see {@link defaultTable}. */
  readonly window?: string;
  /** @defaultValue `all` */
  readonly segment?: string;
  /** @defaultValue `enrollments` (else the first basis present) */
  readonly basis?: string;
  /** @defaultValue the experiment's reference branch (else the first branch) */
  readonly reference?: string;
}

/** A GET parameter names something the experiment does not have (HTTP 400). */
export class ResultsQueryError extends Error {
  override readonly name = 'ResultsQueryError';
  readonly parameter: string;

  constructor(parameter: string, value: string, allowed: readonly string[]) {
    const choices = allowed.length === 0 ? 'none available' : `one of ${allowed.join(', ')}`;
    super(`unknown ${parameter} ${JSON.stringify(value)}: expected ${choices}`);
    this.parameter = parameter;
  }
}

/** The value of the `window` parameter for a table. */
export function windowKey(table: Pick<StatisticsTable, 'period' | 'windowIndex'>): string {
  return `${table.period}_${table.windowIndex}`;
}

/** Periods in display order; a page opens on the first one present (most complete view first). */
export const DISPLAY_PERIOD_ORDER: readonly AnalysisPeriod[] = [
  'overall',
  'week',
  'days28',
  'day',
  'preenrollment_week',
  'preenrollment_days28',
];

/** The default window: overall, else the latest week, days28, day, pre-enrollment window. */
export function defaultTable(tables: readonly StatisticsTable[]): StatisticsTable | null {
  for (const period of DISPLAY_PERIOD_ORDER) {
    const candidates = tables.filter((t) => t.period === period);
    const latest = candidates.reduce<StatisticsTable | null>(
      (best, t) => (best === null || t.windowIndex > best.windowIndex ? t : best),
      null,
    );
    if (latest !== null) return latest;
  }
  return null;
}

/**
 * The table the `window` parameter names, or the default.
 * @throws ResultsQueryError when no table of the experiment has that window.
 */
export function selectTable(
  tables: readonly StatisticsTable[],
  window: string | undefined,
): StatisticsTable | null {
  if (window === undefined) return defaultTable(tables);
  const found = tables.find((t) => windowKey(t) === window);
  if (found === undefined) throw new ResultsQueryError('window', window, tables.map(windowKey));
  return found;
}

/** Segments, bases and branches present in the selected table. */
export interface SliceOptions {
  readonly segments: readonly string[];
  readonly bases: readonly AnalysisBasis[];
  readonly branches: readonly string[];
}

function pick(
  parameter: string,
  value: string | undefined,
  allowed: readonly string[],
  fallback: string | undefined,
): string {
  if (value !== undefined) {
    if (!allowed.includes(value)) throw new ResultsQueryError(parameter, value, allowed);
    return value;
  }
  return fallback ?? allowed[0] ?? '';
}

/**
 * The slice the query asks for, checked against what the table has.
 * @throws ResultsQueryError naming the parameter and the values allowed.
 */
export function resolveSlice(
  query: ResultsQuery,
  options: SliceOptions,
  referenceBranch: string | null,
): ResultsSlice {
  const segment = pick('segment', query.segment, options.segments, 'all');
  const basisDefault = options.bases.includes('enrollments') ? 'enrollments' : undefined;
  const basis = pick('basis', query.basis, options.bases, basisDefault) as AnalysisBasis;
  const referenceDefault =
    referenceBranch !== null && options.branches.includes(referenceBranch)
      ? referenceBranch
      : undefined;
  const reference = pick('reference', query.reference, options.branches, referenceDefault);
  return { segment, basis, reference };
}
