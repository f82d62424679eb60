import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { coerceError } from '../../analysis/coerce-error.js';
import { WarehouseQueryError } from '../warehouse-errors.js';
import type { SqlParamValue } from '../sql/sql-query.js';
import type { DuckDbDialect } from './duckdb-dialect.js';
import { FileSnapshots } from './file-snapshots.js';
import { scanFolderTables, type FolderTable } from './folder-tables.js';
import { pathLiteral } from './sql-literal.js';
import { isSafeIdentifier } from '../../analysis/sql-identifier.js';
import { bigQueryParamsToDuckDb } from './duckdb-dialect.js';
import { viewsRoot } from './warehouse-layout.js';

/** A row as plain JS values (BIGINT → bigint, DATE → DuckDBDateValue, ...). */
export type DuckDbRow = Record<string, unknown>;

function viewKey(table: Pick<FolderTable, 'dataset' | 'table'>): string {
  return `${table.dataset}.${table.table}`;
}

function viewName(table: Pick<FolderTable, 'dataset' | 'table'>): string {
  // dataset and table passed isSafeIdentifier in scanFolderTables
  return `"${table.dataset}"."${table.table}"`;
}

/**
 * One process's (or thread's) in-memory DuckDB over the warehouse folder: a view per table file,
 * re-created when the file changes, so several processes can read while others replace files.
 * Operations run one at a time ({@link DuckDbSession.exclusive}).
 */
export class DuckDbSession {
  /** Per view: the table file's signature and the pinned link the view reads. */
  private readonly views = new Map<string, { signature: string; pinned: string | null }>();
  private readonly schemas = new Set<string>();
  /** Tables whose file could not be read (`dataset.table` → file signature and error). */
  private readonly unreadable = new Map<string, { signature: string; message: string }>();
  /** Per stored view (`dataset.view`): the signature of its SQL file when it was created. */
  private readonly storedViews = new Map<string, string>();
  private queue: Promise<unknown> = Promise.resolve();

  /** The warehouse folder. */
  readonly dir: string;
  /** The session's one connection. */
  readonly connection: DuckDBConnection;
  /** Pinned versions of the table files this process reads. */
  readonly snapshots: FileSnapshots;
  private readonly instance: DuckDBInstance;
  private readonly dialect: DuckDbDialect;

  private constructor(
    dir: string,
    instance: DuckDBInstance,
    connection: DuckDBConnection,
    snapshots: FileSnapshots,
    dialect: DuckDbDialect,
  ) {
    this.dir = dir;
    this.dialect = dialect;
    this.instance = instance;
    this.connection = connection;
    this.snapshots = snapshots;
  }

  /**
   * Opens an in-memory DuckDB and runs the dialect's prelude.
   * @throws WarehouseQueryError when a prelude statement fails.
   */
  static async open(dir: string, dialect: DuckDbDialect): Promise<DuckDbSession> {
    const snapshots = await FileSnapshots.create(dir);
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const session = new DuckDbSession(dir, instance, connection, snapshots, dialect);
    // Table files are replaced under the same path, possibly within one mtime tick: a cache
    // keyed on path and mtime could serve blocks of the old file.
    await session.run('SET enable_external_file_cache = false', {}, 'configure DuckDB');
    for (const statement of dialect.duckDbPrelude()) {
      await session.run(statement, {}, 'dialect prelude');
    }
    return session;
  }

  /** Runs `task` after every earlier task of this session finished. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Brings the views in line with the folder: creates views for new tables, re-creates those
   * whose file was replaced, drops those whose file is gone.
   * @returns the tables found.
   */
  async syncViews(): Promise<FolderTable[]> {
    const tables = await scanFolderTables(this.dir);
    const seen = new Set<string>();
    for (const table of tables) {
      const key = viewKey(table);
      const current = this.views.get(key);
      if (current?.signature === table.signature) {
        seen.add(key);
        continue;
      }
      if (this.unreadable.get(key)?.signature === table.signature) continue;
      const pinned = table.append ? null : await this.snapshots.pin(table.source);
      if (!table.append && pinned === null) continue; // dropped since the scan
      try {
        await this.createView(table, pinned ?? table.source);
      } catch (e) {
        // A corrupt file affects only the queries that read its table: they find no such
        // table, while every other table stays readable.
        if (pinned) await this.snapshots.release(pinned);
        this.unreadable.set(key, { signature: table.signature, message: coerceError(e).message });
        continue;
      }
      this.unreadable.delete(key);
      seen.add(key);
      this.views.set(key, { signature: table.signature, pinned });
      if (current?.pinned) await this.snapshots.release(current.pinned);
    }
    for (const [key, view] of [...this.views]) {
      if (seen.has(key)) continue;
      const [dataset = '', table = ''] = key.split('.');
      await this.run(`DROP VIEW IF EXISTS ${viewName({ dataset, table })}`, {}, 'drop view');
      this.views.delete(key);
      if (view.pinned) await this.snapshots.release(view.pinned);
    }
    await this.syncStoredViews();
    return tables;
  }

