import { coerceError } from '../../analysis/coerce-error.js';
import type { ClientCount, ClientCountSpec } from '../client-count.js';
import type { EnrollmentsSpec } from '../enrollments-spec.js';
import type { LogFilter, LogRow } from '../log-row.js';
import type { MetricReadSpec, MetricValues } from '../metric-read-spec.js';
import type { RowsOnDay, RowsOnDaySpec } from '../rows-on-day.js';
import type { StatisticRow } from '../../stats/statistic-row.js';
import { datasetTableNamer, type TableNamer } from '../sql/table-namer.js';
import type { TableInfo } from '../table-info.js';
import type { SqlQuery } from '../sql/sql-query.js';
import type {
  ColumnRead,
  DryRunResult,
  EnsureEnrollmentsOptions,
  EnsureEnrollmentsResult,
  JobContext,
  QueryTableResult,
  QueryTableSpec,
  StatisticsTableMeta,
  TypedColumns,
  Warehouse,
} from '../warehouse.js';
import { WarehouseError } from '../warehouse-errors.js';
import { duckDbPrelude, toDuckDbSql } from '../dialect/index.js';
import { countDuckDbClients } from './duckdb-client-counts.js';
import type { DuckDbContext } from './duckdb-context.js';
import { bigQueryParamsToDuckDb, toDuckDbStatement, type DuckDbDialect } from './duckdb-dialect.js';
import { ensureDuckDbEnrollments } from './duckdb-enrollments.js';
import { appendDuckDbLogs, readDuckDbLogs } from './duckdb-logs.js';
import { readDuckDbMetric } from './duckdb-metric-reader.js';
import { createDuckDbTableFromQuery, type DuckDbQueryRecord } from './duckdb-query-table.js';
import { readDuckDbColumns } from './duckdb-read-columns.js';
import { duckDbHasRowsOn } from './duckdb-rows-on-day.js';
import { replaceDuckDbView } from './duckdb-views.js';
import { DuckDbSession } from './duckdb-session.js';
import { readDuckDbStatistics, replaceDuckDbStatistics } from './duckdb-statistics.js';
import { dropDuckDbTables, duckDbTableInfo, listDuckDbTables } from './duckdb-tables.js';
import { removeStaleTempFiles } from './stale-temp-files.js';
import { RESULTS_DATASET } from './warehouse-layout.js';

/** The team's translation layer (src/warehouse/dialect). */
const DEFAULT_DIALECT: DuckDbDialect = {
  toDuckDbSql: (sql) => toDuckDbSql(sql),
  duckDbPrelude,
};

/** Options of {@link createDuckDbWarehouse}. */
export interface DuckDbWarehouseOptions {
  /** The warehouse folder (`CONTRAIL_WAREHOUSE_DIR`); `tables/` is created on first write. */
  readonly dir: string;
  /**
   * BigQuery → DuckDB translation.
   * @defaultValue src/warehouse/dialect's `toDuckDbSql` and `duckDbPrelude`
   */
  readonly dialect?: DuckDbDialect;
  /**
   * Clock for `last_updated` labels and log file names.
   * @defaultValue `Date.now`
   */
  readonly now?: () => number;
  /** Told about every query that writes a table: its purpose, labels, scans and bytes read. */
  readonly onQuery?: (record: DuckDbQueryRecord) => void;
}

/**
 * The embedded warehouse: Parquet files in a folder (see warehouse-layout.ts), queried from this
 * process's own in-memory DuckDB, safe with other processes reading and replacing tables at the
 * same time. Operations of one instance run one after another.
 */
class DuckDbWarehouse implements Warehouse {
  private readonly context: DuckDbContext;
  private closed = false;
  readonly tables: TableNamer;

  constructor(context: DuckDbContext) {
    this.context = context;
    this.tables = context.tables;
  }

