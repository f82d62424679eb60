import { coerceError } from '../../analysis/coerce-error.js';
import type { IsoDate } from '../../analysis/iso-date.js';
import { statisticsTableName } from '../../analysis/table-names.js';
import type { TableInfo } from '../../warehouse/table-info.js';
import { configuredPeriods, type ExperimentContext } from './experiment-context.js';
import { periodStatuses } from './period-status.js';
import type { ResultsDeps } from './results-deps.js';

/** An experiment's result tables as far as they could be read. */
export interface ExperimentTables {
  /** Tables whose info was read. */
  readonly infos: readonly TableInfo[];
  /** Tables that exist but could not be read (a corrupt file), by name. */
  readonly unreadable: readonly string[];
  /**
   * False when the warehouse could not list the experiment's tables and only the windows the
   * configuration expects by the date were looked up one by one.
   */
  readonly listed: boolean;
}

/** The message every page shows for a table that could not be read (no cause: it may hold paths). */
export function unreadableTableMessage(table: string): string {
  return `results table ${table} could not be read`;
}

/** Statistics tables the experiment's configuration expects by `date`. */
function expectedTableNames(
  slug: string,
  context: ExperimentContext | null,
  date: IsoDate,
): string[] {
  if (context === null || !context.analysed) return [];
  const statuses = periodStatuses({
    tables: [],
    experiment: context.effective,
    configuredPeriods: configuredPeriods(context.config),
    date,
  });
  return statuses.flatMap((s) =>
    Array.from({ length: s.expected }, (_, i) => statisticsTableName(slug, s.period, i + 1)),
  );
}

/**
 * The experiment's result tables. When the warehouse cannot list them (one of their files is
 * corrupt), each table the configuration expects by `date` is read on its own, so a broken
 * table costs only itself; the cause is logged, never shown.
 */
export async function loadExperimentTables(
  deps: Pick<ResultsDeps, 'warehouse' | 'logger'>,
  slug: string,
  context: ExperimentContext | null,
  date: IsoDate,
): Promise<ExperimentTables> {
  try {
    return { infos: await deps.warehouse.listTables(slug), unreadable: [], listed: true };
  } catch (e) {
    deps.logger?.warn({ err: coerceError(e), experiment: slug }, 'results tables not listed');
  }
  const infos: TableInfo[] = [];
  const unreadable: string[] = [];
  for (const name of expectedTableNames(slug, context, date)) {
    try {
      const info = await deps.warehouse.tableInfo(name);
      if (info !== null) infos.push(info);
    } catch (e) {
      deps.logger?.warn({ err: coerceError(e), table: name }, 'results table not readable');
      unreadable.push(name);
    }
  }
  return { infos, unreadable, listed: false };
}
