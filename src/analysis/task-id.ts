import {
  ANALYSIS_BASES,
  isAnalysisPeriod,
  type AnalysisBasis,
  type AnalysisPeriod,
} from './analysis-period.js';
import { isIsoDate, type IsoDate } from './iso-date.js';
import { assertExperimentSlug, safeIdentifier } from './sql-identifier.js';
import { stableHash } from './stable-hash.js';

/** The kinds of job a run consists of (DESIGN.md, "Data flow of one run"). */
export const TASK_KINDS = ['enrollments', 'metrics-table', 'metric', 'finalize', 'export'] as const;

/** One kind of job. */
export type TaskKind = (typeof TASK_KINDS)[number];

/** What identifies a job of each kind. */
export type TaskIdParts =
  | { readonly kind: 'enrollments'; readonly experiment: string; readonly date: IsoDate }
  | { readonly kind: 'export'; readonly experiment: string; readonly date: IsoDate }
  | {
      readonly kind: 'finalize';
      readonly experiment: string;
      readonly date: IsoDate;
      readonly period: AnalysisPeriod;
      readonly windowIndex: number;
    }
  | {
      readonly kind: 'metrics-table';
      readonly experiment: string;
      readonly date: IsoDate;
      readonly period: AnalysisPeriod;
      readonly windowIndex: number;
      readonly basis: AnalysisBasis;
    }
  | {
      readonly kind: 'metric';
      readonly experiment: string;
      readonly date: IsoDate;
      readonly period: AnalysisPeriod;
      readonly windowIndex: number;
      readonly metric: string;
    };

/** Ids longer than this keep a readable prefix and end in `~` plus a hash of the full id. */
export const MAX_TASK_ID_LENGTH = 200;

function checkedParts(parts: TaskIdParts): string[] {
  const out: string[] = [parts.kind, assertExperimentSlug(parts.experiment)];
  if (!isIsoDate(parts.date)) throw new RangeError(`not a date (YYYY-MM-DD): ${parts.date}`);
  out.push(parts.date);
  if (parts.kind === 'enrollments' || parts.kind === 'export') return out;
  if (!isAnalysisPeriod(parts.period)) {
    throw new RangeError(`not a period: ${String(parts.period)}`);
  }
  if (!Number.isSafeInteger(parts.windowIndex) || parts.windowIndex < 1) {
    throw new RangeError(`window index must be a positive integer, got ${parts.windowIndex}`);
  }
  out.push(parts.period, String(parts.windowIndex));
  if (parts.kind === 'finalize') return out;
  if (parts.kind === 'metrics-table') {
    if (!ANALYSIS_BASES.includes(parts.basis)) throw new RangeError(`not a basis: ${parts.basis}`);
    out.push(parts.basis);
    return out;
  }
  out.push(safeIdentifier(parts.metric, 'metric name'));
  return out;
}

/**
 * A deterministic, readable job id, e.g. `metric.my-slug.2024-01-31.week.3.active_hours`:
 * kind, experiment, date, period, window and metric joined by `.`. Every kind carries the run
 * date, the enrollments job included (`enrollments.my-slug.2024-01-31`): it carries the flow of
 * that date's windows, so the runs of two dates never share one. Every part is validated and
 * none can contain `.`, so distinct parts give distinct ids. Valid as a BullMQ job id: never
 * contains `:` and always starts with a letter (so it is never all digits).
 * @throws UnsafeIdentifierError for an unsafe slug or metric name; RangeError for a bad date,
 * period or window.
 */
export function taskId(parts: TaskIdParts): string {
  const full = checkedParts(parts).join('.');
  if (full.length <= MAX_TASK_ID_LENGTH) return full;
  const hash = stableHash(full);
  return `${full.slice(0, MAX_TASK_ID_LENGTH - hash.length - 1)}~${hash}`;
}
