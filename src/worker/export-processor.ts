import type { Logger } from 'pino';

import {
  PERIOD_VIEW_SUFFIX,
  isAnalysisPeriod,
  type AnalysisPeriod,
} from '../analysis/analysis-period.js';
import { addDays, isoDateToMs, type IsoDate } from '../analysis/iso-date.js';
import { normalizeSlug } from '../analysis/table-names.js';
import type { ExportJob } from '../queue/job-payloads.js';
import type { StatisticRow } from '../stats/statistic-row.js';
import type { LogRow } from '../warehouse/log-row.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import {
  sampleRatioMismatchByPeriod,
  type ExportedSampleRatioMismatch,
} from './export-sample-ratio-mismatch.js';
import type { ExportTarget } from './export-target.js';

/** What an export job returns. */
export interface ExportResult {
  readonly files: readonly string[];
  readonly statisticsRows: number;
  readonly errors: number;
}

/** What the export needs. */
export interface ExportProcessorDeps {
  readonly warehouse: Warehouse;
  readonly target: ExportTarget;
  readonly now: () => Date;
  /** Warns about sample ratio mismatches (p < 0.001). @defaultValue no logging */
  readonly logger?: Pick<Logger, 'warn'>;
}

/** Error types left out of the errors export (jetstream: expected, not worth showing). */
const UNEXPORTED_ERRORS = new Set([
  'Ended',
  'EnrollmentNotComplete',
  'EndedException',
  'EnrollmentNotCompleteException',
]);

/**
 * The export job (DESIGN.md data flow, step 5): the experiment's statistics per period (every
 * window, with `window_index`, in jetstream's Statistics_v1.0 shape), its metadata
 * (Metadata_v1.0) and its errors of the current weekly cycle, as JSON files.
 */
export function createExportProcessor(deps: ExportProcessorDeps) {
  return async function processExportJob(job: ExportJob): Promise<ExportResult> {
    const slug = normalizeSlug(job.experiment);
    const files: string[] = [];
    let statisticsRows = 0;
    const byPeriod = await statisticsByPeriod(deps.warehouse, job.experiment);
    const srm = sampleRatioMismatchByPeriod(byPeriod, job.branches);
    warnSampleRatioMismatches(deps.logger, job.experiment, srm);
    for (const [period, rows] of byPeriod) {
      const name = `statistics/statistics_${slug}_${PERIOD_VIEW_SUFFIX[period]}.json`;
      files.push(await deps.target.writeJson(name, rows));
      statisticsRows += rows.length;
    }
    if (!job.isPrivate) {
      files.push(
        await deps.target.writeJson(
          `metadata/metadata_${slug}.json`,
          metadataOf(job, deps.now(), srm),
        ),
      );
    }
    const errors = await errorsOf(deps.warehouse, job.experiment, job.date);
    files.push(await deps.target.writeJson(`errors/errors_${slug}.json`, errors));
    return { files, statisticsRows, errors: errors.length };
  };
}

/** An exported statistics row: nulls left out (the schema types them as numbers), window added. */
export type ExportedStatistic = Record<string, string | number>;

async function statisticsByPeriod(
  warehouse: Warehouse,
  experiment: string,
): Promise<Map<AnalysisPeriod, ExportedStatistic[]>> {
  const prefix = `statistics_${normalizeSlug(experiment)}_`;
  const tables = (await warehouse.listTables(experiment))
    .filter((t) => t.kind === 'statistics' && t.name.startsWith(prefix))
    .map((t) => ({ name: t.name, ...parseWindow(t.name.slice(prefix.length)) }))
    .filter(
      (t): t is { name: string; period: AnalysisPeriod; windowIndex: number } => t.period !== null,
    )
    .sort((a, b) => a.period.localeCompare(b.period) || a.windowIndex - b.windowIndex);
  const byPeriod = new Map<AnalysisPeriod, ExportedStatistic[]>();
  for (const table of tables) {
    const rows = (await warehouse.readStatistics(table.name)).flatMap((row) =>
      exportRow(row, table.windowIndex),
    );
    byPeriod.set(table.period, [...(byPeriod.get(table.period) ?? []), ...rows]);
  }
  return byPeriod;
}

