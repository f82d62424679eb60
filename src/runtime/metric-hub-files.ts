import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

import { coerceError } from '../analysis/coerce-error.js';
import type { MetricHubFile } from '../config/metric-hub.js';

/** Raised when a metric-hub folder or file cannot be read. */
export class MetricHubReadError extends Error {
  override readonly name = 'MetricHubReadError';
}

/**
 * Reads every `.toml` file under a metric-hub checkout (skipping `.git` and `node_modules`) into
 * `{ path, text }` records, `path` relative to `dir` with `/` separators, sorted by path. This is
 * the only place the config layer's input touches the filesystem.
 * @throws MetricHubReadError when `dir` is not a readable folder.
 */
export async function readMetricHubFolder(dir: string): Promise<MetricHubFile[]> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a directory');
  } catch (thrown) {
    throw new MetricHubReadError(
      `cannot read metric-hub folder ${dir}: ${coerceError(thrown).message}`,
    );
  }
  const files: MetricHubFile[] = [];
  await collect(dir, '', files);
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function collect(root: string, relative: string, files: MetricHubFile[]): Promise<void> {
  const entries = await readdir(path.join(root, relative), { withFileTypes: true });
  for (const entry of entries) {
    const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== '.git' && entry.name !== 'node_modules') await collect(root, child, files);
    } else if (entry.isFile() && entry.name.endsWith('.toml')) {
      files.push({ path: child, text: await readFile(path.join(root, child), 'utf8') });
    }
  }
}

/**
 * Reads one config file; `path` is kept as given (it names the file in error messages).
 * @throws MetricHubReadError when it cannot be read.
 */
export async function readMetricHubFile(file: string): Promise<MetricHubFile> {
  try {
    return { path: file, text: await readFile(file, 'utf8') };
  } catch (thrown) {
    throw new MetricHubReadError(`cannot read ${file}: ${coerceError(thrown).message}`);
  }
}

/** True when `dir` exists and is a folder. */
export async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch (thrown) {
    coerceError(thrown);
    return false;
  }
}
