import { FENIX_TOML, FIREFOX_DESKTOP_TOML, FUNCTIONS_TOML } from './metric-hub-definitions.js';
import {
  FENIX_DEFAULTS_TOML,
  FIREFOX_DESKTOP_DEFAULTS_TOML,
  experimentOverrideToml,
} from './metric-hub-jetstream.js';
import type { PlannedExperiment } from './seed-plan.js';

/**
 * The generated metric-hub folder as relative path → text: definitions and functions,
 * per-app defaults, and the overrides of the experiments generated.
 */
export function metricHubFiles(experiments: readonly PlannedExperiment[]): Record<string, string> {
  const files: Record<string, string> = {
    'definitions/functions.toml': FUNCTIONS_TOML,
    'definitions/firefox_desktop.toml': FIREFOX_DESKTOP_TOML,
    'definitions/fenix.toml': FENIX_TOML,
    'jetstream/defaults/firefox_desktop.toml': FIREFOX_DESKTOP_DEFAULTS_TOML,
    'jetstream/defaults/fenix.toml': FENIX_DEFAULTS_TOML,
  };
  for (const experiment of experiments) {
    const override = experimentOverrideToml(experiment);
    if (override !== null) files[`jetstream/${experiment.slug}.toml`] = override;
  }
  return files;
}