/** `week_3` → week, 3; `preenrollment_week_1` → preenrollment_week, 1. */
function parseWindow(suffix: string): { period: AnalysisPeriod | null; windowIndex: number } {
  const match = /^(.*)_(\d+)$/.exec(suffix);
  const period = match?.[1] ?? '';
  return {
    period: isAnalysisPeriod(period) ? period : null,
    windowIndex: Number(match?.[2] ?? 0),
  };
}

/** One row in the export shape; rows without a point carry nothing and are left out. */
export function exportRow(row: StatisticRow, windowIndex: number): ExportedStatistic[] {
  if (row.point === null) return [];
  const out: ExportedStatistic = { window_index: String(windowIndex) };
  for (const [key, value] of Object.entries(row)) {
    if (value !== null) out[key] = value as string | number;
  }
  return [out];
}

/**
 * Metadata_v1.0: metrics, outcomes, the external config (when overridden), the start time; plus
 * contrail's `sample_ratio_mismatch` per period (the schema allows extra properties).
 */
export function metadataOf(
  job: ExportJob,
  now: Date,
  sampleRatioMismatch: Partial<Record<AnalysisPeriod, ExportedSampleRatioMismatch>> = {},
): Record<string, unknown> {
  const metrics = Object.fromEntries(
    Object.entries(job.metrics).map(([name, m]) => [
      name,
      {
        friendly_name: m.friendlyName ?? name,
        description: m.description ?? '',
        bigger_is_better: m.biggerIsBetter,
        analysis_bases: m.analysisBases,
      },
    ]),
  );
  const outcomes = Object.fromEntries(
    job.outcomes.map((o) => [
      o.slug,
      {
        slug: o.slug,
        friendly_name: o.friendlyName ?? o.slug,
        description: o.description ?? '',
        metrics: o.metrics,
        default_metrics: o.defaultMetrics,
      },
    ]),
  );
  const external = job.externalConfig;
  return {
    schema_version: 4,
    metrics,
    outcomes,
    external_config:
      external === null
        ? null
        : {
            reference_branch: external.referenceBranch,
            end_date: external.endDate,
            start_date: external.startDate,
            enrollment_period: external.enrollmentPeriod,
            skip: external.skip,
            url: external.url,
          },
    analysis_start_time: now.toISOString(),
    sample_ratio_mismatch: sampleRatioMismatch,
  };
}

/** Logs one warning per period whose enrollment counts do not fit the configured ratios. */
function warnSampleRatioMismatches(
  logger: Pick<Logger, 'warn'> | undefined,
  experiment: string,
  srm: Partial<Record<AnalysisPeriod, ExportedSampleRatioMismatch>>,
): void {
  for (const [period, test] of Object.entries(srm)) {
    if (!test.mismatch) continue;
    const counts = Object.entries(test.branches)
      .map(([branch, b]) => `${branch} ${b.observed} (expected ${b.expected.toFixed(1)})`)
      .join(', ');
    logger?.warn(
      { experiment, period, windowIndex: test.window_index, pValue: test.p_value },
      `sample ratio mismatch in ${experiment} ${period} window ${test.window_index}: ${counts}; chi-square p = ${test.p_value.toExponential(2)}`,
    );
  }
}

/** Errors since the start (Monday) of the run date's week, expected ones left out. */
async function errorsOf(
  warehouse: Warehouse,
  experiment: string,
  date: IsoDate,
): Promise<LogRow[]> {
  const weekday = (new Date(isoDateToMs(date)).getUTCDay() + 6) % 7;
  const since = `${addDays(date, -weekday)}T00:00:00.000Z`;
  const logs = await warehouse.readLogs({ experiment, since });
  return logs.filter((row) => !UNEXPORTED_ERRORS.has(row.exception_type ?? ''));
}
