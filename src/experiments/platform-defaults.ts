/**
 * What each application platform implies for an experiment's analysis when its config does not
 * say otherwise, as jetstream's `platform_config.toml` defines it for the platforms metric-hub
 * has configs for (spec/analysis.md §1.3 item 5).
 */
export interface PlatformDefaults {
  /** Glean application id; names the BigQuery dataset of the app's tables. */
  readonly appId: string;
  /** How enrollments are found: `normandy` for desktop, Glean events elsewhere. */
  readonly enrollmentsQueryType: string;
}

/**
 * Known platforms by Experimenter `appName`. An experiment whose app is not listed fails gating
 * with UnsupportedApplication.
 */
export const PLATFORM_DEFAULTS: Readonly<Record<string, PlatformDefaults>> = {
  firefox_desktop: { appId: 'firefox-desktop', enrollmentsQueryType: 'normandy' },
  fenix: { appId: 'org.mozilla.fenix', enrollmentsQueryType: 'glean-event' },
  focus_android: { appId: 'org.mozilla.focus', enrollmentsQueryType: 'glean-event' },
  klar_android: { appId: 'org.mozilla.klar', enrollmentsQueryType: 'glean-event' },
  firefox_ios: { appId: 'org.mozilla.ios.FirefoxBeta', enrollmentsQueryType: 'glean-event' },
  focus_ios: { appId: 'org.mozilla.ios.Focus', enrollmentsQueryType: 'glean-event' },
  klar_ios: { appId: 'org.mozilla.ios.Klar', enrollmentsQueryType: 'glean-event' },
  monitor_cirrus: { appId: 'monitor.cirrus', enrollmentsQueryType: 'cirrus' },
};

/**
 * The BigQuery dataset of a Glean application: every character outside `[A-Za-z0-9]` becomes
 * `_`, lowercased (`org.mozilla.ios.FirefoxBeta` → `org_mozilla_ios_firefoxbeta`).
 */
export function appIdToDataset(appId: string): string {
  return appId.replace(/[^A-Za-z0-9]/g, '_').toLowerCase();
}
