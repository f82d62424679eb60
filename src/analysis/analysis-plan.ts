import type { AnalysisConfig } from '../config/analysis-config.js';
import type { EffectiveExperiment } from '../experiments/effective-experiment.js';
import type { AnalysisPeriod } from './analysis-period.js';
import type { AnalysisWindow } from './analysis-window.js';
import { coerceError } from './coerce-error.js';
import { dueWindow, type DueWindow } from './due-window.js';
import { gateExperiment } from './gate-experiment.js';
import { GatingError, type GatingReason } from './gating-errors.js';
import { isIsoDate, type IsoDate } from './iso-date.js';
import { isSafeIdentifier, isValidExperimentSlug } from './sql-identifier.js';
import { taskId } from './task-id.js';

/** An experiment to plan, with its resolved config. */
export interface PlanExperiment {
  readonly experiment: EffectiveExperiment;
  readonly config: AnalysisConfig;
}

/** Narrows a plan; an absent or empty list means "all". */
export interface PlanFilters {
  /** Experiment slugs; a slug matching no input is reported as skipped (`NotFound`). */
  readonly experiments?: readonly string[];
  readonly periods?: readonly AnalysisPeriod[];
  /** Metric names. */
  readonly metrics?: readonly string[];
}

/** What to plan: a run date D and the experiments with their configs. */
export interface PlanInput {
  readonly date: IsoDate;
  readonly experiments: readonly PlanExperiment[];
  readonly filters?: PlanFilters;
}

/** One metric job: compute every statistic of one metric for one window. */
export interface AnalysisTask {
  /** Deterministic job id (see `taskId`). */
  readonly id: string;
  /** Experiment slug. */
  readonly experiment: string;
  readonly date: IsoDate;
  readonly period: AnalysisPeriod;
  readonly windowIndex: number;
  readonly window: AnalysisWindow;
  readonly metric: string;
}

/** The tasks of one (experiment, date, period): one flow, whose parent is the finalize job. */
export interface PlanGroup extends DueWindow {
  /** Deterministic id of the finalize job. */
  readonly id: string;
  readonly experiment: string;
  readonly date: IsoDate;
  readonly tasks: readonly AnalysisTask[];
}

/** All due work of one experiment on the date. */
export interface PlanUnit {
  readonly experiment: string;
  /**
   * Id of the job of this date that ensures `enrollments_<slug>` and then adds the date's flow;
   * it must finish before any metric job.
   */
  readonly enrollmentsId: string;
  /** Id of the job that exports the results of (experiment, date). */
  readonly exportId: string;
  /** Pre-enrollment periods first (covariate adjustment reads them), then day, week, days28, overall. */
  readonly groups: readonly PlanGroup[];
}

/** Why something was not planned. */
export type SkipCode =
  GatingReason | 'NotFound' | 'NothingDue' | 'NoMetrics' | 'UnsafeIdentifier' | 'ConfigMismatch';

/** A skipped experiment, period or metric, with its reason; skips are logged, never silent. */
export interface PlanSkip {
  readonly experiment: string;
  /** Null when the whole experiment is skipped. */
  readonly period: AnalysisPeriod | null;
  /** Set when a single metric is skipped. */
  readonly metric: string | null;
  readonly code: SkipCode;
  readonly reason: string;
  /** False for problems that should fail the run (unsupported app, unsafe names, ...). */
  readonly expected: boolean;
}

/** The plan of one run date. */
export interface AnalysisPlan {
  readonly date: IsoDate;
  readonly units: readonly PlanUnit[];
  readonly skipped: readonly PlanSkip[];
}

/** Periods in plan order: pre-enrollment first, because covariate adjustment reads them. */
export const PLAN_PERIOD_ORDER: readonly AnalysisPeriod[] = [
  'preenrollment_week',
  'preenrollment_days28',
  'day',
  'week',
  'days28',
  'overall',
];

interface Context {
  readonly date: IsoDate;
  readonly periods: readonly AnalysisPeriod[];
  readonly metrics: ReadonlySet<string> | null;
  readonly skipped: PlanSkip[];
}

function skip(
  experiment: string,
  code: SkipCode,
  reason: string,
  options: { period?: AnalysisPeriod; metric?: string; expected?: boolean } = {},
): PlanSkip {
  return {
    experiment,
    period: options.period ?? null,
    metric: options.metric ?? null,
    code,
    reason,
    expected: options.expected ?? true,
  };
}

/** Distinct metric names of a period, in config order, narrowed by the metric filter. */
function periodMetrics(config: AnalysisConfig, period: AnalysisPeriod, ctx: Context): string[] {
  const names = new Set((config.periods[period] ?? []).map((summary) => summary.metric.name));
  return [...names].filter((name) => ctx.metrics === null || ctx.metrics.has(name));
}

function safeMetrics(slug: string, period: AnalysisPeriod, names: string[], ctx: Context) {
  return names.filter((metric) => {
    if (isSafeIdentifier(metric)) return true;
    const reason = `metric name ${JSON.stringify(metric)} is not an identifier ([A-Za-z0-9_] only)`;
    ctx.skipped.push(skip(slug, 'UnsafeIdentifier', reason, { period, metric, expected: false }));
    return false;
  });
}

function buildGroup(slug: string, due: DueWindow, metrics: string[], ctx: Context): PlanGroup {
  const key = {
    experiment: slug,
    date: ctx.date,
    period: due.period,
    windowIndex: due.windowIndex,
  };
  const tasks = metrics.map((metric): AnalysisTask => ({
    id: taskId({ kind: 'metric', ...key, metric }),
    ...key,
    window: due.window,
    metric,
  }));
  return {
    ...due,
    id: taskId({ kind: 'finalize', ...key }),
    experiment: slug,
    date: ctx.date,
    tasks,
  };
}

