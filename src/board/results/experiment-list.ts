import { coerceError } from '../../analysis/coerce-error.js';
import { addDays, type IsoDate } from '../../analysis/iso-date.js';
import { parseStatisticsTableDescription } from '../../analysis/statistics-table-description.js';
import type { Experiment, ExperimentBranch } from '../../experiments/experiment.js';
import type { LogRow } from '../../warehouse/log-row.js';
import type { TableInfo } from '../../warehouse/table-info.js';
import {
  configuredPeriods,
  experimentContext,
  problemNote,
  type ContextNote,
  type ExperimentContext,
} from './experiment-context.js';
import {
  loadExperimentTables,
  unreadableTableMessage,
  type ExperimentTables,
} from './experiment-tables.js';
import { periodStatuses, type PeriodStatus } from './period-status.js';
import { resultsDays, type ResultsDays } from './results-clock.js';
import type { ResultsDeps } from './results-deps.js';
import { statisticsTablesOf } from './statistics-table.js';

/** Days of logs the list counts errors over. */
export const ERROR_COUNT_DAYS = 28;

/** One row of `/experiments`. */
export interface ExperimentListEntry {
  readonly slug: string;
  /** False for experiments with results in the warehouse that the source no longer lists. */
  readonly inSource: boolean;
  readonly status: 'Live' | 'Complete' | null;
  readonly isRollout: boolean;
  readonly startDate: string | null;
  readonly endDate: string | null;
  readonly lastEnrollmentDate: string | null;
  readonly branches: readonly ExperimentBranch[];
  readonly referenceBranch: string | null;
  /** Newest `last_updated` of the experiment's statistics tables (unix seconds). */
  readonly lastRun: number | null;
  readonly periods: readonly PeriodStatus[];
  /** Log rows at ERROR or above in the last {@link ERROR_COUNT_DAYS} days; null: logs unreadable. */
  readonly errors: number | null;
  /** Log rows at WARNING in the same days; null: logs unreadable. */
  readonly warnings: number | null;
  readonly notes: readonly ContextNote[];
}

/** The `/experiments` page's data. */
export interface ExperimentListModel extends ResultsDays {
  readonly origin: string;
  readonly entries: readonly ExperimentListEntry[];
  /** Source entries that did not parse. */
  readonly rejected: readonly { slug: string | null; reason: string }[];
  /** What could not be read for the whole page (the table list, the logs table). */
  readonly problems: readonly string[];
}

/** An entry's log counts; null when the logs table could not be read. */
type LogCounts = Pick<ExperimentListEntry, 'errors' | 'warnings'>;

function countLogs(logs: readonly LogRow[]): Map<string, { errors: number; warnings: number }> {
  const counts = new Map<string, { errors: number; warnings: number }>();
  for (const row of logs) {
    if (row.experiment === null) continue;
    const entry = counts.get(row.experiment) ?? { errors: 0, warnings: 0 };
    if (row.log_level === 'WARNING') entry.warnings++;
    else entry.errors++;
    counts.set(row.experiment, entry);
  }
  return counts;
}

/** Slugs (from the descriptions) of statistics tables whose experiment the source does not list. */
function warehouseOnlySlugs(tables: readonly TableInfo[], known: ReadonlySet<string>): string[] {
  const slugs = new Set<string>();
  for (const t of tables) {
    if (t.kind !== 'statistics') continue;
    const slug = parseStatisticsTableDescription(t.description)?.experiment;
    if (slug !== undefined && !known.has(slug) && statisticsTablesOf(slug, [t]).length > 0) {
      slugs.add(slug);
    }
  }
  return [...slugs].sort();
}

function lastRunOf(tables: ReturnType<typeof statisticsTablesOf>): number | null {
  const times = tables.flatMap((t) => (t.lastUpdated === null ? [] : [t.lastUpdated]));
  return times.length === 0 ? null : Math.max(...times);
}

/** Notes for tables of the experiment that could not be read (no cause: it may hold paths). */
function tableNotes(tables: ExperimentTables | null): ContextNote[] {
  if (tables === null) return [];
  const notes = tables.unreadable.map((name) => problemNote(unreadableTableMessage(name)));
  if (!tables.listed && notes.length === 0) {
    notes.push(problemNote('results tables could not be listed: windows shown are those due'));
  }
  return notes;
}

