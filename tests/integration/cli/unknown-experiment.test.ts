import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createSandbox, runContrail, seedSmallWarehouse } from '../../helpers/pipeline.js';

/** Issue 13, case 13: an unknown --experiment, with the compiled CLI and the real Redis. */
const sandbox = createSandbox('unknown-experiment');
beforeAll(() => seedSmallWarehouse(sandbox, 1000));
afterAll(() => sandbox.cleanup());

const COMMANDS = [
  ['run', '--date', '2026-03-01'],
  ['rerun'],
  ['status', '--date', '2026-03-01'],
] as const;

describe('an unknown --experiment (issue 13, case 13)', () => {
  for (const command of COMMANDS) {
    it(`${command[0]}: one message with a suggestion, nothing on stdout, exit 2`, async () => {
      const result = await runContrail([...command, '--experiment', 'aa-validaton'], sandbox.env);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd().split('\n')).toEqual([
        `contrail: unknown experiment 'aa-validaton' in ${sandbox.warehouseDir}/experiments.json (did you mean 'aa-validation'?)`,
        '(run with --help for usage)',
      ]);
    });
  }

  it('names every unknown slug once, with no suggestion when nothing is close', async () => {
    const result = await runContrail(
      [
        'status',
        '--date',
        '2026-03-01',
        '--experiment',
        'aa-validation',
        '--experiment',
        'zzz-nothing-like-it',
      ],
      sandbox.env,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `contrail: unknown experiment 'zzz-nothing-like-it' in ${sandbox.warehouseDir}/experiments.json\n`,
    );
    expect(result.stderr.split('zzz-nothing-like-it')).toHaveLength(2);
    expect(result.stderr).not.toContain('did you mean');
  });

  it('status of a known experiment still exits 0', async () => {
    const result = await runContrail(
      ['status', '--date', '2026-03-01', '--experiment', 'aa-validation'],
      sandbox.env,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^2026-03-01: 1 experiments, windows: /);
  });
});
