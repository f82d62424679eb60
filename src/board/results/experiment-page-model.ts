import { coerceError } from '../../analysis/coerce-error.js';
import type { IsoDate } from '../../analysis/iso-date.js';
import type { Experiment } from '../../experiments/experiment.js';
import { ExperimentNotFoundError } from '../../experiments/experiment-source.js';
import type { StatisticRow } from '../../stats/statistic-row.js';
import type { LogRow } from '../../warehouse/log-row.js';
import { bullBoardLinks, type JobLink } from './bull-board-links.js';
import {
  configuredPeriods,
  experimentContext,
  metricInfos,
  type ExperimentContext,
  type MetricInfo,
} from './experiment-context.js';
import {
  clientCounts,
  distinctValues,
  metricResults,
  type MetricResults,
  type ResultsSlice,
} from './metric-results.js';
import { periodStatuses, type PeriodStatus } from './period-status.js';
import { resultsDays, type ResultsDays } from './results-clock.js';
import type { ResultsDeps } from './results-deps.js';
import { loadExperimentTables, unreadableTableMessage } from './experiment-tables.js';
import {
  resolveSlice,
  selectTable,
  windowKey,
  type ResultsQuery,
  type SliceOptions,
} from './results-selection.js';
import { sampleRatioCheck, type SampleRatioCheck } from './sample-ratio-check.js';
import {
  parseStatisticsTableName,
  statisticsTablesOf,
  type StatisticsTable,
} from './statistics-table.js';

/** Error rows shown on an experiment page (newest first). */
export const PAGE_ERROR_LIMIT = 100;

/** Neither the source nor the warehouse knows the experiment (HTTP 404). */
export class UnknownExperimentError extends Error {
  override readonly name = 'UnknownExperimentError';
}

/** Everything `/experiments/:slug` shows. */
export interface ExperimentPageModel extends ResultsDays {
  readonly slug: string;
  /** null when the source does not list the experiment (results may still exist). */
  readonly context: ExperimentContext | null;
  /** Why the source could not be asked, when it failed. */
  readonly sourceProblem: string | null;
  readonly tables: readonly StatisticsTable[];
  readonly selected: StatisticsTable | null;
  readonly slice: ResultsSlice;
  readonly options: SliceOptions;
  readonly metrics: readonly MetricResults[];
  readonly metricInfo: ReadonlyMap<string, MetricInfo>;
  /** Clients per branch in the slice's segment and basis. */
  readonly clients: ReadonlyMap<string, number>;
  /** Sample ratio test of each period's latest window (and the selected one). */
  readonly sampleRatio: readonly SampleRatioCheck[];
  readonly periods: readonly PeriodStatus[];
  /** Newest first, at most {@link PAGE_ERROR_LIMIT}. */
  readonly errors: readonly LogRow[];
  readonly errorTotal: number;
  readonly jobLinks: readonly JobLink[];
  /**
   * The table the page is about when it could not be read (the window asked for, or the
   * default one): the page answers 500 and shows everything else.
   */
  readonly failedTable: string | null;
  /** What could not be read (tables, the logs table), as shown; never the cause. */
  readonly problems: readonly string[];
}

async function findExperiment(
  deps: ResultsDeps,
  slug: string,
  today: IsoDate,
): Promise<{ experiment: Experiment | null; problem: string | null }> {
  try {
    return { experiment: await deps.experiments.getExperiment(slug, today), problem: null };
  } catch (e) {
    const error = coerceError(e);
    if (error instanceof ExperimentNotFoundError) return { experiment: null, problem: null };
    return { experiment: null, problem: `experiment source unavailable: ${error.message}` };
  }
}

function sliceOptions(rows: readonly StatisticRow[], branchOrder: readonly string[]): SliceOptions {
  const segments = distinctValues(rows, 'segment').sort((a, b) =>
    a === 'all' ? -1 : b === 'all' ? 1 : a.localeCompare(b),
  );
  const present = distinctValues(rows, 'branch');
  const branches = [
    ...branchOrder.filter((b) => present.includes(b)),
    ...present.filter((b) => !branchOrder.includes(b)),
  ];
  const bases = distinctValues(rows, 'analysis_basis').sort();
  return { segments, bases, branches };
}

/** The latest window of each period, plus the selected one, tested for sample ratio mismatch. */
async function sampleRatioChecks(
  deps: ResultsDeps,
  context: ExperimentContext | null,
  tables: readonly StatisticsTable[],
  selected: { table: StatisticsTable; rows: readonly StatisticRow[] } | null,
  unreadable: string[],
): Promise<SampleRatioCheck[]> {
  if (context === null) return [];
  const latest = new Map<string, StatisticsTable>();
  for (const t of tables) {
    const best = latest.get(t.period);
    if (best === undefined || t.windowIndex > best.windowIndex) latest.set(t.period, t);
  }
  const chosen = [...latest.values()];
  if (selected !== null && !chosen.includes(selected.table)) chosen.push(selected.table);
  const checks: SampleRatioCheck[] = [];
  for (const table of chosen) {
    const rows =
      table === selected?.table ? selected.rows : await readTable(deps, table.name, unreadable);
    if (rows !== null) checks.push(sampleRatioCheck(table, rows, context.experiment.branches));
  }
  return checks;
}

/**
 * A statistics table's rows, or null when it cannot be read: its name joins `unreadable` and
 * the cause is logged, never shown.
 */
