import { addDays, daysBetween } from '../analysis/iso-date.js';
import type { Experiment } from '../experiments/experiment.js';
import type { ExperimentEntryFields } from './entry-schemas.js';

/**
 * The `experiment` variable of metric-hub templates (`{{experiment.start_date_str}}`), like
 * metric-config-parser's ExperimentConfiguration: Experimenter's values with the config's
 * `[experiment]` overrides applied. Reading an unknown field is an error naming the field.
 */
export function experimentTemplateContext(
  experiment: Experiment,
  config: Partial<ExperimentEntryFields>,
): Readonly<Record<string, unknown>> {
  const startDate = config.startDate ?? experiment.startDate;
  const endDate = config.endDate ?? experiment.endDate;
  const enrollmentPeriod = effectiveEnrollmentPeriod(experiment, config);
  const noDate = (what: string): never => {
    throw new Error(`experiment '${experiment.slug}' has no ${what}`);
  };
  const fields: Record<string, unknown> = {
    normandy_slug: experiment.slug,
    experimenter_slug: null,
    slug: experiment.slug,
    type: experiment.type,
    status: config.endDate !== undefined ? 'Complete' : experiment.status,
    app_name: experiment.appName,
    app_id: experiment.appId,
    branches: experiment.branches.map((b) => ({ slug: b.slug, ratio: b.ratio })),
    reference_branch: config.referenceBranch ?? experiment.referenceBranch,
    start_date: startDate,
    end_date: endDate,
    proposed_enrollment: experiment.proposedEnrollment,
    enrollment_end_date: experiment.enrollmentEndDate,
    is_enrollment_paused: experiment.isEnrollmentPaused,
    is_rollout: experiment.isRollout,
    is_high_population: experiment.isHighPopulation,
    enrollment_period: enrollmentPeriod,
    outcomes: experiment.outcomes,
    segments: experiment.segments,
    skip: config.skip ?? false,
    is_private: config.isPrivate ?? false,
    dataset_id: config.datasetId ?? null,
    sample_size: config.sampleSize ?? null,
    get start_date_str() {
      return startDate ?? noDate('start date');
    },
    get end_date_str() {
      return endDate ?? noDate('end date');
    },
    get last_enrollment_date_str() {
      return addDays(startDate ?? noDate('start date'), enrollmentPeriod);
    },
  };
  return strictRecord(fields, 'experiment');
}

/**
 * The enrollment period in days (spec/analysis.md §1.3.5): the config value, else
 * (enrollmentEndDate − startDate) + 1, else proposedEnrollment, else 0.
 */
export function effectiveEnrollmentPeriod(
  experiment: Experiment,
  config: Partial<ExperimentEntryFields>,
): number {
  if (config.enrollmentPeriod !== undefined) return config.enrollmentPeriod;
  const startDate = config.startDate ?? experiment.startDate;
  if (experiment.enrollmentEndDate !== null && startDate !== null) {
    return daysBetween(startDate, experiment.enrollmentEndDate) + 1;
  }
  return experiment.proposedEnrollment ?? 0;
}

/**
 * Wraps a template variable so that reading a field it does not have throws an error naming
 * the field (nunjucks would only say "attempted to output null or undefined value").
 */
export function strictRecord<T extends object>(fields: T, label: string): T {
  return new Proxy(fields, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^[a-z][A-Za-z0-9_]*$/.test(key) && !(key in target)) {
        const known = Object.keys(target).join(', ');
        throw new Error(`${label} has no field '${key}' (known: ${known || 'none'})`);
      }
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}
