import { execFileSync } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import path from 'node:path';

import { ROOT } from '../../tests/helpers/pipeline.js';

/** The commit before the metrics stage (one telemetry query per metric job). */
export const DEFAULT_BASELINE = 'e90b27d';

/**
 * A compiled checkout of `commit` in `dir` (a detached git worktree sharing this checkout's
 * node_modules), so the benchmark can run the earlier code on the same workload, box and Redis.
 * @returns the checkout's root.
 */
export function baselineCheckout(commit: string, dir: string): string {
  const root = path.join(dir, 'baseline');
  if (!existsSync(root)) {
    execFileSync('git', ['worktree', 'add', '--detach', root, commit], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  }
  execFileSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  return root;
}

/** Removes the baseline worktree. */
export function removeBaselineCheckout(root: string): void {
  execFileSync('git', ['worktree', 'remove', '--force', root], { cwd: ROOT, stdio: 'ignore' });
}