async function readTable(
  deps: ResultsDeps,
  name: string,
  unreadable: string[],
): Promise<StatisticRow[] | null> {
  try {
    return await deps.warehouse.readStatistics(name);
  } catch (e) {
    deps.logger?.warn({ err: coerceError(e), table: name }, 'results table not readable');
    if (!unreadable.includes(name)) unreadable.push(name);
    return null;
  }
}

/** The unreadable table the `window` parameter names, if any. */
function unreadableWindow(
  slug: string,
  unreadable: readonly string[],
  window: string | undefined,
): string | null {
  if (window === undefined) return null;
  return (
    unreadable.find((name) => {
      const parsed = parseStatisticsTableName(slug, name);
      return parsed !== null && windowKey(parsed) === window;
    }) ?? null
  );
}

/**
 * Loads `/experiments/:slug` for a query. A table that cannot be read costs only itself: the
 * page names it and shows the rest ({@link ExperimentPageModel.failedTable} when it is the one
 * the page is about).
 * @throws UnknownExperimentError when neither the source nor the warehouse knows the slug.
 * @throws ResultsQueryError when a switch names something the experiment does not have.
 */
export async function loadExperimentPage(
  deps: ResultsDeps,
  slug: string,
  query: ResultsQuery,
): Promise<ExperimentPageModel> {
  const days = resultsDays(deps.now());
  const found = await findExperiment(deps, slug, days.today);
  const context = found.experiment && experimentContext(deps, found.experiment, days.date);
  const listing = await loadExperimentTables(deps, slug, context, days.date);
  const unreadable = [...listing.unreadable];
  const tables = statisticsTablesOf(slug, listing.infos);
  if (
    context === null &&
    tables.length === 0 &&
    unreadable.length === 0 &&
    listing.listed &&
    found.problem === null
  ) {
    throw new UnknownExperimentError(
      `no experiment ${JSON.stringify(slug)}: the experiment source does not list it and the warehouse has no results for it`,
    );
  }
  let failedTable = unreadableWindow(slug, unreadable, query.window);
  let selected = failedTable === null ? selectTable(tables, query.window) : null;
  let rows: StatisticRow[] = [];
  if (selected !== null) {
    const read = await readTable(deps, selected.name, unreadable);
    if (read === null) [failedTable, selected] = [selected.name, null];
    rows = read ?? [];
  }
  return assemble(deps, {
    slug,
    days,
    context,
    problem: found.problem,
    tables,
    selected,
    rows,
    query,
    failedTable,
    unreadable,
    listed: listing.listed,
  });
}

interface Loaded {
  readonly slug: string;
  readonly days: ResultsDays;
  readonly context: ExperimentContext | null;
  readonly problem: string | null;
  readonly tables: readonly StatisticsTable[];
  readonly selected: StatisticsTable | null;
  readonly rows: readonly StatisticRow[];
  readonly query: ResultsQuery;
  readonly failedTable: string | null;
  /** Filled in further as more tables turn out unreadable. */
  readonly unreadable: string[];
  readonly listed: boolean;
}

/** The experiment's log rows, newest first, or null when the logs table cannot be read. */
async function experimentLogs(deps: ResultsDeps, slug: string): Promise<LogRow[] | null> {
  try {
    return (await deps.warehouse.readLogs({ experiment: slug })).reverse();
  } catch (e) {
    deps.logger?.warn({ err: coerceError(e), experiment: slug }, 'logs table not read');
    return null;
  }
}

/** What the page says could not be read. */
function readProblems(loaded: Loaded, logsRead: boolean): string[] {
  return [
    ...loaded.unreadable.map(unreadableTableMessage),
    ...(loaded.listed
      ? []
      : [
          "The warehouse could not list this experiment's results tables: the windows shown are those due by the date that could be read.",
        ]),
    ...(logsRead ? [] : ['The logs table could not be read: errors are not shown.']),
  ];
}

async function assemble(deps: ResultsDeps, loaded: Loaded): Promise<ExperimentPageModel> {
  const { context, selected, rows, tables } = loaded;
  const branchOrder = context?.experiment.branches.map((b) => b.slug) ?? [];
  const options = sliceOptions(rows, branchOrder);
  const reference =
    context?.effective?.referenceBranch ?? context?.experiment.referenceBranch ?? null;
  const slice = resolveSlice(loaded.query, options, reference);
  const infos = metricInfos(context?.config ?? null, selected?.period ?? null);
  const logs = await experimentLogs(deps, loaded.slug);
  const sampleRatio = await sampleRatioChecks(
    deps,
    context,
    tables,
    selected === null ? null : { table: selected, rows },
    loaded.unreadable,
  );
  return {
    ...loaded.days,
    slug: loaded.slug,
    context,
    sourceProblem: loaded.problem,
    tables,
    selected,
    slice,
    options,
    metrics: metricResults(rows, slice, [...infos.keys()], branchOrder),
    metricInfo: infos,
    clients: clientCounts(rows, slice.segment, slice.basis),
    sampleRatio,
    periods: periodStatuses({
      tables,
      experiment: context?.analysed === true ? context.effective : null,
      configuredPeriods: configuredPeriods(context?.config ?? null),
      date: loaded.days.date,
    }),
    errors: (logs ?? []).slice(0, PAGE_ERROR_LIMIT),
    errorTotal: logs?.length ?? 0,
    jobLinks: bullBoardLinks({
      basePath: deps.boardBasePath,
      queueName: deps.bullBoardQueueName ?? ((q) => q),
      slug: loaded.slug,
      selected,
      effective: context?.effective ?? null,
    }),
    failedTable: loaded.failedTable,
    problems: readProblems(loaded, logs !== null),
  };
}
