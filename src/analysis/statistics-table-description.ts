/** What a statistics table's description records. */
export interface StatisticsTableDescription {
  /** The experiment's slug. */
  readonly experiment: string;
  /**
   * Metrics of the window whose rows are missing or stale (an earlier run's, kept when the
   * metric failed since): the window is not complete until a run computes them.
   */
  readonly failedMetrics: readonly string[];
}

/** The description stored with a statistics table (JSON). */
export function statisticsTableDescription(description: StatisticsTableDescription): string {
  return JSON.stringify({
    experiment: description.experiment,
    failed_metrics: [...description.failedMetrics].sort(),
  });
}

/**
 * Reads a statistics table's description; null when it is not one
 * {@link statisticsTableDescription} wrote. Tables written before it held only the slug: that
 * is read as the experiment, with the failed metrics unknown (null).
 */
export function parseStatisticsTableDescription(
  text: string,
): { readonly experiment: string; readonly failedMetrics: readonly string[] | null } | null {
  if (text === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { experiment: text, failedMetrics: null };
  }
  const fields = (parsed ?? {}) as { experiment?: unknown; failed_metrics?: unknown };
  const failed = fields.failed_metrics;
  if (
    typeof fields.experiment !== 'string' ||
    !Array.isArray(failed) ||
    !failed.every((m): m is string => typeof m === 'string')
  ) {
    return null;
  }
  return { experiment: fields.experiment, failedMetrics: failed };
}
