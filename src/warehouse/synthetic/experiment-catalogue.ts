/**
 * The experiments the synthetic warehouse contains, with their planted effects. Dates are
 * offsets before the demo date, so that on the demo date several analysis periods are due at
 * once (see `planExperiments`). The order matters: `--experiments K` takes the first K.
 */

/** Platforms the generator writes telemetry for (metric-hub platform names). */
export const SYNTHETIC_PLATFORMS = ['firefox_desktop', 'fenix'] as const;

/** A platform of {@link SYNTHETIC_PLATFORMS}. */
export type SyntheticPlatform = (typeof SYNTHETIC_PLATFORMS)[number];

/**
 * Planted effect of a branch, applied to an enrolled client's rows from enrollment on.
 * Multiplicative knobs scale a propensity by (1 + knob); `defaultBrowser` adds to a probability.
 */
export interface BranchKnobs {
  /** Daily probability of being active (capped at 0.97). */
  readonly activity: number;
  /** Active hours per active day (URIs follow, as they are drawn per active hour). */
  readonly intensity: number;
  /** Search-access-point searches per searching day. */
  readonly search: number;
  /** Ad click-through rate on search result pages with ads. */
  readonly adClick: number;
  /** Additive change of the daily probability that Firefox is the default browser. */
  readonly defaultBrowser: number;
}

/** No effect at all (control branches, A/A tests). */
export const NO_EFFECT: BranchKnobs = {
  activity: 0,
  intensity: 0,
  search: 0,
  adClick: 0,
  defaultBrowser: 0,
};

/** One branch of a catalogue experiment. */
export interface CatalogueBranch {
  readonly slug: string;
  /** Ratio published in Experimenter. */
  readonly ratio: number;
  /** Ratio actually used to assign clients; differs from `ratio` only for a planted SRM. */
  readonly assignmentRatio: number;
  readonly knobs: BranchKnobs;
}

/** Notable traits of an experiment, recorded in the manifest so tests can find each case. */
export type ExperimentTrait =
  | 'two-branch'
  | 'three-branch'
  | 'aa'
  | 'segment'
  | 'custom-metric'
  | 'population-ratio'
  | 'exposure-events'
  | 'exposure-signal'
  | 'ended'
  | 'enrolling'
  | 'rollout'
  | 'srm'
  | 'experiment-override'
  | 'glean';

/** A catalogue entry: everything about an experiment except concrete dates and buckets. */
export interface CatalogueExperiment {
  readonly slug: string;
  readonly platform: SyntheticPlatform;
  readonly userFacingName: string;
  readonly description: string;
  /** Nimbus feature the branches configure. */
  readonly featureId: string;
  /** Days from the start date to the demo date. */
  readonly startDaysBeforeDemo: number;
  /** Enrollment length in days (the start day included). */
  readonly enrollmentDays: number;
  /** False: Experimenter has no enrollmentEndDate (still enrolling, or set by a config override). */
  readonly enrollmentEndInExperimenter: boolean;
  /** Days from the end date to the demo date; null while the experiment runs. */
  readonly endDaysBeforeDemo: number | null;
  readonly isRollout: boolean;
  /** Share of enrolled clients that send exposure events; 0 for none. */
  readonly exposureRate: number;
  /** Buckets of the platform's 10000-bucket namespace. */
  readonly share: number;
  readonly branches: readonly CatalogueBranch[];
  /** Segment slugs as Experimenter lists them. */
  readonly segments: readonly string[];
  readonly traits: readonly ExperimentTrait[];
}

function branch(slug: string, knobs: Partial<BranchKnobs> = {}, assignmentRatio = 1) {
  return { slug, ratio: 1, assignmentRatio, knobs: { ...NO_EFFECT, ...knobs } };
}

