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
import { metricHubDirFromEnv } from '../../runtime/metric-hub-dir.js';
import type { CliContext } from '../cli-context.js';
import { CommandFailure, UsageError } from '../exit-codes.js';
import type { RegisterCommand } from './index.js';

/** Folders of a metric-hub checkout that config files live under. */
const HUB_FOLDERS = new Set(['definitions', 'jetstream']);

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
      'config files to check (default: every config file of the metric-hub folder); a file under ' +
        "a checkout's definitions/ or jetstream/ is checked against that checkout",
    )
    .option(
      '--metric-hub <dir>',
      'metric-hub checkout (default: the one the FILES are in, else $CONTRAIL_METRIC_HUB_DIR, ' +
        "else the warehouse's metric-hub: $CONTRAIL_WAREHOUSE_DIR/metric-hub)",
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
  const { dir, source } = await metricHubDir(context, files, options);
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

/** The parent of the nearest enclosing `definitions` or `jetstream` folder of `file`, or null. */
function hubAbove(file: string): string | null {
  let dir = path.dirname(file);
  for (;;) {
    const parent = path.dirname(dir);
    if (HUB_FOLDERS.has(path.basename(dir))) return parent;
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * The metric-hub checkout a file is part of — the parent of its nearest enclosing `definitions`
 * or `jetstream` folder, spelled like the file's path when it names that folder — or null for a
 * file outside any checkout (a stand-alone override).
 */
export function enclosingMetricHub(file: string): string | null {
  return hubAbove(path.normalize(file)) ?? hubAbove(path.resolve(file));
}

/** The one checkout the files are in; null when none is. @throws UsageError for several. */
function filesMetricHub(files: readonly string[]): { dir: string; file: string } | null {
  let found: { dir: string; file: string } | null = null;
  for (const file of files) {
    const dir = enclosingMetricHub(file);
    if (dir === null) continue;
    if (found !== null && path.resolve(found.dir) !== path.resolve(dir)) {
      throw new UsageError(
        `${found.file} and ${file} are in different metric-hub folders (${found.dir}, ${dir}); ` +
          'check them separately or pass --metric-hub',
      );
    }
    found ??= { dir, file };
  }
  return found;
}

/**
 * The metric-hub folder: `--metric-hub`, else the checkout the files are in, else
 * CONTRAIL_METRIC_HUB_DIR, else the warehouse's `metric-hub` (the README's default).
 */
async function metricHubDir(
  context: CliContext,
  files: readonly string[],
  options: ValidateConfigOptions,
): Promise<{ dir: string; source: string }> {
  if (options.metricHub !== undefined) return { dir: options.metricHub, source: '--metric-hub' };
  const enclosing = filesMetricHub(files);
  if (enclosing !== null) return { dir: enclosing.dir, source: `the folder of ${enclosing.file}` };
  const env = context.env();
  if (env.CONTRAIL_METRIC_HUB_DIR !== undefined) {
    return { dir: env.CONTRAIL_METRIC_HUB_DIR, source: 'CONTRAIL_METRIC_HUB_DIR' };
  }
  const dir = metricHubDirFromEnv(env);
  if (await isDirectory(dir)) return { dir, source: "default: the warehouse's metric-hub" };
  throw new CommandFailure(
    `no metric-hub folder at ${dir} (the warehouse's; \`contrail seed\` writes one): ` +
      'pass --metric-hub DIR or set CONTRAIL_METRIC_HUB_DIR',
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
