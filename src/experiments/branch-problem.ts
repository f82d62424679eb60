import type { EffectiveExperiment } from './effective-experiment.js';

/** Why an experiment's branches cannot be analysed. */
export interface BranchProblem {
  readonly code: 'SingleBranch' | 'UnknownReferenceBranch';
  readonly message: string;
}

/**
 * Checks the branches of an experiment about to be planned: it needs two branches to compare,
 * and its reference branch (Experimenter's, or the config's `reference_branch`) must be one of
 * them. Rollouts have one branch by design; gating skips them, so they pass here.
 * @returns the problem, or null when the branches are fine.
 */
export function branchProblem(experiment: EffectiveExperiment): BranchProblem | null {
  if (experiment.isRollout) return null;
  const slugs = experiment.experiment.branches.map((b) => b.slug);
  const listed = slugs.length === 0 ? 'none' : slugs.join(', ');
  if (slugs.length < 2) {
    return {
      code: 'SingleBranch',
      message:
        `experiment ${experiment.slug} has ${slugs.length} branch${slugs.length === 1 ? '' : 'es'} ` +
        `(${listed}); an experiment needs at least two branches to compare`,
    };
  }
  const reference = experiment.referenceBranch;
  if (reference !== null && !slugs.includes(reference)) {
    return {
      code: 'UnknownReferenceBranch',
      message:
        `reference branch ${JSON.stringify(reference)} of experiment ${experiment.slug} is not ` +
        `one of its branches (${listed})`,
    };
  }
  return null;
}
