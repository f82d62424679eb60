import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { DuckDBInstance } from '@duckdb/node-api';

import type { PlanExperiment } from '../../../../src/analysis/analysis-plan.js';
import { loadMetricHub } from '../../../../src/config/metric-hub.js';
import { resolveAnalysisConfig } from '../../../../src/config/resolve-analysis-config.js';
import { effectiveExperiment } from '../../../../src/experiments/effective-experiment.js';
import { parseExperiments } from '../../../../src/experiments/parse-experiments.js';
import { readMetricHubFolder } from '../../../../src/runtime/metric-hub-files.js';
import type { EnrollmentsSpec } from '../../../../src/warehouse/enrollments-spec.js';
import type { SeedManifest } from '../../../../src/warehouse/synthetic/seed-manifest.js';
import {
  resolveSeedOptions,
  type SeedOptions,
} from '../../../../src/warehouse/synthetic/seed-options.js';
import { seedWarehouse } from '../../../../src/warehouse/synthetic/seed-warehouse.js';

/** A seeded warehouse in a temporary folder. */
export interface SeededWarehouse {
  readonly dir: string;
  readonly manifest: SeedManifest;
  remove(): Promise<void>;
}

/** Seeds a fresh temporary folder with `options` (dir is chosen here). */
export async function seedTemp(
  options: Partial<Omit<SeedOptions, 'dir'>>,
): Promise<SeededWarehouse> {
  const dir = await mkdtemp(path.join(tmpdir(), 'contrail-seed-'));
  const manifest = await seedWarehouse(resolveSeedOptions({ dir, ...options }));
  return { dir, manifest, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * The seeded warehouse's experiments as of its demo date, each with its resolved metric-hub
 * configuration and effective values (what the producer plans with).
 */
export async function plannedExperiments(seeded: SeededWarehouse): Promise<PlanExperiment[]> {
  const hub = loadMetricHub(await readMetricHubFolder(path.join(seeded.dir, 'metric-hub')));
  const json = JSON.parse(
    await readFile(path.join(seeded.dir, 'experiments.json'), 'utf8'),
  ) as unknown;
  const { experiments } = parseExperiments(json, seeded.manifest.demoDate);
  return experiments.map((experiment) => {
    const config = resolveAnalysisConfig(hub, experiment);
    return { experiment: effectiveExperiment(experiment, config.experiment), config };
  });
}

/** The enrollments an experiment's analysis needs, with data up to `lastDateOfData`. */
export function enrollmentsSpecOf(
  { experiment, config }: PlanExperiment,
  lastDateOfData: EnrollmentsSpec['lastDateOfData'],
): EnrollmentsSpec {
  return {
    slug: experiment.slug,
    startDate: experiment.startDate ?? '',
    enrollmentPeriod: experiment.enrollmentPeriod,
    branches: experiment.experiment.branches.map((b) => b.slug),
    analysisUnit: experiment.analysisUnit,
    enrollmentsQueryType: experiment.enrollmentsQueryType,
    appDataset: experiment.appDataset,
    segments: config.segments,
    exposureSignal: config.experiment.exposureSignal ?? null,
    lastDateOfData,
  };
}

/** Every file under `dir` (relative path, sorted) with the SHA-256 of its bytes. */
export async function hashTree(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const hashes: Record<string, string> = {};
  for (const entry of entries.filter((e) => e.isFile())) {
    const file = path.join(entry.parentPath, entry.name);
    const digest = createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
    hashes[path.relative(dir, file)] = digest;
  }
  return Object.fromEntries(Object.entries(hashes).sort(([a], [b]) => a.localeCompare(b)));
}

/** Runs one query on a fresh in-memory DuckDB and returns its rows as JS values. */
export async function query(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJS();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** `'<dir>/tables/<dataset>/<table>.parquet'` as a SQL string literal. */
export function parquet(dir: string, dataset: string, table: string): string {
  return `'${path.join(dir, 'tables', dataset, `${table}.parquet`).replaceAll("'", "''")}'`;
}
