import path from 'node:path';

import { coerceError } from '../../analysis/coerce-error.js';
import { ConfigError, formatProblem } from '../../config/config-error.js';
import { loadMetricHub, type MetricHubFile } from '../../config/metric-hub.js';
import { validateMetricHub, type FileValidation } from '../../config/validate-metric-hub.js';
import {
  MetricHubReadError,
  isDirectory,
  readMetricHubFile,
  readMetricHubFolder,
} from '../../runtime/metric-hub-files.js';
import type { CliContext } from '../cli-context.js';
import { CommandFailure } from '../exit-codes.js';
import type { RegisterCommand } from './index.js';

/** metric-hub folder used when neither `--metric-hub` nor CONTRAIL_METRIC_HUB_DIR is given. */
const FIXTURE_METRIC_HUB = '../shared/fixtures/metric-hub';

interface ValidateConfigOptions {
  readonly metricHub?: string;
  readonly app?: string;
  readonly verbose?: boolean;
}

/**
 * `contrail validate-config [--metric-hub DIR] [--app NAME] [FILE...]`: checks metric-hub configs
 * without Experimenter or SQL dry-runs. Prints one `FILE: KEY.PATH: reason` line per problem
 * (and per warning), then `N files valid, M invalid`; exits 1 when any file is invalid.
 */
export const registerValidateConfigCommand: RegisterCommand = (program, context) => {
  program
    .command('validate-config')
    .description(
      'check metric-hub configs: parse, validate and resolve them as jetstream would (no SQL dry-run)',
    )
    .argument(
      '[files...]',
      'config files to check (default: every config file of the metric-hub folder)',
    )
    .option(
      '--metric-hub <dir>',
      `metric-hub checkout (default: $CONTRAIL_METRIC_HUB_DIR, else ${FIXTURE_METRIC_HUB})`,
    )
    .option(
      '--app <name>',
      'platform to check experiment configs against (default: inferred per file)',
    )
    .option('--verbose', 'also list valid files, with the platform each was checked against')
    .action(async (files: string[], options: ValidateConfigOptions) => {
      await validateConfig(context, files, options);
    });
};

async function validateConfig(
  context: CliContext,
  files: readonly string[],
  options: ValidateConfigOptions,
): Promise<void> {
  const { dir, source } = await metricHubDir(context, options);
  const out = (line: string): void => void context.stdout.write(`${line}\n`);
  out(`metric-hub: ${dir} (${source})`);
  const hub = loadMetricHub(await readFolder(dir));
  const targets = await splitTargets(dir, files);
  const reports = [
    ...targets.unreadable,
    ...validateMetricHub(hub, {
      ...(files.length > 0 ? { files: targets.hubPaths } : {}),
      standalone: targets.standalone,
      ...(options.app !== undefined ? { app: options.app } : {}),
    }),
  ];
  const printed = new Set<string>();
  for (const report of reports) {
    for (const problem of [...report.problems, ...report.warnings]) {
      const line = formatProblem(problem);
      if (!printed.has(line)) out(line);
      printed.add(line);
    }
    if (options.verbose === true && report.problems.length === 0) {
      out(`${report.file}: ok${report.platform === null ? '' : ` (platform ${report.platform})`}`);
    }
  }
  const invalid = reports.filter((r) => r.problems.length > 0).length;
  out(`${reports.length - invalid} files valid, ${invalid} invalid`);
  if (invalid > 0) context.setExitCode(1);
}

async function metricHubDir(
  context: CliContext,
  options: ValidateConfigOptions,
): Promise<{ dir: string; source: string }> {
  if (options.metricHub !== undefined) return { dir: options.metricHub, source: '--metric-hub' };
  const fromEnv = context.env().CONTRAIL_METRIC_HUB_DIR;
  if (fromEnv !== undefined) return { dir: fromEnv, source: 'CONTRAIL_METRIC_HUB_DIR' };
  if (await isDirectory(FIXTURE_METRIC_HUB)) {
    return { dir: FIXTURE_METRIC_HUB, source: 'default: the shared fixtures' };
  }
  throw new CommandFailure(
    `no metric-hub folder: pass --metric-hub DIR or set CONTRAIL_METRIC_HUB_DIR (${FIXTURE_METRIC_HUB} does not exist)`,
  );
}

async function readFolder(dir: string): Promise<MetricHubFile[]> {
  try {
    return await readMetricHubFolder(dir);
  } catch (thrown) {
    const error = coerceError(thrown);
    if (error instanceof MetricHubReadError) throw new CommandFailure(error.message);
    throw error;
  }
}

/** Files inside the hub folder are checked as hub files; others as stand-alone overrides. */
async function splitTargets(
  dir: string,
  files: readonly string[],
): Promise<{ hubPaths: string[]; standalone: MetricHubFile[]; unreadable: FileValidation[] }> {
  const hubPaths: string[] = [];
  const standalone: MetricHubFile[] = [];
  const unreadable: FileValidation[] = [];
  for (const file of files) {
    const relative = path.relative(path.resolve(dir), path.resolve(file));
    if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)) {
      hubPaths.push(relative.split(path.sep).join('/'));
      continue;
    }
    try {
      standalone.push(await readMetricHubFile(file));
    } catch (thrown) {
      const error = coerceError(thrown);
      unreadable.push({
        file,
        problems: [new ConfigError(file, '', error.message)],
        warnings: [],
        platform: null,
      });
    }
  }
  return { hubPaths, standalone, unreadable };
}