function sourceEntry(
  experiment: Experiment,
  context: ExperimentContext,
  tables: { readonly infos: readonly TableInfo[]; readonly own: ExperimentTables | null },
  counts: LogCounts,
  date: IsoDate,
): ExperimentListEntry {
  const own = statisticsTablesOf(experiment.slug, tables.own?.infos ?? tables.infos);
  const effective = context.effective;
  return {
    slug: experiment.slug,
    inSource: true,
    status: effective?.status ?? experiment.status,
    isRollout: experiment.isRollout,
    startDate: effective?.startDate ?? experiment.startDate,
    endDate: effective?.endDate ?? experiment.endDate,
    lastEnrollmentDate: effective?.lastEnrollmentDate ?? null,
    branches: experiment.branches,
    referenceBranch: effective?.referenceBranch ?? experiment.referenceBranch,
    lastRun: lastRunOf(own),
    periods: periodStatuses({
      tables: own,
      experiment: context.analysed ? effective : null,
      configuredPeriods: configuredPeriods(context.config),
      date,
    }),
    ...counts,
    notes: [...tableNotes(tables.own), ...context.notes],
  };
}

function warehouseOnlyEntry(
  slug: string,
  tables: readonly TableInfo[],
  counts: LogCounts,
  origin: string,
  date: IsoDate,
): ExperimentListEntry {
  const own = statisticsTablesOf(slug, tables);
  return {
    slug,
    inSource: false,
    status: null,
    isRollout: false,
    startDate: null,
    endDate: null,
    lastEnrollmentDate: null,
    branches: [],
    referenceBranch: null,
    lastRun: lastRunOf(own),
    periods: periodStatuses({ tables: own, experiment: null, configuredPeriods: null, date }),
    ...counts,
    notes: [
      {
        text: `results in the warehouse, but ${origin} does not list this experiment`,
        severity: 'info',
      },
    ],
  };
}

/** Every result table, or null when the warehouse cannot list them all (a corrupt file). */
async function allTables(deps: ResultsDeps): Promise<TableInfo[] | null> {
  try {
    return await deps.warehouse.listTables();
  } catch (e) {
    deps.logger?.warn({ err: coerceError(e) }, 'results tables not listed');
    return null;
  }
}

/** Log rows of the last {@link ERROR_COUNT_DAYS} days, or null when the logs table fails. */
async function recentLogs(deps: ResultsDeps, date: IsoDate): Promise<LogRow[] | null> {
  try {
    return await deps.warehouse.readLogs({ since: addDays(date, -ERROR_COUNT_DAYS) });
  } catch (e) {
    deps.logger?.warn({ err: coerceError(e) }, 'logs table not read');
    return null;
  }
}

/**
 * Loads `/experiments`: every experiment of the source plus any with results but no entry.
 * A table that cannot be read marks only its own experiment: when the warehouse cannot list
 * every table, each experiment's tables are read on their own.
 */
export async function loadExperimentList(deps: ResultsDeps): Promise<ExperimentListModel> {
  const days = resultsDays(deps.now());
  const [listed, tables, logs] = await Promise.all([
    deps.experiments.listExperiments(days.today),
    allTables(deps),
    recentLogs(deps, days.date),
  ]);
  const logCounts = countLogs(logs ?? []);
  const countsOf = (slug: string): LogCounts =>
    logs === null
      ? { errors: null, warnings: null }
      : (logCounts.get(slug) ?? { errors: 0, warnings: 0 });
  const entries: ExperimentListEntry[] = [];
  for (const experiment of listed.experiments) {
    const context = experimentContext(deps, experiment, days.date);
    const own =
      tables === null
        ? await loadExperimentTables(deps, experiment.slug, context, days.date)
        : null;
    const infos = { infos: tables ?? [], own };
    entries.push(sourceEntry(experiment, context, infos, countsOf(experiment.slug), days.date));
  }
  const known = new Set(entries.map((e) => e.slug));
  for (const slug of warehouseOnlySlugs(tables ?? [], known)) {
    entries.push(
      warehouseOnlyEntry(slug, tables ?? [], countsOf(slug), deps.experiments.origin, days.date),
    );
  }
  return {
    ...days,
    origin: deps.experiments.origin,
    entries,
    rejected: listed.rejected.map((r) => ({ slug: r.slug, reason: r.reason })),
    problems: [
      ...(tables === null
        ? [
            'The warehouse could not list every results table: experiments with results only in the warehouse are not shown.',
          ]
        : []),
      ...(logs === null ? ['The logs table could not be read: error counts are not shown.'] : []),
    ],
  };
}
