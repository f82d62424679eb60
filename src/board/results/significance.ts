/**
 * Significance of a comparison from its confidence interval: an interval that excludes zero is
 * significant at the interval's level; whether the change is good depends on the metric's
 * `bigger_is_better`.
 */

/** Which way the interval points. */
export const DIRECTIONS = ['increase', 'decrease', 'none', 'unknown'] as const;

/** `none`: the interval contains zero; `unknown`: no interval. */
export type Direction = (typeof DIRECTIONS)[number];

/** Whether a significant change is an improvement (drives the colour). */
export type Verdict = 'better' | 'worse' | 'neutral' | 'unknown';

/** The classification of one interval, with its text for people. */
export interface Significance {
  readonly direction: Direction;
  readonly verdict: Verdict;
  /** Full text, e.g. "significant increase (better)". */
  readonly label: string;
  /** Short text for the plot, e.g. "↑ sig." or "n.s.". */
  readonly short: string;
}

function verdictOf(direction: Direction, biggerIsBetter: boolean | null): Verdict {
  if (direction === 'none') return 'neutral';
  if (direction === 'unknown' || biggerIsBetter === null) return 'unknown';
  return (direction === 'increase') === biggerIsBetter ? 'better' : 'worse';
}

/**
 * Classifies a comparison interval.
 * @param lower - lower bound of the comparison (difference or relative uplift), null when absent.
 * @param upper - upper bound, null when absent.
 * @param biggerIsBetter - from the metric's config; null when unknown (direction only).
 */
export function significanceOf(
  lower: number | null,
  upper: number | null,
  biggerIsBetter: boolean | null,
): Significance {
  let direction: Direction = 'none';
  if (lower === null || upper === null || Number.isNaN(lower) || Number.isNaN(upper)) {
    direction = 'unknown';
  } else if (lower > 0) direction = 'increase';
  else if (upper < 0) direction = 'decrease';
  const verdict = verdictOf(direction, biggerIsBetter);
  if (direction === 'unknown') return { direction, verdict, label: 'no interval', short: 'n/a' };
  if (direction === 'none') return { direction, verdict, label: 'not significant', short: 'n.s.' };
  const arrow = direction === 'increase' ? '\u2191' : '\u2193';
  const judged = verdict === 'unknown' ? '' : ` (${verdict})`;
  return { direction, verdict, label: `significant ${direction}${judged}`, short: `${arrow} sig.` };
}
