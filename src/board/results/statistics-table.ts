import { isAnalysisPeriod, type AnalysisPeriod } from '../../analysis/analysis-period.js';
import { normalizeSlug } from '../../analysis/table-names.js';
import type { TableInfo } from '../../warehouse/table-info.js';

/** A statistics table of one experiment: one window of one period. */
export interface StatisticsTable {
  readonly name: string;
  readonly period: AnalysisPeriod;
  readonly windowIndex: number;
  /** Unix seconds of the last write (the `last_updated` label), null when unknown. */
  readonly lastUpdated: number | null;
  readonly rows: number;
}

/**
 * The period and window of `statistics_<slug>_<period>_<n>` when it belongs to `slug`; null for
 * another experiment's table (a slug that is a prefix of another slug cannot match, because the
 * rest must be exactly a period and a window).
 */
export function parseStatisticsTableName(
  slug: string,
  name: string,
): { period: AnalysisPeriod; windowIndex: number } | null {
  const prefix = `statistics_${normalizeSlug(slug)}_`;
  if (!name.startsWith(prefix)) return null;
  const match = /^([a-z0-9_]+?)_([1-9]\d*)$/.exec(name.slice(prefix.length));
  if (match === null) return null;
  const period = match[1] ?? '';
  if (!isAnalysisPeriod(period)) return null;
  return { period, windowIndex: Number(match[2]) };
}

/** The experiment's statistics tables among `tables`, by period then window. */
export function statisticsTablesOf(slug: string, tables: readonly TableInfo[]): StatisticsTable[] {
  const out: StatisticsTable[] = [];
  for (const table of tables) {
    if (table.kind !== 'statistics') continue;
    const parsed = parseStatisticsTableName(slug, table.name);
    if (parsed === null) continue;
    const updated = Number(table.labels['last_updated']);
    out.push({
      name: table.name,
      ...parsed,
      lastUpdated: Number.isFinite(updated) && updated > 0 ? updated : null,
      rows: table.rows,
    });
  }
  return out.sort((a, b) => a.period.localeCompare(b.period) || a.windowIndex - b.windowIndex);
}
