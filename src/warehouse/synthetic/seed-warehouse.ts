import path from 'node:path';

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

import {
  createDesktopDrawsSql,
  createDesktopRowsSql,
  createFenixRowsSql,
} from './activity-rows.js';
import { createClientsSql } from './client-table.js';
import { WAREHOUSE_FILES } from './warehouse-file-names.js';
import { DESKTOP_TABLES } from './desktop-tables.js';
import {
  createArmsSql,
  createDaysSql,
  createEnrolledClientsSql,
  createEnrollmentsSql,
  createExperimentsSql,
} from './enrollment-tables.js';
import {
  GLEAN_BASELINE_TABLE,
  gleanEventsStreamTable,
  normandyEventsTable,
} from './event-tables.js';
import { toExperimenterJson } from './experimenter-json.js';
import type { GeneratedTable } from './generated-table.js';
import { metricHubFiles } from './metric-hub-files.js';
import { modelMacros } from './model-macros.js';
import { exportParquet } from './parquet-export.js';
import { buildManifest, type BranchCounts } from './seed-manifest-builder.js';
import type { ManifestTable, SeedManifest } from './seed-manifest.js';
import type { SeedOptions } from './seed-options.js';
import { planSeed, type SeedPlan } from './seed-plan.js';
import { computeTrueEffects, createEffectWindowsSql } from './true-effects.js';
import { replaceFolder, writeTextFile } from './warehouse-files.js';

export { WAREHOUSE_FILES } from './warehouse-file-names.js';

/**
 * Builds the synthetic embedded warehouse in `options.dir`: Parquet tables, `experiments.json`,
 * `metric-hub/` and `manifest.json`. Same options → byte-identical tables and files.
 * @returns the manifest that was written.
 * @throws SeedOptionsError when `days` is too short for the experiments; SeedError when a
 *   table or file cannot be written.
 */
export async function seedWarehouse(options: SeedOptions): Promise<SeedManifest> {
  const plan = planSeed(options);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  let manifest: SeedManifest;
  try {
    await buildWorkingTables(connection, plan);
    await connection.run(createEffectWindowsSql(plan));
    // Exports and the truth computation read the finished working tables only, so they run
    // side by side on their own connections (each Parquet file is still written in row order).
    const [tables, effects] = await Promise.all([
      exportTables(instance, plan),
      withConnection(instance, computeTrueEffects),
    ]);
    const counts = await countBranches(connection, plan.options.days);
    manifest = buildManifest(plan, tables, counts, effects);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  await writeConfigFiles(plan);
  await writeTextFile(
    path.join(options.dir, WAREHOUSE_FILES.manifest),
    `${JSON.stringify(manifest, null, 2)}\n`,
  );
  return manifest;
}

/** Runs `work` on a fresh connection of `instance`, closing it afterwards. */
async function withConnection<T>(
  instance: DuckDBInstance,
  work: (connection: DuckDBConnection) => Promise<T>,
): Promise<T> {
  const connection = await instance.connect();
  try {
    return await work(connection);
  } finally {
    connection.closeSync();
  }
}

/** The generator's working tables: calendar, clients, experiments, enrollments, activity. */
async function buildWorkingTables(connection: DuckDBConnection, plan: SeedPlan): Promise<void> {
  const statements = [
    ...modelMacros(plan.options.seed, plan.dataStart),
    createDaysSql(plan),
    createClientsSql(plan),
    createExperimentsSql(plan),
    createArmsSql(plan),
    createEnrollmentsSql(),
    createEnrolledClientsSql(),
    createDesktopDrawsSql(),
    createDesktopRowsSql(),
    'DROP TABLE desktop_draws',
    createFenixRowsSql(),
  ];
  for (const sql of statements) await connection.run(sql);
}

/** The tables written, in order. */
function generatedTables(plan: SeedPlan): GeneratedTable[] {
  return [
    ...DESKTOP_TABLES,
    normandyEventsTable(plan.options.days),
    gleanEventsStreamTable(plan.options.days),
    GLEAN_BASELINE_TABLE,
  ];
}

/** Exports run this many at a time, each on its own connection. */
const EXPORT_CONCURRENCY = 2;

async function exportTables(instance: DuckDBInstance, plan: SeedPlan): Promise<ManifestTable[]> {
  const tables = generatedTables(plan);
  const written: ManifestTable[] = new Array<ManifestTable>(tables.length);
  let next = 0;
  const worker = (connection: DuckDBConnection) => async () => {
    for (let i = next++; i < tables.length; i = next++) {
      const table = tables[i];
      if (!table) continue;
      const rows = await exportParquet(connection, plan.options.dir, table);
      written[i] = {
        dataset: table.dataset,
        table: table.table,
        path: `tables/${table.dataset}/${table.table}.parquet`,
        rows,
      };
    }
  };
  await Promise.all(
    Array.from({ length: EXPORT_CONCURRENCY }, () =>
      withConnection(instance, (connection) => worker(connection)()),
    ),
  );
  return written;
}

/** Enrolled and exposed clients per experiment and branch. */
async function countBranches(connection: DuckDBConnection, days: number): Promise<BranchCounts> {
  const reader = await connection.runAndReadAll(
    `SELECT slug, branch, count(*) AS enrolled,
       count(*) FILTER (WHERE exposed AND t_exposure < ${days}) AS exposed
     FROM enrollments GROUP BY slug, branch ORDER BY slug, branch`,
  );
  const counts: BranchCounts = new Map();
  for (const row of reader.getRowObjectsJS() as Record<string, unknown>[]) {
    const slug = String(row['slug']);
    const perBranch = counts.get(slug) ?? new Map<string, { enrolled: number; exposed: number }>();
    perBranch.set(String(row['branch']), {
      enrolled: Number(row['enrolled']),
      exposed: Number(row['exposed']),
    });
    counts.set(slug, perBranch);
  }
  return counts;
}

/** `experiments.json` and `metric-hub/`. */
async function writeConfigFiles(plan: SeedPlan): Promise<void> {
  const { dir } = plan.options;
  const experiments = plan.experiments.map(toExperimenterJson);
  await writeTextFile(
    path.join(dir, WAREHOUSE_FILES.experiments),
    `${JSON.stringify(experiments, null, 2)}\n`,
  );
  await replaceFolder(path.join(dir, WAREHOUSE_FILES.metricHub), metricHubFiles(plan.experiments));
}
