import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { coerceError } from '../../analysis/coerce-error.js';
import { removeIfPresent } from './commit-file.js';
import { tablesRoot } from './warehouse-layout.js';

const TEMP_MARK = /\.tmp-(\d+)-[0-9a-f-]+$/;

/** True when a process with this id exists (EPERM: it exists but belongs to someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (coerceError(e) as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function entries(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch (e) {
    const error = coerceError(e) as NodeJS.ErrnoException;
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return [];
    throw error;
  }
}

/**
 * Removes temporary table files (`<table>.parquet.tmp-<pid>-<uuid>`) left behind by writers that
 * died mid-write (their process is gone). They are never read as tables; this only frees space.
 * @returns how many files were removed.
 */
export async function removeStaleTempFiles(dir: string): Promise<number> {
  let removed = 0;
  const root = tablesRoot(dir);
  const folders = (await entries(root)).map((dataset) => path.join(root, dataset));
  for (const folder of [...folders]) {
    for (const entry of await entries(folder)) folders.push(path.join(folder, entry));
  }
  for (const folder of folders) {
    for (const entry of await entries(folder)) {
      const pid = Number(TEMP_MARK.exec(entry)?.[1] ?? Number.NaN);
      if (Number.isSafeInteger(pid) && !processAlive(pid)) {
        if (await removeIfPresent(path.join(folder, entry))) removed += 1;
      }
    }
  }
  return removed;
}
