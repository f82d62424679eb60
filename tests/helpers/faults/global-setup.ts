import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { TestProject } from 'vitest/node';

import { boardSecrets } from './fault-cluster.js';
import { faultsScale } from './faults-scale.js';
import { formatTally, readTally, resetTally } from './fault-tally.js';
import { seedTemplate } from './fault-workload.js';
import { formatSweep, sweepLogs } from './log-sweep.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Folder shared by the fault suite's files (baselines). */
    faultsSuiteDir: string;
    /** The seeded template warehouse every workload copies. */
    faultsTemplateDir: string;
    /** Where every cluster saves its processes' output when it closes. */
    faultsLogDir: string;
    /** The board token and password of every cluster (never to be logged). */
    faultsSecrets: [string, string];
  }
}

/**
 * Global setup of the `faults` project: seeds the template warehouse once, picks the suite's
 * secrets and empties the tally. Afterwards, searches every process log of the suite for the
 * secrets, prints the tally and that search, and removes the suite folder.
 * @throws Error listing the log lines that contain a secret (and the run exits 1).
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const suiteDir = mkdtempSync(path.join(tmpdir(), 'contrail-faults-suite-'));
  const templateDir = path.join(suiteDir, 'template');
  const logDir = path.join(suiteDir, 'logs');
  const secrets = boardSecrets();
  await seedTemplate(templateDir, faultsScale());
  resetTally();
  project.provide('faultsSuiteDir', suiteDir);
  project.provide('faultsTemplateDir', templateDir);
  project.provide('faultsLogDir', logDir);
  project.provide('faultsSecrets', secrets);
  return () => {
    const sweep = sweepLogs(logDir, secrets);
    const size = faultsScale().size;
    process.stdout.write(
      `\nFault suite (${size} size):\n\n${formatTally(readTally())}\n\n${formatSweep(sweep, secrets.length)}\n`,
    );
    rmSync(suiteDir, { recursive: true, force: true });
    if (sweep.leaks.length > 0) {
      // Vitest reports a teardown error but would still exit 0.
      process.exitCode = 1;
      throw new Error(`secrets in the fault suite's logs:\n${sweep.leaks.join('\n')}`);
    }
  };
}
