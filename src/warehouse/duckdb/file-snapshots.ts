import { randomUUID } from 'node:crypto';
import { link, mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { coerceError } from '../../analysis/coerce-error.js';
import { removeIfPresent } from './commit-file.js';
import { processAlive } from './stale-temp-files.js';

/**
 * Private hard links to table files. DuckDB opens a Parquet file more than once per query
 * (schema at bind time, data at scan time); if another process renames a new file over the
 * table in between, the scan mixes two files ("TProtocolException: Invalid data", or worse,
 * silently). Writers never modify a file in place — they rename new ones over it — so a hard
 * link pins one immutable version for as long as this process reads it.
 *
 * Links live in `<dir>/.snapshots/<pid>-<uuid>/` (same file system as the tables, outside
 * `tables/`); folders of processes that are gone are removed when a new one starts.
 */
export class FileSnapshots {
  /** This process's snapshot folder. */
  readonly folder: string;
  private counter = 0;
  /** The table file each live link pins. */
  private readonly sources = new Map<string, string>();

  private constructor(folder: string) {
    this.folder = folder;
  }

  /** Creates this process's folder and removes folders left by dead processes. */
  static async create(dir: string): Promise<FileSnapshots> {
    const root = path.join(dir, '.snapshots');
    await mkdir(root, { recursive: true });
    await removeStale(root);
    const folder = path.join(root, `${process.pid}-${randomUUID()}`);
    await mkdir(folder);
    return new FileSnapshots(folder);
  }

  /**
   * A hard link to the current version of `file`, or null when `file` does not exist. Falls
   * back to `file` itself where hard links are not possible.
   */
  async pin(file: string): Promise<string | null> {
    this.counter += 1;
    const pinned = path.join(this.folder, `${this.counter}-${path.basename(file)}`);
    try {
      await link(file, pinned);
      this.sources.set(pinned, file);
      return pinned;
    } catch (e) {
      const error = coerceError(e) as NodeJS.ErrnoException;
      if (error.code === 'ENOENT') return null;
      if (error.code === 'EXDEV' || error.code === 'EPERM' || error.code === 'ENOTSUP') return file;
      throw error;
    }
  }

  /** Drops a link made by {@link pin} (a fallback path is left alone). */
  async release(pinned: string): Promise<void> {
    this.sources.delete(pinned);
    if (path.dirname(pinned) === this.folder) await removeIfPresent(pinned);
  }

  /** The table file a live link pins (`file` itself when it is not one of this folder's links). */
  sourceOf(file: string): string {
    return this.sources.get(file) ?? file;
  }

  /** Runs `read` on a pinned version of `file`; null when the file does not exist. */
  async withPinned<T>(file: string, read: (pinned: string) => Promise<T>): Promise<T | null> {
    const pinned = await this.pin(file);
    if (pinned === null) return null;
    try {
      return await read(pinned);
    } finally {
      await this.release(pinned);
    }
  }

  /** Removes this process's folder. */
  async dispose(): Promise<void> {
    await rm(this.folder, { recursive: true, force: true });
  }
}

async function removeStale(root: string): Promise<void> {
  for (const entry of await readdir(root)) {
    const pid = Number(entry.split('-')[0]);
    if (Number.isSafeInteger(pid) && pid > 0 && !processAlive(pid)) {
      await rm(path.join(root, entry), { recursive: true, force: true });
    }
  }
}
