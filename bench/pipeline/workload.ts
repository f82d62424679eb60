import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import {
  NO_EFFECT,
  type CatalogueExperiment,
} from '../../src/warehouse/synthetic/experiment-catalogue.js';
import { resolveSeedOptions } from '../../src/warehouse/synthetic/seed-options.js';
import type { SeedManifest } from '../../src/warehouse/synthetic/seed-manifest.js';
import { seedWarehouse, WAREHOUSE_FILES } from '../../src/warehouse/synthetic/seed-warehouse.js';

/**
 * The benchmark's synthetic daily workload (issue #5 §6): eight two-branch Firefox Desktop
 * experiments that share the whole bucket namespace, each ending on the run date one week after
 * its enrollment closed, so that three periods are due at once (day 7, week 1, overall), and
 * metric-hub defaults (written over the generated ones) that analyse 16 metrics in each of them.
 */

/** Experiments of the workload. */
export const WORKLOAD_EXPERIMENTS = 8;

/** Run date of the workload (the seed's default demo date). */
export const WORKLOAD_DATE = '2026-03-01';

/**
 * Days of telemetry: 7 pre-enrollment days (covariates), 7 enrollment days, 7 analysis days —
 * the shortest calendar the seed accepts for experiments starting 13 days before the run date.
 */
export const WORKLOAD_DAYS = 21;

/** Clients per branch the issue asks for. */
export const MIN_CLIENTS_PER_BRANCH = 50_000;

/**
 * The metrics analysed in every due period: the counts and booleans of the generated
 * `definitions/firefox_desktop.toml` plus two day counts defined by the benchmark — the shape of
 * Firefox's metrics (bootstrap means over few distinct values, binomials, linear models with a
 * pre-enrollment covariate, sums, counts, deciles of a count). The continuous `active_hours` and
 * the wide-ranged `uri_count` are left out: their bootstrap runs over every client's distinct value.
 */
export const WORKLOAD_METRICS = [
  'days_of_use',
  'active_days',
  'qualified_cumulative_days_of_use',
  'is_default_browser',
  'retained',
  'retained_dau',
  'client_level_daily_active_users_v2',
  'active_in_last_3_days_legacy',
  'unenroll',
  'search_count',
  'days_with_searches',
  'tagged_search_count',
  'tagged_follow_on_search_count',
  'organic_search_count',
  'searches_with_ads',
  'ad_clicks',
] as const;

/** `jetstream/definitions/firefox_desktop.toml`: the benchmark's own two day counts. */
export const WORKLOAD_DEFINITIONS_TOML = `# Written by bench/pipeline.ts.
[metrics]

[metrics.active_days]
select_expression = "COUNTIF(active_hours_sum > 0)"
data_source = "clients_daily"
friendly_name = "Active days"
description = "Days with any active hours."

[metrics.days_with_searches]
select_expression = "COUNTIF(sap > 0)"
data_source = "search_clients_engines_sources_daily"
friendly_name = "Days with searches"
description = "Days with at least one search-access-point search."
`;

/** The statistics of each workload metric (the generated defaults' choices where it has one). */
const STATISTICS_TOML = `[metrics.days_of_use.statistics.bootstrap_mean]
drop_highest = 0
[metrics.days_of_use.statistics.count]

[metrics.active_days.statistics.bootstrap_mean]
drop_highest = 0

[metrics.qualified_cumulative_days_of_use.statistics.linear_model_mean]
drop_highest = 0.0
[metrics.qualified_cumulative_days_of_use.statistics.linear_model_mean.covariate_adjustment]
period = "preenrollment_week"

[metrics.is_default_browser.statistics.binomial]
[metrics.retained.statistics.binomial]
[metrics.retained_dau.statistics.binomial]
[metrics.active_in_last_3_days_legacy.statistics.binomial]
[metrics.unenroll.statistics.binomial]

[metrics.client_level_daily_active_users_v2.statistics.linear_model_mean]
pre_treatments = ["normalize_over_analysis_period"]
drop_highest = 0.0

[metrics.search_count.statistics.bootstrap_mean]
[metrics.search_count.statistics.sum]
[metrics.search_count.statistics.deciles]

[metrics.days_with_searches.statistics.bootstrap_mean]
drop_highest = 0

[metrics.tagged_search_count.statistics.bootstrap_mean]
[metrics.tagged_follow_on_search_count.statistics.bootstrap_mean]
[metrics.organic_search_count.statistics.bootstrap_mean]
[metrics.searches_with_ads.statistics.bootstrap_mean]

[metrics.ad_clicks.statistics.bootstrap_mean]
[metrics.ad_clicks.statistics.sum]
`;

/** `jetstream/defaults/firefox_desktop.toml`: every metric in every period, with its statistics. */
export function workloadDefaultsToml(): string {
  const list = `[${WORKLOAD_METRICS.map((m) => `"${m}"`).join(', ')}]`;
  return [
    '# Written by bench/pipeline.ts: the workload metrics in every period due on the run date.',
    '[metrics]',
    `daily = ${list}`,
    `weekly = ${list}`,
    `overall = ${list}`,
    '',
    STATISTICS_TOML,
  ].join('\n');
}

