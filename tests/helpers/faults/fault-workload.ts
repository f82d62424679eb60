import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { runContrail } from '../pipeline.js';
import type { FaultsScale } from './faults-scale.js';

/**
 * The synthetic workloads of the fault suite. Every workload is a copy of one seeded template
 * warehouse with its experiments file and metric-hub folder edited, so two runs of the same
 * workload read the same data and must produce bit-identical statistics tables.
 */

/** The experiment every fault scenario analyses (2 due windows, 15 default metric jobs). */
export const CORE_EXPERIMENT = 'tab-groups-srm';
/** A weekly metric planted into the core experiment whose bootstrap lasts seconds. */
export const SLOW_METRIC = 'slow_active_hours';
/** The seeded demo date (`contrail seed` default). */
export const RUN_DATE = '2026-03-01';

/** Named workloads. `core`: the core experiment alone; `load`: many copies of it. */
export type WorkloadName = 'core' | 'load';

/** One experiment entry of `experiments.json` (Experimenter v8), as far as we edit it. */
type ExperimentEntry = Record<string, unknown> & { slug: string };

/** Seeds the template warehouse into `dir` (the compiled CLI must be built). */
export async function seedTemplate(dir: string, scale: FaultsScale): Promise<void> {
  const result = await runContrail(['seed', '--dir', dir, '--clients', String(scale.clients)], {
    CONTRAIL_LOG_LEVEL: 'warn',
  });
  if (result.code !== 0) throw new Error(`seed failed (${result.code}):\n${result.stderr}`);
}

/** Copies the template to `warehouseDir` and shapes it into workload `name`. */
export function makeWorkload(
  name: WorkloadName,
  templateDir: string,
  warehouseDir: string,
  scale: FaultsScale,
): void {
  cpSync(templateDir, warehouseDir, { recursive: true });
  const core = readExperiments(warehouseDir).find((e) => e.slug === CORE_EXPERIMENT);
  if (core === undefined) throw new Error(`${CORE_EXPERIMENT} is missing from the seeded data`);
  if (name === 'core') {
    writeExperiments(warehouseDir, [core]);
    writeExperimentConfig(warehouseDir, CORE_EXPERIMENT, coreExperimentToml(scale));
    return;
  }
  const copies: ExperimentEntry[] = [];
  for (let i = 0; i < scale.loadExperiments; i++) {
    const slug = `load-${String(i).padStart(2, '0')}`;
    copies.push(copyExperiment(core, slug));
    writeExperimentConfig(warehouseDir, slug, loadToml(scale.loadExtraMetrics));
  }
  writeExperiments(warehouseDir, copies);
}

/** The experiments file of a warehouse folder. */
export function readExperiments(warehouseDir: string): ExperimentEntry[] {
  return JSON.parse(readFileSync(experimentsFile(warehouseDir), 'utf8')) as ExperimentEntry[];
}

/** Replaces the experiments file of a warehouse folder. */
export function writeExperiments(warehouseDir: string, entries: readonly unknown[]): void {
  writeFileSync(experimentsFile(warehouseDir), `${JSON.stringify(entries, null, 1)}\n`);
}

/** Writes `metric-hub/jetstream/<slug>.toml` (replacing any file of that name). */
export function writeExperimentConfig(warehouseDir: string, slug: string, toml: string): void {
  writeFileSync(experimentConfigFile(warehouseDir, slug), toml);
}

/** Path of `metric-hub/jetstream/<slug>.toml`. */
export function experimentConfigFile(warehouseDir: string, slug: string): string {
  return path.join(warehouseDir, 'metric-hub', 'jetstream', `${slug}.toml`);
}

/** The core experiment's entry under another slug (same dates, branches and population). */
export function copyExperiment(core: ExperimentEntry, slug: string): ExperimentEntry {
  return { ...structuredClone(core), slug, id: slug, userFacingName: slug };
}

/**
 * An `[experiment]` section that enrolls the core experiment's clients under another slug (the
 * synthetic telemetry only has enrollment events for the seeded slugs).
 */
export function borrowedEnrollmentsToml(): string {
  const sql = [
    'SELECT ev.client_id AS analysis_id,',
    "mozfun.map.get_key(ev.event_map_values, 'branch') AS branch,",
    'MIN(ev.submission_date) AS enrollment_date,',
    'COUNT(ev.submission_date) AS num_enrollment_events',
    'FROM mozdata.telemetry.events ev',
    "WHERE ev.event_category = 'normandy' AND ev.event_method = 'enroll'",
    `AND ev.event_string_value = '${CORE_EXPERIMENT}'`,
    "GROUP BY ev.client_id, mozfun.map.get_key(ev.event_map_values, 'branch')",
  ].join(' ');
  return `[experiment]\nenrollment_query = """${sql}"""\n`;
}

/**
 * The core experiment's config: the slow weekly metric, plus `extraWeekly` metrics defined by
 * `extraDefinitions` (TOML tables).
 */
export function coreExperimentToml(
  scale: FaultsScale,
  extraWeekly: readonly string[] = [],
  extraDefinitions = '',
): string {
  return [
    '# fault suite: one weekly metric whose bootstrap lasts seconds (a long job to kill)',
    '[metrics]',
    `weekly = ${JSON.stringify([SLOW_METRIC, ...extraWeekly])}`,
    '',
    `[metrics.${SLOW_METRIC}]`,
    `select_expression = '{{agg_sum("active_hours_sum")}}'`,
    'data_source = "clients_daily"',
    '',
    `[metrics.${SLOW_METRIC}.statistics.bootstrap_mean]`,
    `num_samples = ${scale.slowSamples}`,
    '',
    extraDefinitions,
  ].join('\n');
}

function loadToml(extraMetrics: number): string {
  const names = Array.from({ length: extraMetrics }, (_, i) => `load_metric_${i}`);
  const lines = [borrowedEnrollmentsToml(), '[metrics]', `weekly = ${JSON.stringify(names)}`, ''];
  names.forEach((metric, i) => {
    lines.push(
      `[metrics.${metric}]`,
      `select_expression = "COALESCE(SUM(active_hours_sum), 0) > ${(i % 20) / 4}"`,
      'data_source = "clients_daily"',
      `[metrics.${metric}.statistics.binomial]`,
      '',
    );
  });
  return lines.join('\n');
}

function experimentsFile(warehouseDir: string): string {
  return path.join(warehouseDir, 'experiments.json');
}
