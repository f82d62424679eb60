import { coerceError } from '../../../src/analysis/coerce-error.js';
import { columnDefinitions, duckDbTypeOf, type TableField } from './bigquery-types.js';
import {
  FakeApiError,
  datasetNotFound,
  invalidRequest,
  tableNotFound,
  type ErrorProto,
} from './fake-api-error.js';
import type { FakeCatalog } from './fake-catalog.js';
import { checkedId, tableRef, type FakeDatabase } from './fake-database.js';
import { queryError, translateQuery } from './fake-query.js';
import { insertJsonRows, rowProblems, type JsonRow } from './json-rows.js';
import { encodeRows, type WireFormat } from './wire-encoding.js';
import { jsonText } from './json-text.js';

type Body = Readonly<Record<string, unknown>>;

function asObject(value: unknown): Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Body)
    : {};
}

function stringLabels(value: unknown): Record<string, string | null> {
  const labels: Record<string, string | null> = {};
  for (const [key, v] of Object.entries(asObject(value))) {
    if (typeof v === 'string' || v === null) labels[key] = v;
  }
  return labels;
}

/** One page of a list: items from `offset`, at most `maxResults`, and the next token. */
function pageOf<T>(
  items: readonly T[],
  qs: Body,
  maxPageRows = Infinity,
): { items: T[]; next: string | null } {
  const start =
    typeof qs.pageToken === 'string' ? Number(qs.pageToken) : Number(qs.startIndex ?? 0);
  const size = Math.min(qs.maxResults === undefined ? 1000 : Number(qs.maxResults), maxPageRows);
  const end = Math.min(items.length, start + size);
  return { items: items.slice(start, end), next: end < items.length ? String(end) : null };
}

/** Datasets, tables, tabledata.list and tabledata.insertAll of the fake. */
export class FakeTables {
  private readonly db: FakeDatabase;
  private readonly catalog: FakeCatalog;

  private readonly settings: { readonly maxPageRows: number };

  constructor(db: FakeDatabase, catalog: FakeCatalog, settings: { readonly maxPageRows: number }) {
    this.db = db;
    this.catalog = catalog;
    this.settings = settings;
  }

  private datasetResource(projectId: string, dataset: string): Record<string, unknown> {
    const meta = this.catalog.dataset(projectId, dataset);
    return {
      kind: 'bigquery#dataset',
      id: `${meta.projectId}:${dataset}`,
      datasetReference: { projectId: meta.projectId, datasetId: dataset },
      location: meta.location,
      labels: meta.labels,
      ...(meta.description === null ? {} : { description: meta.description }),
      creationTime: String(meta.creationTime),
    };
  }

  /** datasets.insert. @throws FakeApiError 409 when it exists. */
  async insertDataset(projectId: string, body: Body): Promise<Record<string, unknown>> {
    const dataset = checkedId(jsonText(asObject(body.datasetReference).datasetId ?? ''), 'dataset');
    if (await this.db.datasetExists(dataset)) {
      throw new FakeApiError(409, 'duplicate', `Already Exists: Dataset ${projectId}:${dataset}`);
    }
    await this.db.run(`CREATE SCHEMA "${dataset}"`);
    this.catalog.dropDataset(dataset);
    const meta = this.catalog.dataset(projectId, dataset);
    if (typeof body.location === 'string') meta.location = body.location;
    meta.labels = Object.fromEntries(
      Object.entries(stringLabels(body.labels)).filter((e): e is [string, string] => e[1] !== null),
    );
    if (typeof body.description === 'string') meta.description = body.description;
    return this.datasetResource(projectId, dataset);
  }

  /** datasets.get. */
  async getDataset(projectId: string, dataset: string): Promise<Record<string, unknown>> {
    if (!(await this.db.datasetExists(dataset))) throw datasetNotFound(projectId, dataset);
    return this.datasetResource(projectId, dataset);
  }

  /** datasets.delete; a non-empty dataset needs `deleteContents=true`. */
  async deleteDataset(projectId: string, dataset: string, qs: Body): Promise<void> {
    if (!(await this.db.datasetExists(dataset))) throw datasetNotFound(projectId, dataset);
    const tables = await this.db.tables(dataset);
    if (tables.length > 0 && qs.deleteContents !== 'true') {
      throw new FakeApiError(
        400,
        'resourceInUse',
        `Dataset ${projectId}:${dataset} is still in use`,
      );
    }
    await this.db.run(`DROP SCHEMA "${checkedId(dataset, 'dataset')}" CASCADE`);
    this.catalog.dropDataset(dataset);
  }

  /** datasets.list. */
  async listDatasets(projectId: string, qs: Body): Promise<Record<string, unknown>> {
    const page = pageOf(await this.db.datasets(), qs);
    return {
      kind: 'bigquery#datasetList',
      datasets: page.items.map((d) => this.datasetResource(projectId, d)),
      ...(page.next === null ? {} : { nextPageToken: page.next }),
    };
  }

