import { normalizeSlug } from '../analysis/table-names.js';
import type { StatisticRow } from '../stats/statistic-row.js';
import type { Warehouse } from '../warehouse/warehouse.js';

/** One line of the readable summary: a branch against the reference on one metric. */
export interface SummaryLine {
  readonly metric: string;
  readonly statistic: string;
  readonly branch: string;
  readonly reference: string;
  readonly uplift: number;
  readonly lower: number;
  readonly upper: number;
  /** `up`/`down` when the interval excludes 0, else null. */
  readonly significant: 'up' | 'down' | null;
}

/** The summary of one experiment: the window shown and its lines. */
export interface ExperimentSummary {
  readonly experiment: string;
  readonly table: string | null;
  readonly lines: readonly SummaryLine[];
}

/** Which statistic summarizes a metric, in order of preference. */
const PREFERRED = ['mean', 'binomial', 'mean_lm', 'population_ratio'];
/** Which window to show, in order of preference (the most complete first). */
const PERIOD_ORDER = ['overall', 'days28', 'week', 'day'];

/**
 * Reads an experiment's most complete statistics window (overall, else the latest 28-day, week
 * or day window) and lists each branch's relative uplift against `reference` with its interval
 * (segment `all`, basis `enrollments`).
 */
export async function summarizeExperiment(
  warehouse: Warehouse,
  experiment: string,
  reference: string,
): Promise<ExperimentSummary> {
  const table = await bestTable(warehouse, experiment);
  if (table === null) return { experiment, table: null, lines: [] };
  const rows = (await warehouse.readStatistics(table)).filter(
    (r) => r.segment === 'all' && r.analysis_basis === 'enrollments',
  );
  const lines: SummaryLine[] = [];
  for (const metric of [...new Set(rows.map((r) => r.metric))]
    .filter((m) => m !== 'identity')
    .sort()) {
    const statistic = PREFERRED.find((s) =>
      rows.some((r) => r.metric === metric && r.statistic === s),
    );
    if (statistic === undefined) continue;
    for (const row of rows.filter((r) => isUplift(r, metric, statistic, reference))) {
      if (row.point === null || row.lower === null || row.upper === null) continue;
      const significant = row.lower > 0 ? 'up' : row.upper < 0 ? 'down' : null;
      lines.push({
        metric,
        statistic,
        branch: row.branch,
        reference,
        uplift: row.point,
        lower: row.lower,
        upper: row.upper,
        significant,
      });
    }
  }
  return { experiment, table, lines };
}

function isUplift(
  row: StatisticRow,
  metric: string,
  statistic: string,
  reference: string,
): boolean {
  return (
    row.metric === metric &&
    row.statistic === statistic &&
    row.comparison === 'relative_uplift' &&
    row.comparison_to_branch === reference &&
    row.parameter === null
  );
}

async function bestTable(warehouse: Warehouse, experiment: string): Promise<string | null> {
  const prefix = `statistics_${normalizeSlug(experiment)}_`;
  const windows = (await warehouse.listTables(experiment))
    .map((t) => t.name)
    .filter((name) => name.startsWith(prefix))
    .map((name) => {
      const match = /^(.*)_(\d+)$/.exec(name.slice(prefix.length));
      return { name, period: match?.[1] ?? '', index: Number(match?.[2] ?? 0) };
    })
    .filter((w) => PERIOD_ORDER.includes(w.period))
    .sort(
      (a, b) =>
        PERIOD_ORDER.indexOf(a.period) - PERIOD_ORDER.indexOf(b.period) || b.index - a.index,
    );
  return windows[0]?.name ?? null;
}

const percent = (v: number) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%`;

/** The summary as aligned text. */
export function formatExperimentSummary(summary: ExperimentSummary): string {
  if (summary.table === null) return `${summary.experiment}: no results yet\n`;
  const head = `${summary.experiment}  (${summary.table}, segment all, enrollments basis)\n`;
  if (summary.lines.length === 0) return `${head}  no comparisons\n`;
  const width = Math.max(...summary.lines.map((l) => l.metric.length), 6);
  const body = summary.lines.map((l) => {
    const verdict =
      l.significant === null
        ? 'not significant'
        : `significant ${l.significant === 'up' ? '↑' : '↓'}`;
    return `  ${l.metric.padEnd(width)}  ${`${l.branch} vs ${l.reference}`.padEnd(24)} ${percent(l.uplift).padStart(8)}  [${percent(l.lower)}, ${percent(l.upper)}]  ${verdict}`;
  });
  return `${head}${body.join('\n')}\n`;
}
