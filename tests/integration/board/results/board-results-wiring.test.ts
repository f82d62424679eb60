import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createSandbox,
  startContrail,
  type BackgroundProcess,
  type Sandbox,
} from '../../../helpers/pipeline.js';

const TOKEN = 'results-wiring-token-0123';

/** `contrail board` (compiled CLI) serves the results pages behind its authentication. */
describe('contrail board with the results pages', () => {
  let sandbox: Sandbox;
  let board: BackgroundProcess;
  let base: string;

  beforeAll(async () => {
    sandbox = createSandbox('board-results');
    const experiments = path.join(sandbox.dir, 'experiments.json');
    writeFileSync(
      experiments,
      JSON.stringify([
        {
          slug: 'wired-exp',
          appName: 'firefox_desktop',
          branches: [
            { slug: 'control', ratio: 1 },
            { slug: 'treatment', ratio: 1 },
          ],
          referenceBranch: 'control',
          startDate: '2026-02-01',
        },
      ]),
    );
    board = startContrail(['board', '--port', '0'], {
      ...sandbox.env,
      CONTRAIL_BOARD_TOKEN: TOKEN,
      CONTRAIL_EXPERIMENTS_FILE: experiments,
      CONTRAIL_METRIC_HUB_DIR: path.join(sandbox.dir, 'no-metric-hub'),
    });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const match = /board listening on (http:\/\/[^/\s]+)/.exec(board.output());
      if (match) {
        base = match[1]!;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`board did not start:\n${board.output()}`);
  });

  afterAll(async () => {
    await board?.stop();
    await sandbox?.cleanup();
  });

  it('refuses requests without credentials', async () => {
    expect((await fetch(`${base}/experiments`)).status).toBe(401);
    expect((await fetch(`${base}/experiments/wired-exp`)).status).toBe(401);
  });

  it('serves the list and the experiment page, and says why metric metadata is missing', async () => {
    const headers = { Authorization: `Bearer ${TOKEN}` };
    const list = await fetch(`${base}/experiments`, { headers });
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain('<tr data-slug="wired-exp">');
    expect(html).toContain('cannot read metric-hub folder');
    const page = await fetch(`${base}/experiments/wired-exp`, { headers });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('No results yet');
    expect(board.output()).toMatch(/cannot read metric-hub folder/);
  });
});
