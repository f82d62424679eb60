import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  loadMetricHub,
  type MetricHub,
  type MetricHubFile,
} from '../../../src/config/metric-hub.js';
import { stubExperiment } from '../../../src/config/stub-experiment.js';
import type { Experiment } from '../../../src/experiments/experiment.js';
import { readMetricHubFolder } from '../../../src/runtime/metric-hub-files.js';

/** The real metric-hub checkout of the shared fixtures. */
export const FIXTURE_METRIC_HUB = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/fixtures/metric-hub',
);

/** Deliberately broken configs owned by this project. */
export const BROKEN_CONFIGS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../fixtures/configs',
);

let fixtureFiles: Promise<MetricHubFile[]> | undefined;

/** The fixture folder's files (read once per test file). */
export function fixtureHubFiles(): Promise<MetricHubFile[]> {
  fixtureFiles ??= readMetricHubFolder(FIXTURE_METRIC_HUB);
  return fixtureFiles;
}

/** The fixture folder, loaded. */
export async function fixtureHub(): Promise<MetricHub> {
  return loadMetricHub(await fixtureHubFiles());
}

/** A hub from inline files (`{ 'definitions/firefox_desktop.toml': '...' }`). */
export function hubFrom(files: Readonly<Record<string, string>>): MetricHub {
  return loadMetricHub(Object.entries(files).map(([p, text]) => ({ path: p, text })));
}

/** An Experimenter-like experiment with overrides. */
export function experiment(overrides: Partial<Experiment> = {}): Experiment {
  return { ...stubExperiment('test-experiment', 'firefox_desktop'), ...overrides };
}