  /** tables.get's resource. @throws FakeApiError 404. */
  async tableResource(
    projectId: string,
    dataset: string,
    table: string,
  ): Promise<Record<string, unknown>> {
    const type = await this.db.tableType(dataset, table);
    if (type === null) throw tableNotFound(projectId, dataset, table);
    const meta = this.catalog.table(projectId, dataset, table);
    const fields = await this.db.fields(dataset, table);
    const rows = type === 'TABLE' ? await this.db.rowCount(dataset, table) : 0;
    return {
      kind: 'bigquery#table',
      id: `${meta.projectId}:${dataset}.${table}`,
      tableReference: { projectId: meta.projectId, datasetId: dataset, tableId: table },
      type,
      schema: { fields },
      numRows: String(rows),
      numBytes: '0',
      labels: { ...meta.labels },
      ...(meta.description === null ? {} : { description: meta.description }),
      ...(meta.timePartitioning ? { timePartitioning: meta.timePartitioning } : {}),
      ...(meta.viewQuery === null ? {} : { view: { query: meta.viewQuery, useLegacySql: false } }),
      creationTime: String(meta.creationTime),
      lastModifiedTime: String(meta.lastModifiedTime),
      location: this.catalog.dataset(projectId, dataset).location,
      etag: `"${meta.lastModifiedTime}"`,
    };
  }

  /** tables.insert: a table with a schema, or a view (`view.query`, translated to DuckDB). */
  async insertTable(
    projectId: string,
    dataset: string,
    body: Body,
  ): Promise<Record<string, unknown>> {
    const table = checkedId(jsonText(asObject(body.tableReference).tableId ?? ''), 'table');
    if (!(await this.db.datasetExists(dataset))) throw datasetNotFound(projectId, dataset);
    if ((await this.db.tableType(dataset, table)) !== null) {
      throw new FakeApiError(
        409,
        'duplicate',
        `Already Exists: Table ${projectId}:${dataset}.${table}`,
      );
    }
    const view = asObject(body.view);
    if (typeof view.query === 'string') {
      try {
        await this.db.run(
          `CREATE VIEW ${tableRef(dataset, table)} AS ${translateQuery(view.query, projectId)}`,
        );
      } catch (e) {
        const error = coerceError(e);
        throw queryError(error);
      }
    } else {
      const fields = asObject(body.schema).fields;
      if (!Array.isArray(fields)) throw invalidRequest(`table ${table} needs schema.fields`);
      await this.db.run(
        `CREATE TABLE ${tableRef(dataset, table)} (${columnDefinitions(fields as TableField[])})`,
      );
    }
    const meta = this.catalog.resetTable(projectId, dataset, table);
    meta.viewQuery = typeof view.query === 'string' ? view.query : null;
    this.applyMetadata(projectId, dataset, table, body, 'replace');
    return this.tableResource(projectId, dataset, table);
  }

  private applyMetadata(
    projectId: string,
    dataset: string,
    table: string,
    body: Body,
    how: 'merge' | 'replace',
  ): void {
    const meta = this.catalog.table(projectId, dataset, table);
    if ('labels' in body || how === 'replace') {
      const labels = how === 'replace' ? {} : { ...meta.labels };
      for (const [key, value] of Object.entries(stringLabels(body.labels))) {
        if (value === null) delete labels[key];
        else labels[key] = value;
      }
      meta.labels = labels;
    }
    if ('description' in body || how === 'replace') {
      meta.description = typeof body.description === 'string' ? body.description : null;
    }
    if (body.timePartitioning !== undefined) meta.timePartitioning = body.timePartitioning;
  }

  /** tables.patch (`merge`: labels set to null are removed) and tables.update (`replace`). */
  async patchTable(
    projectId: string,
    dataset: string,
    table: string,
    body: Body,
    how: 'merge' | 'replace',
  ): Promise<Record<string, unknown>> {
    if ((await this.db.tableType(dataset, table)) === null) {
      throw tableNotFound(projectId, dataset, table);
    }
    const fields = asObject(body.schema).fields;
    if (Array.isArray(fields)) await this.addColumns(dataset, table, fields as TableField[]);
    this.applyMetadata(projectId, dataset, table, body, how);
    return this.tableResource(projectId, dataset, table);
  }

  private async addColumns(
    dataset: string,
    table: string,
    fields: readonly TableField[],
  ): Promise<void> {
    const existing = new Set((await this.db.fields(dataset, table)).map((f) => f.name));
    for (const field of fields.filter((f) => !existing.has(f.name))) {
      if (field.mode === 'REQUIRED') {
        throw invalidRequest(`Cannot add required field ${field.name}`);
      }
      await this.db.run(
        `ALTER TABLE ${tableRef(dataset, table)} ADD COLUMN "${field.name}" ${duckDbTypeOf(field)}`,
      );
    }
  }

  /** tables.delete. @throws FakeApiError 404. */
  async deleteTable(projectId: string, dataset: string, table: string): Promise<void> {
    const type = await this.db.tableType(dataset, table);
    if (type === null) throw tableNotFound(projectId, dataset, table);
    await this.db.run(`DROP ${type === 'VIEW' ? 'VIEW' : 'TABLE'} ${tableRef(dataset, table)}`);
    this.catalog.dropTable(dataset, table);
  }

