import type { Logger } from 'pino';

import type { AnalysisPeriod } from '../analysis/analysis-period.js';
import { planAnalysis, type AnalysisPlan, type PlanExperiment } from '../analysis/analysis-plan.js';
import { coerceError } from '../analysis/coerce-error.js';
import type { IsoDate } from '../analysis/iso-date.js';
import { tableNameCollisions } from '../analysis/table-name-collisions.js';
import type { MetricHub } from '../config/metric-hub.js';
import { tryResolveAnalysisConfig } from '../config/resolve-analysis-config.js';
import { branchProblem } from '../experiments/branch-problem.js';
import { effectiveExperiment } from '../experiments/effective-experiment.js';
import type { Experiment } from '../experiments/experiment.js';
import type { ExperimentSource } from '../experiments/experiment-source.js';
import { preselectExperiments, selectExperiments } from '../experiments/select-experiments.js';

/** What to plan: a date and optional slices. */
export interface RunRequest {
  /** The run date D (last day with complete data). */
  readonly date: IsoDate;
  /** The current UTC day (decides Live vs Complete); a parameter, not the clock. */
  readonly today: IsoDate;
  readonly experiments?: readonly string[];
  readonly periods?: readonly AnalysisPeriod[];
  readonly metrics?: readonly string[];
}

/** A problem that drops one experiment from the run (config error, unreadable entry, ...). */
export interface RunProblem {
  readonly experiment: string | null;
  readonly message: string;
  readonly exceptionType: string;
}

/** The plan with the resolved inputs the job payloads are built from. */
export interface PlannedRun {
  readonly plan: AnalysisPlan;
  /** Resolved experiments by slug (only those that reached the planner). */
  readonly items: ReadonlyMap<string, PlanExperiment>;
  /** Experiments the selection left out, with the reason. */
  readonly excluded: readonly { slug: string; reason: string }[];
  /** Experiments dropped by an error; the run continues without them. */
  readonly problems: readonly RunProblem[];
}

/** What planning needs. */
export interface PlanRunDeps {
  readonly source: ExperimentSource;
  readonly metricHub: MetricHub;
  readonly logger: Logger;
}

/**
 * Plans one run (DESIGN.md data flow, step 1): discover experiments, refuse those whose table
 * names collide with another experiment's, resolve each one's config, apply selection and
 * gating, compute the due windows. Skips and problems are returned (and logged), never silent;
 * one experiment's problem never stops the others.
 */
export async function planRun(deps: PlanRunDeps, request: RunRequest): Promise<PlannedRun> {
  const problems: RunProblem[] = [];
  const found = await discover(deps, request, problems);
  const { kept: discovered, refused } = await refuseCollisions(deps, request, found, problems);
  // A refused slug is reported once, as a collision, not again as "not found".
  const slugs = (request.experiments ?? []).filter((slug) => !refused.has(slug));
  const preselected = preselectExperiments(discovered, { date: request.date, slugs });
  const effective = [];
  const items = new Map<string, PlanExperiment>();
  for (const experiment of preselected.selected) {
    const item = resolve(deps.metricHub, experiment, problems);
    if (item === null) continue;
    effective.push(item.experiment);
    items.set(experiment.slug, item);
  }
  const selection = selectExperiments(effective, { date: request.date, slugs });
  const selected = selection.selected.flatMap((e) => {
    const item = items.get(e.slug);
    return item === undefined ? [] : [item];
  });
  const plan = planAnalysis({
    date: request.date,
    experiments: selected,
    filters: {
      ...(request.experiments === undefined ? {} : { experiments: slugs }),
      ...(request.periods === undefined ? {} : { periods: request.periods }),
      ...(request.metrics === undefined ? {} : { metrics: request.metrics }),
    },
  });
  for (const slug of [...preselected.missing, ...selection.missing]) {
    problems.push({
      experiment: slug,
      message: `experiment ${slug} not found`,
      exceptionType: 'NotFound',
    });
  }
  const excluded = [...preselected.excluded, ...selection.excluded];
  for (const problem of problems) {
    deps.logger.error({ experiment: problem.experiment }, problem.message);
  }
  for (const skip of excluded) {
    deps.logger.info({ experiment: skip.slug }, `skipped: ${skip.reason}`);
  }
  return { plan, items, excluded, problems };
}

async function discover(
  deps: PlanRunDeps,
  request: RunRequest,
  problems: RunProblem[],
): Promise<Experiment[]> {
  if (request.experiments !== undefined && request.experiments.length > 0) {
    const found: Experiment[] = [];
    for (const slug of request.experiments) {
      try {
        found.push(await deps.source.getExperiment(slug, request.today));
      } catch (e) {
        const error = coerceError(e);
        problems.push({ experiment: slug, message: error.message, exceptionType: error.name });
      }
    }
    return found;
  }
  const listed = await deps.source.listExperiments(request.today);
  for (const rejected of listed.rejected) {
    problems.push({
      experiment: rejected.slug,
      message: `experiment entry ${rejected.index} (${rejected.slug ?? 'no slug'}) skipped: ${rejected.reason}`,
      exceptionType: 'ExperimentParseError',
    });
  }
  return [...listed.experiments];
}

/**
 * Drops the experiments whose table names collide with another experiment of the source
 * (`a-b` and `a_b`), with a problem naming every slug: analysing either would overwrite the
 * other's tables. The whole source counts, not only the experiments of this run: a run of one
 * slug must not take over the tables of an experiment it does not name.
 */
async function refuseCollisions(
  deps: PlanRunDeps,
  request: RunRequest,
  experiments: readonly Experiment[],
  problems: RunProblem[],
): Promise<{ kept: Experiment[]; refused: ReadonlySet<string> }> {
  const candidates = experiments.map((e) => e.slug);
  const known = request.experiments?.length ? await allSlugs(deps, request.today) : candidates;
  const collisions = tableNameCollisions(candidates, known);
  for (const [slug, collision] of collisions) {
    problems.push({
      experiment: slug,
      message: collision.message,
      exceptionType: 'TableNameCollision',
    });
  }
  return {
    kept: experiments.filter((e) => !collisions.has(e.slug)),
    refused: new Set(collisions.keys()),
  };
}

/** Every slug the source lists; on a listing failure, none (the run's own slugs still count). */
async function allSlugs(deps: PlanRunDeps, today: IsoDate): Promise<string[]> {
  try {
    return (await deps.source.listExperiments(today)).experiments.map((e) => e.slug);
  } catch (e) {
    const error = coerceError(e);
    deps.logger.warn(
      { err: error.message },
      'could not list the experiments to check table-name collisions',
    );
    return [];
  }
}

function resolve(
  hub: MetricHub,
  experiment: Experiment,
  problems: RunProblem[],
): PlanExperiment | null {
  const result = tryResolveAnalysisConfig(hub, experiment);
  if (result.config === null) {
    for (const problem of result.problems) {
      problems.push({
        experiment: experiment.slug,
        message: problem.message,
        exceptionType: 'ConfigError',
      });
    }
    return null;
  }
  try {
    const effective = effectiveExperiment(experiment, result.config.experiment);
    const branches = branchProblem(effective);
    if (branches !== null) {
      problems.push({
        experiment: experiment.slug,
        message: branches.message,
        exceptionType: branches.code,
      });
      return null;
    }
    return { experiment: effective, config: result.config };
  } catch (e) {
    const error = coerceError(e);
    problems.push({
      experiment: experiment.slug,
      message: error.message,
      exceptionType: error.name,
    });
    return null;
  }
}
