import type { AnalysisPeriod } from '../../analysis/analysis-period.js';
import { PLAN_PERIOD_ORDER } from '../../analysis/analysis-plan.js';
import { completeWindowCount } from '../../analysis/due-window.js';
import { isTimeSeriesPeriod } from '../../analysis/analysis-window.js';
import { addDays, compareIsoDates, type IsoDate } from '../../analysis/iso-date.js';
import type { EffectiveExperiment } from '../../experiments/effective-experiment.js';
import type { StatisticsTable } from './statistics-table.js';
import { windowRunDate } from './window-run-date.js';

/** Which windows of one period exist and which should by the analysis date. */
export interface PeriodStatus {
  readonly period: AnalysisPeriod;
  /** Window indices with a statistics table, ascending. */
  readonly done: readonly number[];
  /** Windows that should exist by the date (1..expected). */
  readonly expected: number;
  /** The window due on the date (its first due date), when it has no table yet. */
  readonly due: number | null;
  /** Earlier expected windows without a table, ascending: their run never wrote them. */
  readonly missed: readonly number[];
}

/** What decides the status of an experiment's periods. */
export interface PeriodStatusInput {
  readonly tables: readonly StatisticsTable[];
  /** Null when the experiment is unknown to the source or its config does not resolve. */
  readonly experiment: Pick<
    EffectiveExperiment,
    'status' | 'endDate' | 'lastEnrollmentDate'
  > | null;
  /** Periods the config has metrics for; null when unknown (then only periods with tables). */
  readonly configuredPeriods: readonly AnalysisPeriod[] | null;
  /** The last day with complete data (the daily run analyses yesterday). */
  readonly date: IsoDate;
}

function expectedWindows(
  period: AnalysisPeriod,
  experiment: NonNullable<PeriodStatusInput['experiment']>,
  date: IsoDate,
): number {
  const last = experiment.lastEnrollmentDate;
  if (last === null) return 0;
  if (isTimeSeriesPeriod(period)) return completeWindowCount(period, last, date);
  if (period === 'overall') {
    const end = experiment.endDate;
    const ready =
      experiment.status === 'Complete' &&
      end !== null &&
      compareIsoDates(end, last) > 0 &&
      compareIsoDates(date, end) >= 0;
    return ready ? 1 : 0;
  }
  return compareIsoDates(date, addDays(last, 1)) >= 0 ? 1 : 0;
}

/**
 * Per period (plan order): the windows done (tables present), the windows that should exist by
 * `date` under the due rules of spec/analysis.md §2, and those without a table: the one due on
 * `date` itself, and earlier ones whose run did not write them.
 * Periods appear when configured or when they have tables.
 */
export function periodStatuses(input: PeriodStatusInput): PeriodStatus[] {
  const periods = PLAN_PERIOD_ORDER.filter(
    (p) =>
      (input.configuredPeriods?.includes(p) ?? false) || input.tables.some((t) => t.period === p),
  );
  return periods.map((period) => {
    const done = input.tables
      .filter((t) => t.period === period)
      .map((t) => t.windowIndex)
      .sort((a, b) => a - b);
    const configured = input.configuredPeriods?.includes(period) ?? false;
    const expected =
      input.experiment === null || !configured
        ? 0
        : expectedWindows(period, input.experiment, input.date);
    const missing: number[] = [];
    for (let n = 1; n <= expected; n++) if (!done.includes(n)) missing.push(n);
    const last = missing[missing.length - 1];
    const due =
      last !== undefined &&
      input.experiment !== null &&
      windowRunDate(input.experiment, period, last) === input.date
        ? last
        : null;
    return { period, done, expected, due, missed: due === null ? missing : missing.slice(0, -1) };
  });
}
