import type { AnalysisUnit } from './analysis-config.js';

/** What jetstream knows about one application (its platform_config.toml). */
export interface PlatformInfo {
  /** Experimenter `appName`; also the metric-hub platform (`definitions/<platform>.toml`). */
  readonly platform: string;
  /** Default enrollment source: `normandy` on desktop, `glean-event` elsewhere, `cirrus` for cirrus apps. */
  readonly enrollmentsQueryType: string;
  /** App id used when validating configs without an experiment (jetstream's `validation_app_id`). */
  readonly validationAppId: string;
}

/** The applications jetstream analyses. Experimenter's `appName` is the platform name as is. */
export const PLATFORMS: Readonly<Record<string, PlatformInfo>> = {
  firefox_desktop: {
    platform: 'firefox_desktop',
    enrollmentsQueryType: 'normandy',
    validationAppId: 'firefox-desktop',
  },
  fenix: {
    platform: 'fenix',
    enrollmentsQueryType: 'glean-event',
    validationAppId: 'org.mozilla.fenix',
  },
  focus_android: {
    platform: 'focus_android',
    enrollmentsQueryType: 'glean-event',
    validationAppId: 'org.mozilla.focus',
  },
  klar_android: {
    platform: 'klar_android',
    enrollmentsQueryType: 'glean-event',
    validationAppId: 'org.mozilla.klar',
  },
  firefox_ios: {
    platform: 'firefox_ios',
    enrollmentsQueryType: 'glean-event',
    validationAppId: 'org.mozilla.ios.FirefoxBeta',
  },
  focus_ios: {
    platform: 'focus_ios',
    enrollmentsQueryType: 'glean-event',
    validationAppId: 'org.mozilla.ios.Focus',
  },
  klar_ios: {
    platform: 'klar_ios',
    enrollmentsQueryType: 'glean-event',
    validationAppId: 'org.mozilla.ios.Klar',
  },
  monitor_cirrus: {
    platform: 'monitor_cirrus',
    enrollmentsQueryType: 'cirrus',
    validationAppId: 'monitor.cirrus',
  },
};

/** The platform whose definitions an experiment uses: its `appName`, `firefox_desktop` when empty. */
export function platformForApp(appName: string | null | undefined): string {
  return appName === null || appName === undefined || appName === '' ? 'firefox_desktop' : appName;
}

/**
 * Analysis units a data source or metric supports when its config does not say
 * (metric-config-parser): both on firefox_desktop, `client_id` only elsewhere.
 */
export function defaultAnalysisUnits(platform: string): readonly AnalysisUnit[] {
  return platform === 'firefox_desktop' ? ['client_id', 'profile_group_id'] : ['client_id'];
}

/** BigQuery dataset of an app id, as jetstream derives it: `org.mozilla.fenix` → `org_mozilla_fenix`. */
export function datasetForAppId(appId: string): string {
  return appId.toLowerCase().replace(/[.-]/g, '_');
}

/**
 * The platform an experiment slug suggests (`ios-felt-privacy` → `firefox_ios`,
 * `android-first-run-onboarding` → `fenix`), or null. Used only to order the platforms tried
 * when validating an override file, which does not name its platform.
 */
export function platformHintForSlug(slug: string): string | null {
  const tokens = new Set(slug.toLowerCase().split(/[^a-z0-9]+/));
  const product = tokens.has('focus') ? 'focus' : tokens.has('klar') ? 'klar' : null;
  if (tokens.has('ios')) return product === null ? 'firefox_ios' : `${product}_ios`;
  if (tokens.has('android') || tokens.has('fenix')) {
    return product === null ? 'fenix' : `${product}_android`;
  }
  return null;
}