  /**
   * Creates the views stored under `<dir>/views` (BigQuery SQL, translated) that are new or
   * changed since the last sync. A view that no longer binds (a table it reads was dropped) is
   * skipped: it fails when queried, as a broken view does in BigQuery.
   */
  private async syncStoredViews(): Promise<void> {
    const root = viewsRoot(this.dir);
    for (const dataset of await listNames(root)) {
      if (!isSafeIdentifier(dataset)) continue;
      for (const entry of await listNames(path.join(root, dataset))) {
        const name = entry.endsWith('.sql') ? entry.slice(0, -4) : '';
        if (!isSafeIdentifier(name)) continue;
        const file = path.join(root, dataset, entry);
        const info = await stat(file).catch(() => null);
        if (info === null) continue;
        const key = `${dataset}.${name}`;
        const signature = `${info.ino}:${info.size}:${info.mtimeMs}`;
        if (this.storedViews.get(key) === signature) continue;
        const sql = await readFile(file, 'utf8').catch(() => null);
        if (sql === null) continue;
        this.storedViews.set(key, signature);
        await this.createStoredView(dataset, name, sql).catch(() => undefined);
      }
    }
  }

  private async createStoredView(dataset: string, name: string, sql: string): Promise<void> {
    if (!this.schemas.has(dataset)) {
      await this.run(`CREATE SCHEMA IF NOT EXISTS "${dataset}"`, {}, 'create schema');
      this.schemas.add(dataset);
    }
    const translated = bigQueryParamsToDuckDb(this.dialect.toDuckDbSql(sql));
    await this.run(
      `CREATE OR REPLACE VIEW ${viewName({ dataset, table: name })} AS ${translated}`,
      {},
      `view ${dataset}.${name}`,
    );
  }

  /**
   * The `dataset.table` a file this session reads belongs to (pinned links included), or null;
   * used to name the tables a profiled query scanned.
   */
  tableOfFile(pinnedOrFile: string): string | null {
    const file = this.snapshots.sourceOf(pinnedOrFile);
    const base = path.basename(file);
    const parent = path.basename(path.dirname(file));
    if (base.endsWith('.parquet') && isSafeIdentifier(parent)) {
      return `${parent}.${base.slice(0, -'.parquet'.length)}`;
    }
    return null;
  }

  private async createView(table: FolderTable, source: string): Promise<void> {
    if (!this.schemas.has(table.dataset)) {
      await this.run(`CREATE SCHEMA IF NOT EXISTS "${table.dataset}"`, {}, 'create schema');
      this.schemas.add(table.dataset);
    }
    const reader = table.append
      ? `read_parquet(${pathLiteral(source)}, union_by_name = true)`
      : `read_parquet(${pathLiteral(source)})`;
    await this.run(
      `CREATE OR REPLACE VIEW ${viewName(table)} AS SELECT * FROM ${reader}`,
      {},
      `view over ${table.dataset}.${table.table}`,
    );
  }

  /** Why `dataset.table`'s file could not be read at the last sync, or null. */
  unreadableTable(dataset: string, table: string): string | null {
    return this.unreadable.get(`${dataset}.${table}`)?.message ?? null;
  }

  /** True when a view for `dataset.table` exists after the last sync. */
  hasView(dataset: string, table: string): boolean {
    return this.views.has(viewKey({ dataset, table }));
  }

  /**
   * Runs a statement.
   * @param purpose - named in the error message.
   * @throws WarehouseQueryError carrying DuckDB's message.
   */
  async run(sql: string, params: Record<string, SqlParamValue>, purpose: string): Promise<void> {
    await this.guard(purpose, () => this.connection.run(sql, params));
  }

  /** Runs a query and returns its rows as JS values. */
  async rows(
    sql: string,
    params: Record<string, SqlParamValue>,
    purpose: string,
  ): Promise<DuckDbRow[]> {
    const reader = await this.guard(purpose, () => this.connection.runAndReadAll(sql, params));
    return reader.getRowObjectsJS();
  }

  /** Wraps DuckDB errors so they name what was being done. */
  async guard<T>(purpose: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (e) {
      const error = coerceError(e);
      throw new WarehouseQueryError(`${purpose} failed: ${error.message}`, { cause: error });
    }
  }

  /** Closes the connection and the database, and removes this process's pinned links. */
  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
    await this.snapshots.dispose();
  }
}

/** Entry names of a folder; [] when it does not exist. */
async function listNames(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch {
    return [];
  }
}
