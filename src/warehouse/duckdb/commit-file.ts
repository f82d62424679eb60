import { access, link, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { coerceError } from '../../analysis/coerce-error.js';

async function fsyncPath(target: string, flags: 'r' | 'r+'): Promise<void> {
  const handle = await open(target, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a folder entry (a rename or link) to disk; a no-op where folders cannot be fsynced. */
async function fsyncFolder(folder: string): Promise<void> {
  try {
    await fsyncPath(folder, 'r');
  } catch (e) {
    const error = coerceError(e) as NodeJS.ErrnoException;
    if (error.code !== 'EISDIR' && error.code !== 'EINVAL' && error.code !== 'EPERM') throw error;
  }
}

/**
 * Makes a fully written temporary file the table file, atomically: fsync the data, then
 * `rename` (mode `replace`: readers see the old file or the new one) or `link` (mode `create`:
 * fails if the table appeared meanwhile), then fsync the folder. The temporary file is always
 * removed.
 * @returns false only in `create` mode when `finalPath` already existed (nothing changed).
 */
export async function commitFile(
  tempPath: string,
  finalPath: string,
  mode: 'replace' | 'create',
): Promise<boolean> {
  try {
    await fsyncPath(tempPath, 'r+');
    if (mode === 'replace') {
      await rename(tempPath, finalPath);
    } else {
      try {
        await link(tempPath, finalPath);
      } catch (e) {
        const error = coerceError(e) as NodeJS.ErrnoException;
        if (error.code === 'EEXIST') return false;
        throw error;
      }
    }
    await fsyncFolder(path.dirname(finalPath));
    return true;
  } finally {
    await removeIfPresent(tempPath);
  }
}

/** Deletes a file; a missing file is fine. */
export async function removeIfPresent(file: string): Promise<boolean> {
  try {
    await unlink(file);
    return true;
  } catch (e) {
    const error = coerceError(e) as NodeJS.ErrnoException;
    if (error.code === 'ENOENT') return false;
    throw error;
  }
}

/** True when `file` exists. */
export async function fileExists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch (e) {
    const error = coerceError(e) as NodeJS.ErrnoException;
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return false;
    throw error;
  }
}
