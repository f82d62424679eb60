import { ENROLLMENT_DAY_TAG_RATE } from './model-macros.js';
import { experimentOverrideToml } from './metric-hub-jetstream.js';
import type {
  ManifestBranch,
  ManifestExperiment,
  ManifestTable,
  SampleRatioMismatch,
  SeedManifest,
} from './seed-manifest.js';
import type { PlannedExperiment, SeedPlan } from './seed-plan.js';
import type { WindowTrueEffects } from './true-effects.js';

/** Enrolled and exposed clients per experiment slug and branch. */
export type BranchCounts = Map<string, Map<string, { enrolled: number; exposed: number }>>;

/** What the manifest's truth covers, for readers of the file. */
const NOTES = [
  'trueEffects: expected branch means computed from the generating model without noise, ' +
    'evaluating every enrolled client under every branch (enrollments basis, segment all, ' +
    'analysis unit client_id); expectedRelativeUplift is against the reference branch.',
  'Continuous knobs multiply a client propensity by (1 + knob) from enrollment on; ' +
    'defaultBrowser adds to a daily probability. Effects are applied to all enrolled clients ' +
    'of a branch, exposed or not.',
  `On the enrollment day ${ENROLLMENT_DAY_TAG_RATE * 100}% of rows carry the experiment tag ` +
    '(the enrollment-day guard drops the rest where the data source has an experiments column).',
  'Per-client ratio metrics (tagged_share), deciles and the exposures basis have no stated truth.',
  'Clients are in at most one experiment (disjoint bucket ranges per platform).',
];

/** Assembles the manifest from the plan, the tables written and the computed truth. */
export function buildManifest(
  plan: SeedPlan,
  tables: readonly ManifestTable[],
  counts: BranchCounts,
  effects: ReadonlyMap<string, readonly WindowTrueEffects[]>,
): SeedManifest {
  return {
    generator: 'contrail seed',
    formatVersion: 1,
    mode: 'synthetic',
    seed: plan.options.seed,
    demoDate: plan.options.demoDate,
    dataStart: plan.dataStart,
    dataEnd: plan.dataEnd,
    population: plan.population,
    files: { experiments: 'experiments.json', metricHub: 'metric-hub' },
    tables,
    experiments: plan.experiments.map((e) =>
      manifestExperiment(e, counts.get(e.slug), effects.get(e.slug) ?? []),
    ),
    sampleRatioMismatches: plan.experiments
      .filter((e) => e.traits.includes('srm'))
      .map((e) => sampleRatioMismatch(e, counts.get(e.slug))),
    notes: NOTES,
  };
}

function manifestExperiment(
  experiment: PlannedExperiment,
  counts: ReadonlyMap<string, { enrolled: number; exposed: number }> | undefined,
  trueEffects: readonly WindowTrueEffects[],
): ManifestExperiment {
  const totalAssignment = experiment.branches.reduce((sum, b) => sum + b.assignmentRatio, 0);
  const branches: ManifestBranch[] = experiment.branches.map((b) => ({
    slug: b.slug,
    ratio: b.ratio,
    assignmentShare: b.assignmentRatio / totalAssignment,
    knobs: b.knobs,
    enrolled: counts?.get(b.slug)?.enrolled ?? 0,
    exposed: counts?.get(b.slug)?.exposed ?? 0,
  }));
  return {
    slug: experiment.slug,
    platform: experiment.platform,
    traits: experiment.traits,
    startDate: experiment.startDate,
    enrollmentEndDate: experiment.enrollmentEndDate,
    endDate: experiment.endDate,
    enrollmentPeriod: experiment.enrollmentPeriod,
    lastEnrollmentDate: experiment.lastEnrollmentDate,
    referenceBranch: experiment.branches[0]?.slug ?? null,
    hasOverride: experimentOverrideToml(experiment) !== null,
    analysable: experiment.analysable,
    branches,
    dueWindows: experiment.dueWindows,
    trueEffects,
  };
}

function sampleRatioMismatch(
  experiment: PlannedExperiment,
  counts: ReadonlyMap<string, { enrolled: number; exposed: number }> | undefined,
): SampleRatioMismatch {
  const ratioTotal = experiment.branches.reduce((sum, b) => sum + b.ratio, 0);
  const assignedTotal = experiment.branches.reduce((sum, b) => sum + b.assignmentRatio, 0);
  const shares = (f: (b: PlannedExperiment['branches'][number]) => number) =>
    Object.fromEntries(experiment.branches.map((b) => [b.slug, f(b)]));
  return {
    slug: experiment.slug,
    expectedShares: shares((b) => b.ratio / ratioTotal),
    assignedShares: shares((b) => b.assignmentRatio / assignedTotal),
    enrolled: shares((b) => counts?.get(b.slug)?.enrolled ?? 0),
  };
}