  /** tables.list (labels included, as BigQuery's list does; no schema or row counts). */
  async listTables(projectId: string, dataset: string, qs: Body): Promise<Record<string, unknown>> {
    if (!(await this.db.datasetExists(dataset))) throw datasetNotFound(projectId, dataset);
    const tables = await this.db.tables(dataset);
    const page = pageOf(tables, qs);
    return {
      kind: 'bigquery#tableList',
      totalItems: tables.length,
      tables: page.items.map(({ name, type }) => {
        const meta = this.catalog.table(projectId, dataset, name);
        return {
          kind: 'bigquery#table',
          id: `${meta.projectId}:${dataset}.${name}`,
          tableReference: { projectId: meta.projectId, datasetId: dataset, tableId: name },
          type,
          ...(Object.keys(meta.labels).length > 0 ? { labels: { ...meta.labels } } : {}),
          creationTime: String(meta.creationTime),
        };
      }),
      ...(page.next === null ? {} : { nextPageToken: page.next }),
    };
  }

  /** tabledata.list. */
  async listRows(
    projectId: string,
    dataset: string,
    table: string,
    qs: Body,
    format: WireFormat,
  ): Promise<Record<string, unknown>> {
    if ((await this.db.tableType(dataset, table)) !== 'TABLE') {
      throw tableNotFound(projectId, dataset, table);
    }
    const fields = await this.db.fields(dataset, table);
    const result = await this.db.read(`SELECT * FROM ${tableRef(dataset, table)}`);
    const page = pageOf(result.rows, qs, this.settings.maxPageRows);
    return {
      kind: 'bigquery#tableDataList',
      totalRows: String(result.rows.length),
      ...(page.items.length > 0 ? { rows: encodeRows(fields, page.items, format) } : {}),
      ...(page.next === null ? {} : { pageToken: page.next }),
    };
  }

  /**
   * tabledata.insertAll: all rows or none (unless `skipInvalidRows`); row problems come back as
   * `insertErrors` with HTTP 200, as BigQuery does; rows whose insertId was seen are skipped.
   */
  async insertAll(
    projectId: string,
    dataset: string,
    table: string,
    body: Body,
  ): Promise<Record<string, unknown>> {
    if ((await this.db.tableType(dataset, table)) !== 'TABLE') {
      throw tableNotFound(projectId, dataset, table);
    }
    const fields = await this.db.fields(dataset, table);
    const meta = this.catalog.table(projectId, dataset, table);
    const entries = Array.isArray(body.rows) ? (body.rows as Body[]) : [];
    const errors = insertProblems(fields, entries, body.ignoreUnknownValues === true);
    if (errors.length > 0 && body.skipInvalidRows !== true) {
      return {
        kind: 'bigquery#tableDataInsertAllResponse',
        insertErrors: withStopped(entries, errors),
      };
    }
    const bad = new Set(errors.map((e) => e.index));
    const { rows, fresh } = unseenRows(
      entries.filter((_, index) => !bad.has(index)),
      meta.insertIds,
    );
    try {
      const values = rows.map((entry) => entry.json as JsonRow);
      await insertJsonRows(this.db, tableRef(dataset, table), fields, values);
    } catch (e) {
      throw new FakeApiError(400, 'invalid', coerceError(e).message);
    }
    for (const id of fresh) meta.insertIds.add(id);
    this.catalog.touch(projectId, dataset, table);
    return {
      kind: 'bigquery#tableDataInsertAllResponse',
      ...(errors.length > 0 ? { insertErrors: errors } : {}),
    };
  }
}

type InsertErrors = { index: number; errors: ErrorProto[] }[];

/** Per-row problems of an insertAll request. */
function insertProblems(
  fields: readonly TableField[],
  entries: readonly Body[],
  ignoreUnknown: boolean,
): InsertErrors {
  const errors: InsertErrors = [];
  entries.forEach((entry, index) => {
    const problems = rowProblems(fields, entry.json, ignoreUnknown);
    if (problems.length > 0) errors.push({ index, errors: problems });
  });
  return errors;
}

/** The errors plus a `stopped` entry for every good row (none were inserted), by index. */
function withStopped(entries: readonly Body[], errors: InsertErrors): InsertErrors {
  const bad = new Set(errors.map((e) => e.index));
  const stopped = entries.flatMap((_, index) =>
    bad.has(index) ? [] : [{ index, errors: [{ reason: 'stopped', message: '' }] }],
  );
  return [...errors, ...stopped].sort((a, b) => a.index - b.index);
}

/** Rows whose insertId was not seen before (in `seen` or earlier in the request). */
function unseenRows(
  entries: readonly Body[],
  seen: ReadonlySet<string>,
): { rows: Body[]; fresh: Set<string> } {
  const fresh = new Set<string>();
  const rows = entries.filter((entry) => {
    const id = typeof entry.insertId === 'string' && entry.insertId !== '' ? entry.insertId : null;
    if (id === null) return true;
    if (seen.has(id) || fresh.has(id)) return false;
    fresh.add(id);
    return true;
  });
  return { rows, fresh };
}
