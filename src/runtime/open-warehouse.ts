import path from 'node:path';

import type { RowStage } from '../warehouse/staging/row-stage.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { Env } from './env.js';

/** Which warehouse to open; plain data, so it can be handed to worker threads. */
export type WarehouseConfig =
  | { readonly kind: 'duckdb'; readonly dir: string }
  | {
      readonly kind: 'bigquery';
      readonly projectId: string;
      readonly dataset: string;
      readonly apiEndpoint?: string;
      readonly storageApiEndpoint?: string;
      readonly location?: string;
      readonly logsTable?: string;
      readonly sourceProject?: string;
      /** Byte cap of every query job. */
      readonly maximumBytesBilled?: number;
      /** `jobTimeoutMs` of every query job. */
      readonly jobTimeoutMs?: number;
      /** Priority of query jobs whose `JobContext` names none. */
      readonly priority?: 'INTERACTIVE' | 'BATCH';
    };

/** An open warehouse with the stage metric jobs leave their rows in. */
export interface OpenWarehouse {
  readonly warehouse: Warehouse;
  readonly stage: RowStage;
  close(): Promise<void>;
}

/** The warehouse the environment selects (validated by `parseEnv`). */
export function warehouseConfigFromEnv(env: Env): WarehouseConfig {
  if (env.CONTRAIL_WAREHOUSE === 'duckdb') {
    return { kind: 'duckdb', dir: path.resolve(env.CONTRAIL_WAREHOUSE_DIR) };
  }
  if (env.CONTRAIL_BIGQUERY_PROJECT === undefined || env.CONTRAIL_BIGQUERY_DATASET === undefined) {
    throw new Error(
      'CONTRAIL_WAREHOUSE=bigquery needs CONTRAIL_BIGQUERY_PROJECT and CONTRAIL_BIGQUERY_DATASET',
    );
  }
  return {
    kind: 'bigquery',
    projectId: env.CONTRAIL_BIGQUERY_PROJECT,
    dataset: env.CONTRAIL_BIGQUERY_DATASET,
    ...definedEntries({
      apiEndpoint: env.CONTRAIL_BIGQUERY_API_ENDPOINT,
      storageApiEndpoint: env.CONTRAIL_BIGQUERY_STORAGE_API_ENDPOINT,
      location: env.CONTRAIL_BIGQUERY_LOCATION,
      logsTable: env.CONTRAIL_BIGQUERY_LOGS_TABLE,
      sourceProject: env.CONTRAIL_BIGQUERY_SOURCE_PROJECT,
      maximumBytesBilled: env.CONTRAIL_BIGQUERY_MAX_BYTES_BILLED,
      jobTimeoutMs: env.CONTRAIL_BIGQUERY_JOB_TIMEOUT_MS,
      priority: env.CONTRAIL_BIGQUERY_PRIORITY,
    }),
  };
}

/** The entries whose value is defined (each key keeps its own type). */
function definedEntries<T extends object>(
  entries: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(entries).filter((entry) => entry[1] !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/**
 * Opens the configured warehouse. Each backend's modules (and its client library: DuckDB's native
 * addon, Google's BigQuery client) load only when that backend is opened, so a process pays for
 * one of them and commands that open none start faster.
 */
export async function openWarehouse(config: WarehouseConfig): Promise<OpenWarehouse> {
  if (config.kind === 'duckdb') {
    const [{ createDuckDbWarehouse }, { createFolderRowStage }] = await Promise.all([
      import('../warehouse/duckdb/duckdb-warehouse.js'),
      import('../warehouse/staging/folder-row-stage.js'),
    ]);
    const warehouse = await createDuckDbWarehouse({ dir: config.dir });
    return {
      warehouse,
      stage: createFolderRowStage(path.join(config.dir, 'staging')),
      close: () => warehouse.close(),
    };
  }
  const [{ createBigQueryWarehouse }, { createBigQueryRowStage }] = await Promise.all([
    import('../warehouse/bigquery/bigquery-warehouse.js'),
    import('../warehouse/staging/bigquery-row-stage.js'),
  ]);
  const warehouse = await createBigQueryWarehouse(config);
  return {
    warehouse,
    stage: createBigQueryRowStage(config),
    close: () => warehouse.close(),
  };
}
