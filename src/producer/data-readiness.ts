import type { Logger } from 'pino';

import { coerceError } from '../analysis/coerce-error.js';
import type { IsoDate } from '../analysis/iso-date.js';
import { dataSourceKey } from '../analysis/window-data-sources.js';
import type { ProbedDataSource } from '../warehouse/rows-on-day.js';
import type { QueryCost, Warehouse } from '../warehouse/warehouse.js';

/** What the readiness probes of a run cost so far. */
export interface ReadinessSpend {
  /** Probe queries run (one per data source and day, however many windows asked). */
  readonly queries: number;
  readonly cost: QueryCost;
}

/** Data-readiness checks for one run (or a range of run dates), deduplicated. */
export interface DataReadiness {
  /**
   * The names of `sources` that have no row on `date` (empty: the window may be computed). A
   * probe that fails counts as having rows (logged): the metrics stage then reports that
   * source's failure per metric, as it does for any broken source.
   */
  missingOn(sources: readonly ProbedDataSource[], date: IsoDate): Promise<string[]>;
  /** Probes run so far and their summed cost. */
  spent(): ReadinessSpend;
}

/**
 * Readiness checks over `warehouse` that probe each (data source, day) once, however many
 * windows, experiments and run dates ask about it: a run costs one cheap query per data source
 * and day (see `Warehouse.hasRowsOn`).
 */
export function createDataReadiness(
  warehouse: Pick<Warehouse, 'hasRowsOn'>,
  logger: Logger,
): DataReadiness {
  const probes = new Map<string, Promise<boolean>>();
  let queries = 0;
  const cost = { bytesProcessed: 0, bytesBilled: 0, slotMs: 0, elapsedMs: 0 };
  const probe = async (source: ProbedDataSource, date: IsoDate): Promise<boolean> => {
    queries += 1;
    try {
      const found = await warehouse.hasRowsOn(
        { source, date },
        { labels: { kind: 'readiness', data_source: source.name, date } },
      );
      cost.bytesProcessed += found.cost.bytesProcessed;
      cost.bytesBilled += found.cost.bytesBilled;
      cost.slotMs += found.cost.slotMs;
      cost.elapsedMs += found.cost.elapsedMs;
      return found.hasRows;
    } catch (e) {
      const error = coerceError(e);
      logger.warn(
        { dataSource: source.name, date, err: error.message },
        'data readiness probe failed; the window is computed and the metrics stage reports it',
      );
      return true;
    }
  };
  return {
    async missingOn(sources, date) {
      const missing: string[] = [];
      for (const source of sources) {
        const key = `${dataSourceKey(source)}\u0000${date}`;
        let found = probes.get(key);
        if (found === undefined) {
          found = probe(source, date);
          probes.set(key, found);
        }
        if (!(await found)) missing.push(source.name);
      }
      return missing;
    },
    spent: () => ({ queries, cost: { ...cost } }),
  };
}
