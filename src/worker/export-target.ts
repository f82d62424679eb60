import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Where exports go: a folder by default (a GCS bucket is the production alternative). */
export interface ExportTarget {
  /** Human-readable location of the target, for logs and summaries. */
  readonly location: string;
  /** Writes `value` as JSON at `relativePath`, replacing any previous file atomically. */
  writeJson(relativePath: string, value: unknown): Promise<string>;
}

/**
 * An {@link ExportTarget} on the local filesystem. Like jetstream's GCS export, a file is written
 * under a temporary name and renamed into place, so readers never see a partial file.
 */
export function createFolderExportTarget(dir: string): ExportTarget {
  return {
    location: path.resolve(dir),
    async writeJson(relativePath, value) {
      const file = path.join(dir, relativePath);
      await mkdir(path.dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      await writeFile(temp, `${JSON.stringify(value, null, 1)}\n`);
      await rename(temp, file);
      return file;
    },
  };
}
