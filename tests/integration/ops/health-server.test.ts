import type { AddressInfo } from 'node:net';

import { describe, expect, it } from 'vitest';

import { startHealthServer } from '../../../src/worker/health-server.js';

describe('worker health server (issue 13, case 7)', () => {
  it('answers /readyz 503 with the reason while not ready, 200 once ready; /livez apart', async () => {
    let problem: string | null = 'jobs fail because of Redis: OOM command not allowed';
    const server = await startHealthServer(
      { live: () => true, ready: () => problem === null, notReadyReason: () => problem },
      0,
      '127.0.0.1',
    );
    const { port } = server.address() as AddressInfo;
    const get = async (path: string) => {
      const response = await fetch(`http://127.0.0.1:${port}${path}`);
      return `${response.status} ${await response.text()}`;
    };
    try {
      expect(await get('/readyz')).toBe(
        '503 not ok: jobs fail because of Redis: OOM command not allowed\n',
      );
      expect(await get('/livez')).toBe('200 ok\n');
      problem = null;
      expect(await get('/readyz')).toBe('200 ok\n');
      expect(await get('/other')).toBe('404 not found\n');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