/** The due window of a period, or a skip when the period cannot run (EnrollmentLongerThanAnalysis). */
function tryDueWindow(
  item: PlanExperiment,
  period: AnalysisPeriod,
  ctx: Context,
): DueWindow | null {
  try {
    return dueWindow(item.experiment, period, ctx.date);
  } catch (e) {
    const error = coerceError(e);
    if (!(error instanceof GatingError)) throw error;
    ctx.skipped.push(
      skip(item.experiment.slug, error.reason, error.message, { period, expected: error.expected }),
    );
    return null;
  }
}

/** The groups of one experiment that passed gating. */
function planGroups(item: PlanExperiment, ctx: Context): PlanGroup[] {
  const slug = item.experiment.slug;
  const groups: PlanGroup[] = [];
  let anyDue = false;
  for (const period of ctx.periods) {
    const due = tryDueWindow(item, period, ctx);
    if (due === null) continue;
    anyDue = true;
    const metrics = safeMetrics(slug, period, periodMetrics(item.config, period, ctx), ctx);
    if (metrics.length === 0) {
      const reason = `${period} window ${due.windowIndex} is due but has no metrics${ctx.metrics ? ' matching the metric filter' : ''}`;
      ctx.skipped.push(skip(slug, 'NoMetrics', reason, { period }));
    } else {
      groups.push(buildGroup(slug, due, metrics, ctx));
    }
  }
  if (!anyDue && !ctx.skipped.some((s) => s.experiment === slug)) {
    const reason = `no analysis period is due on ${ctx.date} (last enrollment date ${item.experiment.lastEnrollmentDate ?? 'unknown'})`;
    ctx.skipped.push(skip(slug, 'NothingDue', reason));
  }
  return groups;
}

/** Gating, name safety and config consistency; a skip when the experiment cannot be planned. */
function experimentSkip(item: PlanExperiment, ctx: Context): PlanSkip | null {
  const slug = item.experiment.slug;
  const gate = gateExperiment(item.experiment, ctx.date);
  if (gate !== null) return skip(slug, gate.reason, gate.message, { expected: gate.expected });
  if (!isValidExperimentSlug(slug)) {
    const reason = `slug ${JSON.stringify(slug)} is not a slug (letters, digits, - and _ only, no --)`;
    return skip(slug, 'UnsafeIdentifier', reason, { expected: false });
  }
  if (item.config.experimentSlug !== slug) {
    const reason = `config resolved for ${JSON.stringify(item.config.experimentSlug)}, not ${JSON.stringify(slug)}`;
    return skip(slug, 'ConfigMismatch', reason, { expected: false });
  }
  return null;
}

function planUnit(item: PlanExperiment, ctx: Context): PlanUnit | null {
  const blocked = experimentSkip(item, ctx);
  if (blocked !== null) {
    ctx.skipped.push(blocked);
    return null;
  }
  const groups = planGroups(item, ctx);
  if (groups.length === 0) return null;
  const experiment = item.experiment.slug;
  return {
    experiment,
    enrollmentsId: taskId({ kind: 'enrollments', experiment, date: ctx.date }),
    exportId: taskId({ kind: 'export', experiment, date: ctx.date }),
    groups,
  };
}

function nonEmpty<T>(list: readonly T[] | undefined): readonly T[] | null {
  return list !== undefined && list.length > 0 ? list : null;
}

/**
 * The plan of run date D: for every experiment that passes gating, the due window of each
 * period that has metrics, one task per metric, grouped per (experiment, date, period); and every
 * skip with its reason (gating errors, nothing due, due periods without metrics, unsafe names).
 * Pure and deterministic: the same input gives the same plan and the same ids.
 * @throws RangeError when `date` is not a `YYYY-MM-DD` day.
 */
export function planAnalysis(input: PlanInput): AnalysisPlan {
  if (!isIsoDate(input.date)) throw new RangeError(`not a date (YYYY-MM-DD): ${input.date}`);
  const periodFilter = nonEmpty(input.filters?.periods);
  const metricFilter = nonEmpty(input.filters?.metrics);
  const slugFilter = nonEmpty(input.filters?.experiments);
  const ctx: Context = {
    date: input.date,
    periods: PLAN_PERIOD_ORDER.filter((p) => periodFilter === null || periodFilter.includes(p)),
    metrics: metricFilter === null ? null : new Set(metricFilter),
    skipped: [],
  };
  const items = input.experiments.filter(
    (item) => slugFilter === null || slugFilter.includes(item.experiment.slug),
  );
  for (const slug of slugFilter ?? []) {
    if (!items.some((item) => item.experiment.slug === slug)) {
      ctx.skipped.push(
        skip(slug, 'NotFound', `experiment ${JSON.stringify(slug)} not found`, { expected: false }),
      );
    }
  }
  const units = items.flatMap((item) => planUnit(item, ctx) ?? []);
  return { date: input.date, units, skipped: ctx.skipped };
}

/** Every group of a plan, unit by unit, in plan order. */
export function planGroupsOf(plan: AnalysisPlan): PlanGroup[] {
  return plan.units.flatMap((unit) => unit.groups);
}

/** Every task of a plan, in plan order. */
export function planTasksOf(plan: AnalysisPlan): AnalysisTask[] {
  return planGroupsOf(plan).flatMap((group) => group.tasks);
}
