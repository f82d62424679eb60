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
import {
  resolveSlice,
  selectTable,
  type ResultsQuery,
  type SliceOptions,
} from './results-selection.js';
import { sampleRatioCheck, type SampleRatioCheck } from './sample-ratio-check.js';
import { statisticsTablesOf, type StatisticsTable } from './statistics-table.js';

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
      table === selected?.table ? selected.rows : await deps.warehouse.readStatistics(table.name);
    checks.push(sampleRatioCheck(table, rows, context.experiment.branches));
  }
  return checks;
}

/**
 * Loads `/experiments/:slug` for a query.
 * @throws UnknownExperimentError when neither the source nor the warehouse knows the slug.
 * @throws ResultsQueryError when a switch names something the experiment does not have.
 */
export async function loadExperimentPage(
  deps: ResultsDeps,
  slug: string,
  query: ResultsQuery,
): Promise<ExperimentPageModel> {
  const days = resultsDays(deps.now());
  const [found, tableInfos] = await Promise.all([
    findExperiment(deps, slug, days.today),
    deps.warehouse.listTables(slug),
  ]);
  const context = found.experiment && experimentContext(deps, found.experiment, days.date);
  const tables = statisticsTablesOf(slug, tableInfos);
  if (context === null && tables.length === 0 && found.problem === null) {
    throw new UnknownExperimentError(
      `no experiment ${JSON.stringify(slug)}: the experiment source does not list it and the warehouse has no results for it`,
    );
  }
  const selected = selectTable(tables, query.window);
  const rows = selected === null ? [] : await deps.warehouse.readStatistics(selected.name);
  return assemble(deps, {
    slug,
    days,
    context,
    problem: found.problem,
    tables,
    selected,
    rows,
    query,
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
}

async function assemble(deps: ResultsDeps, loaded: Loaded): Promise<ExperimentPageModel> {
  const { context, selected, rows, tables } = loaded;
  const branchOrder = context?.experiment.branches.map((b) => b.slug) ?? [];
  const options = sliceOptions(rows, branchOrder);
  const reference =
    context?.effective?.referenceBranch ?? context?.experiment.referenceBranch ?? null;
  const slice = resolveSlice(loaded.query, options, reference);
  const infos = metricInfos(context?.config ?? null, selected?.period ?? null);
  const logs = (await deps.warehouse.readLogs({ experiment: loaded.slug })).reverse();
  const sampleRatio = await sampleRatioChecks(
    deps,
    context,
    tables,
    selected === null ? null : { table: selected, rows },
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
    errors: logs.slice(0, PAGE_ERROR_LIMIT),
    errorTotal: logs.length,
    jobLinks: bullBoardLinks({
      basePath: deps.boardBasePath,
      queueName: deps.bullBoardQueueName ?? ((q) => q),
      slug: loaded.slug,
      selected,
      effective: context?.effective ?? null,
    }),
  };
}
