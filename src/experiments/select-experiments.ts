import { addDays, compareIsoDates, type IsoDate } from '../analysis/iso-date.js';
import type { EffectiveExperiment } from './effective-experiment.js';
import type { Experiment } from './experiment.js';

/** Experiment types the daily run analyses (jetstream's `AnalysisExecutor`). */
export const DAILY_EXPERIMENT_TYPES: readonly string[] = ['pref', 'addon', 'message', 'v6'];

/** The daily run keeps experiments that ended at most this many days before the run date. */
export const RECENTLY_ENDED_DAYS = 90;

/** Which experiments a run is about. */
export interface SelectionCriteria {
  /** The run date D. */
  readonly date: IsoDate;
  /** Named slugs: only these, with no other filter. Absent or empty: the daily rules. */
  readonly slugs?: readonly string[];
}

/** An experiment the selection left out, and why. */
export interface ExcludedExperiment {
  readonly slug: string;
  readonly reason: string;
}

/** The result of a selection. */
export interface Selection<T> {
  readonly selected: readonly T[];
  readonly excluded: readonly ExcludedExperiment[];
  /** Named slugs that matched no experiment. */
  readonly missing: readonly string[];
}

/**
 * Why the daily run leaves out a discovered experiment before its config is resolved, or null
 * to keep it: it must be Live or have ended within {@link RECENTLY_ENDED_DAYS} days of `date`,
 * be of a {@link DAILY_EXPERIMENT_TYPES} type and not be a rollout.
 */
export function dailyExclusionReason(experiment: Experiment, date: IsoDate): string | null {
  const cutoff = addDays(date, -RECENTLY_ENDED_DAYS);
  const recent =
    experiment.endDate === null
      ? experiment.status === 'Live'
      : compareIsoDates(experiment.endDate, cutoff) >= 0;
  if (!recent) return `ended more than ${RECENTLY_ENDED_DAYS} days before ${date}`;
  if (!DAILY_EXPERIMENT_TYPES.includes(experiment.type)) {
    return `type ${experiment.type} is not analysed daily`;
  }
  if (experiment.isRollout) return 'rollout';
  return null;
}

/**
 * Why the daily run leaves out an experiment once its config is resolved, or null: the rules of
 * {@link dailyExclusionReason}, plus no `skip = true`, plus an effective end date that is null
 * or on/after `date`.
 */
export function effectiveDailyExclusionReason(
  effective: EffectiveExperiment,
  date: IsoDate,
): string | null {
  const reason = dailyExclusionReason(effective.experiment, date);
  if (reason !== null) return reason;
  if (effective.skip) return 'skip = true in its config';
  if (effective.endDate !== null && compareIsoDates(effective.endDate, date) < 0) {
    return `ended on ${effective.endDate}, before ${date}`;
  }
  return null;
}

function select<T>(
  items: readonly T[],
  slugOf: (item: T) => string,
  criteria: SelectionCriteria,
  exclusion: (item: T) => string | null,
): Selection<T> {
  if (criteria.slugs !== undefined && criteria.slugs.length > 0) {
    const wanted = new Set(criteria.slugs);
    const selected = items.filter((item) => wanted.has(slugOf(item)));
    const found = new Set(selected.map(slugOf));
    return { selected, excluded: [], missing: [...wanted].filter((slug) => !found.has(slug)) };
  }
  const selected: T[] = [];
  const excluded: ExcludedExperiment[] = [];
  for (const item of items) {
    const reason = exclusion(item);
    if (reason === null) selected.push(item);
    else excluded.push({ slug: slugOf(item), reason });
  }
  return { selected, excluded, missing: [] };
}

/**
 * Selection before config resolution (spec/analysis.md §1.2), so configs are resolved only for
 * candidates: named slugs select exactly those; otherwise {@link dailyExclusionReason} applies.
 */
export function preselectExperiments(
  experiments: readonly Experiment[],
  criteria: SelectionCriteria,
): Selection<Experiment> {
  return select(
    experiments,
    (e) => e.slug,
    criteria,
    (e) => dailyExclusionReason(e, criteria.date),
  );
}

/**
 * The full selection rule of spec/analysis.md §1.2 over resolved experiments: named slugs select
 * exactly those; otherwise {@link effectiveDailyExclusionReason} applies.
 */
export function selectExperiments(
  experiments: readonly EffectiveExperiment[],
  criteria: SelectionCriteria,
): Selection<EffectiveExperiment> {
  return select(
    experiments,
    (e) => e.slug,
    criteria,
    (e) => effectiveDailyExclusionReason(e, criteria.date),
  );
}