/** Periods due on {@link WORKLOAD_DATE} for every experiment of the workload. */
export const WORKLOAD_PERIODS = ['day', 'week', 'overall'] as const;

/** Experiment slug of the workload's n-th experiment (1-based). */
export function workloadSlug(n: number): string {
  return `bench-pipeline-${n}`;
}

/** The workload's n-th experiment (1-based), as a seed catalogue entry. */
export function workloadExperiment(n: number): CatalogueExperiment {
  return {
    slug: workloadSlug(n),
    platform: 'firefox_desktop',
    userFacingName: `Pipeline benchmark ${n}`,
    description: 'Two-branch experiment of the pipeline benchmark; ends on the run date.',
    featureId: 'no-feature-firefox-desktop',
    startDaysBeforeDemo: 13,
    enrollmentDays: 7,
    enrollmentEndInExperimenter: true,
    endDaysBeforeDemo: 0,
    isRollout: false,
    // No exposure events: the exposures basis finds no clients, so each metric job reads the
    // telemetry once (the enrollments basis) — the run stays a few minutes long on two cores.
    exposureRate: 0,
    share: 10_000 / WORKLOAD_EXPERIMENTS,
    branches: [
      { slug: 'control', ratio: 1, assignmentRatio: 1, knobs: NO_EFFECT },
      {
        slug: 'treatment',
        ratio: 1,
        assignmentRatio: 1,
        knobs: { ...NO_EFFECT, intensity: 0.02 * n, search: 0.01 * n },
      },
    ],
    segments: [],
    traits: ['two-branch', 'ended'],
  };
}

/** Writes the workload's definitions and defaults into the warehouse's `metric-hub/jetstream/`. */
export async function writeWorkloadMetricHub(dir: string): Promise<void> {
  const jetstream = path.join(dir, WAREHOUSE_FILES.metricHub, 'jetstream');
  await mkdir(path.join(jetstream, 'definitions'), { recursive: true });
  await writeFile(
    path.join(jetstream, 'definitions', 'firefox_desktop.toml'),
    WORKLOAD_DEFINITIONS_TOML,
  );
  await writeFile(path.join(jetstream, 'defaults', 'firefox_desktop.toml'), workloadDefaultsToml());
}

/** A seeded workload and what it took. */
export interface SeededWorkload {
  readonly manifest: SeedManifest;
  /** Seconds spent seeding; null when an existing warehouse was reused. */
  readonly seconds: number | null;
  /** Enrolled clients of the smallest and largest branch. */
  readonly minClientsPerBranch: number;
  readonly maxClientsPerBranch: number;
  /** Rows of telemetry over every generated table. */
  readonly telemetryRows: number;
}

function describe(manifest: SeedManifest, seconds: number | null): SeededWorkload {
  const branchSizes = manifest.experiments.flatMap((e) => e.branches.map((b) => b.enrolled));
  return {
    manifest,
    seconds,
    minClientsPerBranch: Math.min(...branchSizes),
    maxClientsPerBranch: Math.max(...branchSizes),
    telemetryRows: manifest.tables.reduce((sum, t) => sum + t.rows, 0),
  };
}

/**
 * Seeds the workload's warehouse into `dir` (`clients` desktop clients) and writes the metric-hub
 * definitions and defaults over the generated ones.
 */
export async function seedWorkload(dir: string, clients: number): Promise<SeededWorkload> {
  const started = performance.now();
  const catalogue = Array.from({ length: WORKLOAD_EXPERIMENTS }, (_, i) =>
    workloadExperiment(i + 1),
  );
  const manifest = await seedWarehouse(
    resolveSeedOptions({ dir, clients, days: WORKLOAD_DAYS, demoDate: WORKLOAD_DATE, catalogue }),
  );
  await writeWorkloadMetricHub(dir);
  return describe(manifest, (performance.now() - started) / 1000);
}

/** A problem with a warehouse folder given for reuse. */
export class WorkloadFolderError extends Error {
  override readonly name = 'WorkloadFolderError';
}

/**
 * Reuses a warehouse seeded by an earlier benchmark (its `manifest.json` must list the
 * workload's experiments) and rewrites the metric-hub files.
 * @throws WorkloadFolderError naming the folder when it holds another warehouse.
 */
export async function reuseWorkload(dir: string): Promise<SeededWorkload> {
  const file = path.join(dir, WAREHOUSE_FILES.manifest);
  const manifest = JSON.parse(await readFile(file, 'utf8')) as SeedManifest;
  const slugs = manifest.experiments.map((e) => e.slug).join(',');
  const expected = Array.from({ length: WORKLOAD_EXPERIMENTS }, (_, i) => workloadSlug(i + 1));
  if (slugs !== expected.join(',')) {
    throw new WorkloadFolderError(
      `${file} is not a pipeline-benchmark warehouse (experiments: ${slugs})`,
    );
  }
  await writeWorkloadMetricHub(dir);
  return describe(manifest, null);
}
