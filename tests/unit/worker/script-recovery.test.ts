import type { Job } from 'bullmq';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';

import { isNoScriptError } from '../../../src/queue/reload-scripts.js';
import { createScriptRecovery } from '../../../src/worker/script-recovery.js';
import { Capture } from '../../helpers/capture.js';

const NOSCRIPT = 'NOSCRIPT No matching script. Please use EVAL.';
const job = { id: 'enrollments.alpha' } as Job;

function recovery(reload: () => Promise<number>) {
  const log = new Capture();
  return { recovery: createScriptRecovery({ reload, logger: pino(log) }), log };
}

describe('isNoScriptError', () => {
  it('recognises the NOSCRIPT reply only', () => {
    expect(isNoScriptError(new Error(NOSCRIPT))).toBe(true);
    expect(isNoScriptError(new Error('OOM command not allowed'))).toBe(false);
    expect(isNoScriptError(new Error('job failed: NOSCRIPT'))).toBe(false);
    expect(isNoScriptError(NOSCRIPT)).toBe(false);
  });
});

describe('createScriptRecovery (issue 13, case 7)', () => {
  it('reloads the scripts after NOSCRIPT and runs the processor once more', async () => {
    let reloads = 0;
    const { recovery: scripts, log } = recovery(() => {
      reloads++;
      return Promise.resolve(64);
    });
    let runs = 0;
    const processor = scripts.guard(() => {
      runs++;
      return reloads === 0 ? Promise.reject(new Error(NOSCRIPT)) : Promise.resolve('done');
    });
    await expect(processor(job, 'token')).resolves.toBe('done');
    expect({ runs, reloads }).toEqual({ runs: 2, reloads: 1 });
    expect(log.text()).toContain('Redis lost its Lua scripts');
    expect(log.text()).toContain('"scripts":64');
  });

  it('leaves other errors alone and gives up after one retry', async () => {
    let reloads = 0;
    const { recovery: scripts } = recovery(() => Promise.resolve(++reloads));
    const other = scripts.guard(() => Promise.reject(new Error('metric failed')));
    await expect(other(job)).rejects.toThrow('metric failed');
    expect(reloads).toBe(0);
    let runs = 0;
    const stuck = scripts.guard(() => {
      runs++;
      return Promise.reject(new Error(NOSCRIPT));
    });
    await expect(stuck(job)).rejects.toThrow(NOSCRIPT);
    expect({ runs, reloads }).toEqual({ runs: 2, reloads: 1 });
  });

  it('shares one reload between concurrent NOSCRIPTs, and says when reloading fails', async () => {
    let reloads = 0;
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { recovery: scripts } = recovery(async () => {
      reloads++;
      await gate;
      return 3;
    });
    const both = Promise.all([
      scripts.recover(new Error(NOSCRIPT)),
      scripts.recover(new Error(NOSCRIPT)),
    ]);
    release();
    expect(await both).toEqual([true, true]);
    expect(reloads).toBe(1);
    expect(await scripts.recover(new Error('ECONNRESET'))).toBe(false);

    const failing = recovery(() => Promise.reject(new Error('Connection is closed.')));
    expect(await failing.recovery.recover(new Error(NOSCRIPT))).toBe(false);
    expect(failing.log.text()).toContain('loading them again failed');
  });
});
