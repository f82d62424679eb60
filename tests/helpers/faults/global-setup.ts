import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { TestProject } from 'vitest/node';

import { faultsScale } from './faults-scale.js';
import { resetTally } from './fault-tally.js';
import { seedTemplate } from './fault-workload.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Folder shared by the fault suite's files (baselines). */
    faultsSuiteDir: string;
    /** The seeded template warehouse every workload copies. */
    faultsTemplateDir: string;
  }
}

/**
 * Global setup of the `faults` project: seeds the template warehouse once and empties the
 * tally; removes the suite folder afterwards.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const suiteDir = mkdtempSync(path.join(tmpdir(), 'contrail-faults-suite-'));
  const templateDir = path.join(suiteDir, 'template');
  await seedTemplate(templateDir, faultsScale());
  resetTally();
  project.provide('faultsSuiteDir', suiteDir);
  project.provide('faultsTemplateDir', templateDir);
  return () => rmSync(suiteDir, { recursive: true, force: true });
}
