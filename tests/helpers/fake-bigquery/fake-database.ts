import {
  DuckDBInstance,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
  type Json,
} from '@duckdb/node-api';
import { duckDbPrelude } from '../../../src/warehouse/dialect/index.js';
import { fieldOf, type TableField } from './bigquery-types.js';
import { invalidRequest } from './fake-api-error.js';
import { jsonText } from './json-text.js';

/** A materialized DuckDB result: column names and types, rows as DuckDB JSON values. */
export interface DuckDbResult {
  readonly names: readonly string[];
  readonly types: readonly DuckDBType[];
  readonly rows: readonly (readonly Json[])[];
}

/** A materialized DuckDB result, column-major: `columns[c][row]`. */
export interface DuckDbColumns {
  readonly names: readonly string[];
  readonly types: readonly DuckDBType[];
  readonly columns: readonly (readonly DuckDBValue[])[];
}

/** Named parameter values and (optionally) their types. */
export interface BoundParams {
  readonly values: Record<string, DuckDBValue>;
  readonly types: Record<string, DuckDBType>;
}

const NAME = /^[A-Za-z0-9_]+$/;

/** A dataset or table id from a URL or request body, checked before it is quoted. */
export function checkedId(id: string, what: 'dataset' | 'table'): string {
  if (!NAME.test(id)) throw invalidRequest(`Invalid ${what} ID "${id}"`);
  return id;
}

/** `"dataset"."table"` for DuckDB (ids checked by {@link checkedId}). */
export function tableRef(dataset: string, table: string): string {
  return `"${checkedId(dataset, 'dataset')}"."${checkedId(table, 'table')}"`;
}

/**
 * The fake's storage: one in-memory DuckDB (datasets are schemas) with the project's dialect
 * prelude, used by one operation at a time (BigQuery jobs are atomic; here they are serialized).
 */
export class FakeDatabase {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly instance: DuckDBInstance;
  private readonly connection: DuckDBConnection;

  private constructor(instance: DuckDBInstance, connection: DuckDBConnection) {
    this.instance = instance;
    this.connection = connection;
  }

  /** Opens an empty database and runs `duckDbPrelude()`. */
  static async open(): Promise<FakeDatabase> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    for (const statement of duckDbPrelude()) await connection.run(statement);
    return new FakeDatabase(instance, connection);
  }

  /** Runs `task` after every earlier task finished. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Runs a statement and reads its whole result. */
  async read(sql: string, params?: BoundParams): Promise<DuckDbResult> {
    const reader = await this.connection.runAndReadAll(sql, params?.values, params?.types);
    return { names: reader.columnNames(), types: reader.columnTypes(), rows: reader.getRowsJson() };
  }

  /** Runs a statement and reads its whole result column by column (no per-row arrays). */
  async readColumns(sql: string, params?: BoundParams): Promise<DuckDbColumns> {
    const reader = await this.connection.runAndReadAll(sql, params?.values, params?.types);
    const names = reader.columnNames();
    const columns = reader.getColumns();
    return {
      names,
      types: reader.columnTypes(),
      // No rows, no chunks: still one (empty) column per name.
      columns: names.map((_, i) => columns[i] ?? []),
    };
  }

  /** Runs a statement, ignoring its result. */
  async run(sql: string, params?: BoundParams): Promise<void> {
    await this.connection.run(sql, params?.values, params?.types);
  }

  /** Checks that a statement parses and binds, without running it. */
  async prepare(sql: string): Promise<void> {
    const prepared = await this.connection.prepare(sql);
    prepared.destroySync();
  }

  /** True when the dataset (schema) exists. */
  async datasetExists(dataset: string): Promise<boolean> {
    const result = await this.read(
      'SELECT 1 FROM duckdb_schemas() WHERE database_name = current_database() AND schema_name = $name',
      { values: { name: checkedId(dataset, 'dataset') }, types: {} },
    );
    return result.rows.length > 0;
  }

  /** Dataset ids (schemas other than DuckDB's own). */
  async datasets(): Promise<string[]> {
    const result = await this.read(
      `SELECT schema_name FROM duckdb_schemas() WHERE database_name = current_database()
       AND schema_name NOT IN ('main', 'information_schema', 'pg_catalog') ORDER BY 1`,
    );
    return result.rows.map((row) => jsonText(row[0]));
  }

  /** Tables and views of a dataset, sorted by name. */
  async tables(dataset: string): Promise<{ name: string; type: 'TABLE' | 'VIEW' }[]> {
    const result = await this.read(
      `SELECT table_name, 'TABLE' FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = $d
       UNION ALL
       SELECT view_name, 'VIEW' FROM duckdb_views() WHERE database_name = current_database() AND schema_name = $d AND NOT internal
       ORDER BY 1`,
      { values: { d: checkedId(dataset, 'dataset') }, types: {} },
    );
    return result.rows.map((row) => ({
      name: jsonText(row[0]),
      type: row[1] === 'VIEW' ? 'VIEW' : 'TABLE',
    }));
  }

  /** `TABLE`, `VIEW`, or null when the table does not exist. */
  async tableType(dataset: string, table: string): Promise<'TABLE' | 'VIEW' | null> {
    if (!(await this.datasetExists(dataset))) return null;
    const found = (await this.tables(dataset)).find((t) => t.name === checkedId(table, 'table'));
    return found?.type ?? null;
  }

  /** The BigQuery schema of a table or view, derived from its DuckDB columns. */
  async fields(dataset: string, table: string): Promise<TableField[]> {
    const empty = await this.read(`SELECT * FROM ${tableRef(dataset, table)} LIMIT 0`);
    const required = await this.read(
      `SELECT column_name FROM duckdb_columns() WHERE database_name = current_database()
       AND schema_name = $d AND table_name = $t AND NOT is_nullable`,
      { values: { d: dataset, t: table }, types: {} },
    );
    const notNull = new Set(required.rows.map((row) => jsonText(row[0])));
    return empty.names.map((name, i) => fieldOf(name, empty.types[i]!, !notNull.has(name)));
  }

  /** Number of rows of a table. */
  async rowCount(dataset: string, table: string): Promise<number> {
    const result = await this.read(`SELECT count(*) FROM ${tableRef(dataset, table)}`);
    return Number(result.rows[0]?.[0] ?? 0);
  }

  /** Closes the database. */
  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
