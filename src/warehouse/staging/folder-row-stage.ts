import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { StatisticRow } from '../../stats/statistic-row.js';
import type { RowStage } from './row-stage.js';

/**
 * A {@link RowStage} in a folder of JSON files (`<dir>/<group>/<key>.json`), for the embedded
 * warehouse. Each write goes to a temporary file first and is renamed into place, so a reader
 * sees a whole file or none; JSON keeps every double exactly (shortest round-trip form).
 */
export function createFolderRowStage(dir: string): RowStage {
  const groupDir = (group: string) => path.join(dir, encodeURIComponent(group));
  return {
    async write(group, key, rows) {
      const folder = groupDir(group);
      await mkdir(folder, { recursive: true });
      const file = path.join(folder, `${encodeURIComponent(key)}.json`);
      const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(temp, JSON.stringify(rows));
      await rename(temp, file);
    },
    async read(group) {
      const folder = groupDir(group);
      const staged = new Map<string, StatisticRow[]>();
      let names: string[];
      try {
        names = await readdir(folder);
      } catch {
        return staged;
      }
      for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
        const rows = JSON.parse(await readFile(path.join(folder, name), 'utf8')) as StatisticRow[];
        staged.set(decodeURIComponent(name.slice(0, -'.json'.length)), rows);
      }
      return staged;
    },
    async drop(group) {
      await rm(groupDir(group), { recursive: true, force: true });
    },
  };
}
