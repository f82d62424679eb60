import { createHash } from 'node:crypto';

import type { PlanExperiment, PlanGroup } from '../analysis/analysis-plan.js';

/**
 * The hash of what a window's results depend on in the configuration: the period's metrics
 * (definitions, data sources, statistics), the segments, the exposure signal and enrollment
 * query, the branches, the enrollment dates and the window's bounds. The metrics a run selects
 * (`--metric`) do not change it, so a metric-level rerun keeps the window's hash. Pure.
 */
export function windowConfigHash(group: PlanGroup, item: PlanExperiment): string {
  const { config, experiment } = item;
  const facts = [
    config.periods[group.period] ?? [],
    config.segments,
    config.experiment.exposureSignal ?? null,
    config.experiment.enrollmentQuery ?? null,
    config.experiment.sampleSize ?? null,
    experiment.experiment.branches.map((b) => b.slug),
    experiment.startDate,
    experiment.enrollmentPeriod,
    experiment.analysisUnit,
    group.window,
  ];
  return createHash('sha256').update(JSON.stringify(facts)).digest('hex').slice(0, 32);
}
