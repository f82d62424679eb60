/** What BigQuery keeps about a table besides its columns and rows. */
export interface TableMeta {
  projectId: string;
  labels: Record<string, string>;
  description: string | null;
  timePartitioning: unknown;
  /** Milliseconds since the epoch. */
  creationTime: number;
  lastModifiedTime: number;
  /** SQL of a view, as given (BigQuery dialect). */
  viewQuery: string | null;
  /** insertIds seen by tabledata.insertAll (best-effort de-duplication, as BigQuery's). */
  insertIds: Set<string>;
}

/** What BigQuery keeps about a dataset. */
export interface DatasetMeta {
  projectId: string;
  location: string;
  labels: Record<string, string>;
  description: string | null;
  creationTime: number;
}

/**
 * Metadata of the fake's datasets and tables. Whether a table exists is DuckDB's answer; this
 * only adds labels, descriptions and times, created on first use for tables made by SQL.
 */
export class FakeCatalog {
  private readonly tableMetas = new Map<string, TableMeta>();
  private readonly datasetMetas = new Map<string, DatasetMeta>();
  private readonly location: string;
  private readonly now: () => number;

  constructor(location: string, now: () => number) {
    this.location = location;
    this.now = now;
  }

  /** The table's metadata, created with defaults if the table was made some other way. */
  table(projectId: string, dataset: string, table: string): TableMeta {
    const key = `${dataset}.${table}`;
    let meta = this.tableMetas.get(key);
    if (!meta) {
      const time = this.now();
      meta = {
        projectId,
        labels: {},
        description: null,
        timePartitioning: null,
        creationTime: time,
        lastModifiedTime: time,
        viewQuery: null,
        insertIds: new Set(),
      };
      this.tableMetas.set(key, meta);
    }
    return meta;
  }

  /** Starts a table's metadata afresh (a new table under an old name). */
  resetTable(projectId: string, dataset: string, table: string): TableMeta {
    this.tableMetas.delete(`${dataset}.${table}`);
    return this.table(projectId, dataset, table);
  }

  /** Marks a table's data as changed now. */
  touch(projectId: string, dataset: string, table: string): void {
    this.table(projectId, dataset, table).lastModifiedTime = this.now();
  }

  /** Forgets a dropped table. */
  dropTable(dataset: string, table: string): void {
    this.tableMetas.delete(`${dataset}.${table}`);
  }

  /** The dataset's metadata, created with defaults if needed. */
  dataset(projectId: string, dataset: string): DatasetMeta {
    let meta = this.datasetMetas.get(dataset);
    if (!meta) {
      meta = {
        projectId,
        location: this.location,
        labels: {},
        description: null,
        creationTime: this.now(),
      };
      this.datasetMetas.set(dataset, meta);
    }
    return meta;
  }

  /** Forgets a dropped dataset and its tables. */
  dropDataset(dataset: string): void {
    this.datasetMetas.delete(dataset);
    for (const key of [...this.tableMetas.keys()]) {
      if (key.startsWith(`${dataset}.`)) this.tableMetas.delete(key);
    }
  }
}
