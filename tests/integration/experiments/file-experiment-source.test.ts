import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  createFileExperimentSource,
  ExperimentsFileError,
} from '../../../src/experiments/api/file-experiment-source.js';
import {
  ExperimentNotFoundError,
  ExperimentParseError,
} from '../../../src/experiments/experiment-source.js';
import { createLogger } from '../../../src/runtime/logger.js';
import { experimentSourceFromEnv } from '../../../src/runtime/experiment-source.js';
import { parseEnv } from '../../../src/runtime/env.js';

const FIXTURE = new URL('./fixtures/experimenter-v8.json', import.meta.url);
const today = '2024-02-15';
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'contrail-experiments-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('file experiment source', () => {
  it('reads the v8 list format and reports malformed entries', async () => {
    const warnings: unknown[] = [];
    const source = createFileExperimentSource(FIXTURE.pathname, {
      logger: { warn: (fields) => warnings.push(fields.experiment) },
    });
    const { experiments, rejected } = await source.listExperiments(today);
    expect(experiments.map((e) => e.slug)).toEqual([
      'desktop-pref-test',
      'fenix-onboarding',
      'group-holdback',
    ]);
    expect(rejected.map((r) => r.slug)).toEqual(['broken-start-date', null]);
    expect(warnings).toEqual(['broken-start-date', null]);
  });

  it('finds one experiment, and tells a missing slug from a malformed one', async () => {
    const source = createFileExperimentSource(FIXTURE.pathname);
    expect((await source.getExperiment('group-holdback', today)).isRollout).toBe(true);
    await expect(source.getExperiment('nope', today)).rejects.toThrow(ExperimentNotFoundError);
    await expect(source.getExperiment('broken-start-date', today)).rejects.toThrow(
      ExperimentParseError,
    );
  });

  it('names the file and the line and column of invalid JSON', async () => {
    const path = join(dir, 'experiments.json');
    await writeFile(path, '[\n  {"slug": "a"},\n  {"slug": }\n]\n');
    const failure = createFileExperimentSource(path).listExperiments(today);
    await expect(failure).rejects.toThrow(ExperimentsFileError);
    await expect(failure).rejects.toThrow(`${path}: invalid JSON at line 3, column 12`);
  });

  it('names a missing file and a file that is not a list', async () => {
    const missing = join(dir, 'missing.json');
    await expect(createFileExperimentSource(missing).listExperiments(today)).rejects.toThrow(
      `${missing}: experiments file not found`,
    );
    const object = join(dir, 'object.json');
    await writeFile(object, '{"experiments": []}');
    await expect(createFileExperimentSource(object).listExperiments(today)).rejects.toThrow(
      `${object}: expected a JSON array of experiments, got object`,
    );
  });
});

describe('experimentSourceFromEnv', () => {
  const logger = createLogger({ level: 'silent', pretty: false });

  it('uses the Experimenter API when CONTRAIL_EXPERIMENTER_URL is set', () => {
    const env = parseEnv({ CONTRAIL_EXPERIMENTER_URL: 'http://127.0.0.1:9/exp' });
    expect(experimentSourceFromEnv(env, logger).origin).toBe(
      'http://127.0.0.1:9/exp/api/v8/experiments/',
    );
  });

  it('otherwise reads the experiments file, by default in the warehouse folder', async () => {
    const env = parseEnv({ CONTRAIL_WAREHOUSE_DIR: dir });
    const source = experimentSourceFromEnv(env, logger);
    expect(source.origin).toBe(join(dir, 'experiments.json'));
    await writeFile(join(dir, 'experiments.json'), '[]');
    await expect(source.listExperiments(today)).resolves.toEqual({ experiments: [], rejected: [] });
    const named = parseEnv({ CONTRAIL_EXPERIMENTS_FILE: FIXTURE.pathname });
    expect(experimentSourceFromEnv(named, logger).origin).toBe(FIXTURE.pathname);
  });
});
