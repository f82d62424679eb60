import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { coerceError } from '../../analysis/coerce-error.js';
import { tempPathFor } from '../duckdb/warehouse-layout.js';
import { SeedError } from './seed-error.js';

/** Writes a text file atomically (temporary sibling, then rename). */
export async function writeTextFile(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = tempPathFor(file);
  try {
    await writeFile(temp, text, 'utf8');
    await rename(temp, file);
  } catch (thrown) {
    const error = coerceError(thrown);
    await rm(temp, { force: true });
    throw new SeedError(`cannot write ${file}: ${error.message}`, { cause: error });
  }
}

/**
 * Replaces the folder `target` with one holding `files` (relative path → text). The new folder
 * is written next to the old one and swapped in, so a reader sees either the old or the new
 * set of files, never a mix of both.
 */
export async function replaceFolder(
  target: string,
  files: Readonly<Record<string, string>>,
): Promise<void> {
  const fresh = tempPathFor(target);
  const old = tempPathFor(target);
  try {
    for (const [relative, text] of Object.entries(files)) {
      const file = path.join(fresh, relative);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text, 'utf8');
    }
    await rename(target, old).catch((thrown: unknown) => {
      const error = coerceError(thrown) as NodeJS.ErrnoException;
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(fresh, target);
  } catch (thrown) {
    const error = coerceError(thrown);
    // Put the previous folder back if it was moved aside.
    await rename(old, target).catch(() => undefined);
    throw new SeedError(`cannot write ${target}: ${error.message}`, { cause: error });
  } finally {
    await rm(fresh, { recursive: true, force: true });
    await rm(old, { recursive: true, force: true });
  }
}
