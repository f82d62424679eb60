import { describe, expect, it } from 'vitest';

import { runCli } from '../../helpers/capture.js';

describe('contrail CLI', () => {
  it('prints help and exits 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: contrail');
  });

  it('exits 2 on an unknown command', async () => {
    const result = await runCli(['no-such-command']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: /m);
  });

  it('exits 2 on an unknown option', async () => {
    const result = await runCli(['--no-such-option']);
    expect(result.code).toBe(2);
  });
});