  private run<T>(task: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new WarehouseError('warehouse is closed'));
    return this.context.session.exclusive(task);
  }

  ensureEnrollments(
    spec: EnrollmentsSpec,
    options: EnsureEnrollmentsOptions = {},
  ): Promise<EnsureEnrollmentsResult> {
    return this.run(() => ensureDuckDbEnrollments(this.context, spec, options));
  }

  readMetric(spec: MetricReadSpec): Promise<MetricValues> {
    return this.run(() => readDuckDbMetric(this.context, spec));
  }

  createTableFromQuery(spec: QueryTableSpec, context?: JobContext): Promise<QueryTableResult> {
    return this.run(() => createDuckDbTableFromQuery(this.context, spec, context));
  }

  replaceView(name: string, query: SqlQuery): Promise<void> {
    return this.run(() => replaceDuckDbView(this.context, name, query));
  }

  readColumns(table: string, columns: readonly ColumnRead[]): Promise<TypedColumns> {
    return this.run(() => readDuckDbColumns(this.context, table, columns));
  }

  countClients(spec: ClientCountSpec): Promise<ClientCount[]> {
    return this.run(() => countDuckDbClients(this.context, spec));
  }

  replaceStatistics(
    table: string,
    rows: readonly StatisticRow[],
    meta: StatisticsTableMeta,
  ): Promise<void> {
    return this.run(() => replaceDuckDbStatistics(this.context, table, rows, meta));
  }

  readStatistics(table: string): Promise<StatisticRow[]> {
    return this.run(() => readDuckDbStatistics(this.context, table));
  }

  appendLogs(rows: readonly LogRow[]): Promise<void> {
    return this.run(() => appendDuckDbLogs(this.context, rows));
  }

  readLogs(filter: LogFilter): Promise<LogRow[]> {
    return this.run(() => readDuckDbLogs(this.context, filter));
  }

  listTables(slug?: string): Promise<TableInfo[]> {
    return this.run(() => listDuckDbTables(this.context, slug));
  }

  dropTables(names: readonly string[]): Promise<void> {
    return this.run(() => dropDuckDbTables(this.context, names));
  }

  tableInfo(name: string): Promise<TableInfo | null> {
    return this.run(() => duckDbTableInfo(this.context, name));
  }

  hasRowsOn(spec: RowsOnDaySpec): Promise<RowsOnDay> {
    return this.run(() => duckDbHasRowsOn(this.context, spec));
  }

  dryRun(sql: string | SqlQuery): Promise<DryRunResult> {
    return this.run(async () => {
      const { session, dialect } = this.context;
      try {
        await session.syncViews();
        if (typeof sql !== 'string') {
          // With values bound, EXPLAIN binds and plans the whole query (a prepare alone can
          // leave column errors behind parameters unreported) without running it.
          const statement = toDuckDbStatement(sql, dialect);
          await session.connection.run(`EXPLAIN ${statement.sql}`, statement.params);
          return { ok: true as const };
        }
        const translated = bigQueryParamsToDuckDb(dialect.toDuckDbSql(sql));
        const prepared = await session.connection.prepare(translated);
        prepared.destroySync();
        return { ok: true as const };
      } catch (e) {
        return { ok: false as const, error: coerceError(e).message };
      }
    });
  }

  cancelJobs(): Promise<number> {
    // A DuckDB query runs in the process (or thread) that started it and ends with it.
    return Promise.resolve(0);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.context.session.exclusive(() => Promise.resolve());
    this.closed = true;
    await this.context.session.close();
  }
}

/**
 * Opens the embedded DuckDB warehouse over `options.dir`, first removing temporary files of
 * writers that died mid-write.
 * @throws WarehouseQueryError when the dialect prelude does not run.
 */
export async function createDuckDbWarehouse(options: DuckDbWarehouseOptions): Promise<Warehouse> {
  const dialect = options.dialect ?? DEFAULT_DIALECT;
  await removeStaleTempFiles(options.dir);
  const session = await DuckDbSession.open(options.dir, dialect);
  return new DuckDbWarehouse({
    session,
    dialect,
    tables: datasetTableNamer(RESULTS_DATASET),
    now: options.now ?? Date.now,
    ...(options.onQuery === undefined ? {} : { onQuery: options.onQuery }),
  });
}