/** The fixed catalogue; `--experiments` beyond its length adds {@link extraExperiment}s. */
export const EXPERIMENT_CATALOGUE: readonly CatalogueExperiment[] = [
  {
    slug: 'new-tab-layout-v2',
    platform: 'firefox_desktop',
    userFacingName: 'New Tab layout v2',
    description: 'A denser New Tab layout with search front and centre.',
    featureId: 'newtab',
    startDaysBeforeDemo: 20,
    enrollmentDays: 7,
    enrollmentEndInExperimenter: true,
    endDaysBeforeDemo: null,
    isRollout: false,
    exposureRate: 0.7,
    share: 2000,
    branches: [
      branch('control'),
      branch('treatment', { activity: 0.03, intensity: 0.12, search: 0.08 }),
    ],
    segments: ['regular_users_v3'],
    traits: ['two-branch', 'segment', 'custom-metric', 'exposure-events', 'experiment-override'],
  },
  {
    slug: 'search-bar-three-way',
    platform: 'firefox_desktop',
    userFacingName: 'Search bar: three placements',
    description: 'Two alternative search bar placements against the current one.',
    featureId: 'search',
    startDaysBeforeDemo: 8,
    enrollmentDays: 7,
    enrollmentEndInExperimenter: true,
    endDaysBeforeDemo: null,
    isRollout: false,
    exposureRate: 0.6,
    share: 2000,
    branches: [
      branch('control'),
      branch('variant-a', { search: 0.15, adClick: 0.1 }),
      branch('variant-b', { search: -0.08, defaultBrowser: 0.03 }),
    ],
    segments: [],
    traits: ['three-branch', 'custom-metric', 'population-ratio', 'exposure-events'],
  },
  {
    slug: 'default-browser-prompt',
    platform: 'firefox_desktop',
    userFacingName: 'Default browser prompt',
    description: 'Ask once, at a calm moment, whether Firefox should be the default browser.',
    featureId: 'shellService',
    startDaysBeforeDemo: 27,
    enrollmentDays: 7,
    enrollmentEndInExperimenter: true,
    endDaysBeforeDemo: 0,
    isRollout: false,
    exposureRate: 0.8,
    share: 1600,
    branches: [branch('control'), branch('treatment', { defaultBrowser: 0.06, activity: 0.05 })],
    segments: [],
    traits: ['two-branch', 'ended', 'exposure-events'],
  },
  {
    slug: 'aa-validation',
    platform: 'firefox_desktop',
    userFacingName: 'A/A validation',
    description: 'Two identical branches: every comparison should find nothing.',
    featureId: 'no-feature-firefox-desktop',
    startDaysBeforeDemo: 34,
    enrollmentDays: 7,
    enrollmentEndInExperimenter: false,
    endDaysBeforeDemo: null,
    isRollout: false,
    exposureRate: 0,
    share: 1600,
    branches: [branch('control'), branch('treatment')],
    segments: [],
    traits: ['two-branch', 'aa', 'experiment-override'],
  },
  {
    slug: 'tab-groups-srm',
    platform: 'firefox_desktop',
    userFacingName: 'Tab groups (sample ratio mismatch)',
    description: 'Declared 50/50, but the treatment branch enrolls more clients than it should.',
    featureId: 'tabGroups',
    startDaysBeforeDemo: 13,
    enrollmentDays: 7,
    enrollmentEndInExperimenter: true,
    endDaysBeforeDemo: null,
    isRollout: false,
    exposureRate: 0,
    share: 1000,
    branches: [branch('control', {}, 0.4), branch('treatment', { intensity: 0.06 }, 0.6)],
    segments: [],
    traits: ['two-branch', 'srm'],
  },
  {
    slug: 'sidebar-tools-exposure',
    platform: 'firefox_desktop',
    userFacingName: 'Sidebar tools',
    description: 'New sidebar tools; exposure is measured by a custom signal on browsing.',
    featureId: 'sidebar',
    startDaysBeforeDemo: 13,
    enrollmentDays: 7,
    enrollmentEndInExperimenter: true,
    endDaysBeforeDemo: null,
    isRollout: false,
    exposureRate: 0,
    share: 1000,
    branches: [branch('control'), branch('treatment', { intensity: 0.1 })],
    segments: [],
    traits: ['two-branch', 'exposure-signal', 'experiment-override'],
  },
  {
    slug: 'fenix-homescreen-cards',
    platform: 'fenix',
    userFacingName: 'Homescreen cards (Android)',
    description: 'Recommendation cards on the Firefox for Android homescreen.',
    featureId: 'homescreen',
    startDaysBeforeDemo: 13,
    enrollmentDays: 7,
    enrollmentEndInExperimenter: true,
    endDaysBeforeDemo: null,
    isRollout: false,
    exposureRate: 0.7,
    share: 6000,
    branches: [branch('control'), branch('treatment', { activity: 0.03, intensity: 0.1 })],
    segments: [],
    traits: ['two-branch', 'glean', 'exposure-events'],
  },
  {
    slug: 'still-enrolling-feature',
    platform: 'firefox_desktop',
    userFacingName: 'Still enrolling',
    description: 'Started three days before the demo date; enrollment has not ended.',
    featureId: 'urlbar',
    startDaysBeforeDemo: 3,
    enrollmentDays: 7,
    enrollmentEndInExperimenter: false,
    endDaysBeforeDemo: null,
    isRollout: false,
    exposureRate: 0,
    share: 500,
    branches: [branch('control'), branch('treatment', { intensity: 0.05 })],
    segments: [],
    traits: ['two-branch', 'enrolling'],
  },
  {
    slug: 'pinned-tab-rollout',
    platform: 'firefox_desktop',
    userFacingName: 'Pinned tab rollout',
    description: 'A rollout: one branch, never analysed.',
    featureId: 'pinnedTabs',
    startDaysBeforeDemo: 30,
    enrollmentDays: 7,
    enrollmentEndInExperimenter: true,
    endDaysBeforeDemo: null,
    isRollout: true,
    exposureRate: 0,
    share: 300,
    branches: [branch('rollout')],
    segments: [],
    traits: ['rollout'],
  },
];

/** Buckets each extra experiment asks for (before scaling to fit the namespace). */
const EXTRA_SHARE = 500;

/** The n-th extra experiment (n ≥ 1) beyond the catalogue: two branches, week 1 due. */
export function extraExperiment(n: number): CatalogueExperiment {
  return {
    slug: `synthetic-extra-${n}`,
    platform: 'firefox_desktop',
    userFacingName: `Synthetic extra ${n}`,
    description: 'An additional two-branch experiment with a small intensity effect.',
    featureId: 'no-feature-firefox-desktop',
    startDaysBeforeDemo: 13,
    enrollmentDays: 7,
    enrollmentEndInExperimenter: true,
    endDaysBeforeDemo: null,
    isRollout: false,
    exposureRate: 0,
    share: EXTRA_SHARE,
    branches: [branch('control'), branch('treatment', { intensity: 0.05 * ((n % 3) + 1) })],
    segments: [],
    traits: ['two-branch'],
  };
}

/** The first `count` experiments: the catalogue, then extras. */
export function selectCatalogue(count: number): CatalogueExperiment[] {
  const selected = EXPERIMENT_CATALOGUE.slice(0, count);
  for (let n = 1; selected.length < count; n++) selected.push(extraExperiment(n));
  return selected;
}
