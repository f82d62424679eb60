import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The compiled JavaScript file of a worker-thread entry. Threads cannot load TypeScript on
 * Node 20 (spec/warehouse.md §2), so when this code itself runs from `src/` (tests under tsx),
 * the entry is taken from `dist/` — `npm run build` must have run.
 * @param relative - the entry's path relative to `src/`, with a `.js` extension.
 * @throws Error naming the missing file and the command that builds it.
 */
export function compiledEntry(moduleUrl: string, fromSrcRoot: string, relative: string): URL {
  const fromDist = !moduleUrl.endsWith('.ts');
  const root = new URL(fromDist ? fromSrcRoot : fromSrcRoot.replace(/\/src\/$/, '/dist/'));
  const url = new URL(relative, root);
  if (!existsSync(fileURLToPath(url))) {
    throw new Error(
      `worker-thread entry ${fileURLToPath(url)} is missing; run \`npm run build\` first`,
    );
  }
  return url;
}

/** `src/` (or `dist/`) of this installation, as a URL ending in `/`. */
export const SOURCE_ROOT = new URL('../', import.meta.url).href;
