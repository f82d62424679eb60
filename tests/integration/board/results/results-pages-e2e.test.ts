import { mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import express from 'express';
import type { Browser, Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  openResultsDeps,
  type OpenResults,
} from '../../../../src/board/results/open-results-deps.js';
import { createResultsRouter } from '../../../../src/board/results/results-router.js';
import { parseEnv } from '../../../../src/runtime/env.js';
import type { SeedManifest } from '../../../../src/warehouse/synthetic/seed-manifest.js';
import {
  ROOT,
  createSandbox,
  runContrail,
  seedSmallWarehouse,
  startWorkerProcess,
  type BackgroundProcess,
  type CliResult,
  type Sandbox,
} from '../../../helpers/pipeline.js';
import { launchChromium } from '../../../helpers/headless-chromium.js';

/** The three cases the issue names: an A/A test, a planted effect, a planted sample ratio mismatch. */
const AA = 'aa-validation';
const EFFECT = 'default-browser-prompt';
const SRM = 'tab-groups-srm';
const ARTIFACTS = path.join(ROOT, 'artifacts/results-pages');
/** Statistics with one row per grid point and no comparisons (not drawn). */
const DISTRIBUTIONS = new Set(['kernel_density_estimate', 'empirical_cdf']);

describe('results pages after an end-to-end run, in headless Chromium', () => {
  let sandbox: Sandbox;
  let worker: BackgroundProcess | undefined;
  let run: CliResult;
  let manifest: SeedManifest;
  let results: OpenResults;
  let server: Server;
  let base: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    sandbox = createSandbox('pages');
    mkdirSync(ARTIFACTS, { recursive: true });
    await seedSmallWarehouse(sandbox);
    worker = startWorkerProcess(sandbox);
    const only = [AA, EFFECT, SRM].flatMap((slug) => ['--experiment', slug]);
    run = await runContrail(['run', '--date', '2026-03-01', '--wait', ...only], sandbox.env);
    await worker.stop();
    manifest = JSON.parse(
      readFileSync(path.join(sandbox.warehouseDir, 'manifest.json'), 'utf8'),
    ) as SeedManifest;
    results = await openResultsDeps(parseEnv(sandbox.env), pino({ level: 'silent' }), {
      now: () => new Date('2026-03-02T06:00:00Z'),
    });
    const app = express();
    app.use(createResultsRouter(results.deps));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    // no client-side JavaScript at all: every switch must work as a plain link
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1366, height: 900 },
    });
    page = await context.newPage();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await results?.close();
    await worker?.stop();
    await sandbox?.cleanup();
  });

  async function open(url: string): Promise<void> {
    const response = await page.goto(`${base}${url}`);
    expect(response?.status(), url).toBe(200);
  }

  async function screenshot(name: string): Promise<void> {
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  }

  it('ran the three experiments end to end', () => {
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
  });

  it('lists every experiment with its last run and periods', async () => {
    await open('/experiments');
    await screenshot('experiments');
    const slugs = await Promise.all(
      (await page.locator('tr[data-slug]').all()).map((row) => row.getAttribute('data-slug')),
    );
    expect(slugs.sort()).toEqual(manifest.experiments.map((e) => e.slug).sort());
    for (const slug of [AA, EFFECT, SRM]) {
      const row = page.locator(`tr[data-slug="${slug}"]`);
      await expect.poll(() => row.locator('td').nth(6).textContent()).not.toBe('never');
      const done = await row.locator('li[data-period]').allTextContents();
      expect(done.join(' | ')).toMatch(/done/);
    }
    await expect
      .poll(() => page.locator('tr[data-slug="pinned-tab-rollout"]').textContent())
      .toMatch(/rollout, not analysed/);
    expect(await page.locator('script').count()).toBe(0);
  });

  /** Comparisons the page should draw, per metric, read straight from the shown table. */
  async function expectedIntervals(): Promise<Map<string, number>> {
    const table = await page.locator('p.showing').getAttribute('data-table');
    const rows = await results.deps.warehouse.readStatistics(table!);
    const expected = new Map<string, number>();
    for (const row of rows) {
      if (
        row.comparison === 'relative_uplift' &&
        row.segment === 'all' &&
        row.analysis_basis === 'enrollments' &&
        row.comparison_to_branch === 'control' &&
        !DISTRIBUTIONS.has(row.statistic)
      ) {
        expected.set(row.metric, (expected.get(row.metric) ?? 0) + 1);
      }
    }
    return expected;
  }

  async function drawnIntervals(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const section of await page.locator('section.metric').all()) {
      const n = await section.locator('g.interval[data-comparison="relative_uplift"]').count();
      if (n > 0) counts.set((await section.getAttribute('data-metric')) ?? '', n);
    }
    return counts;
  }

  it.each([AA, EFFECT, SRM])('%s: one interval per branch comparison and metric', async (slug) => {
    await open(`/experiments/${slug}`);
    await screenshot(slug);
    const expected = await expectedIntervals();
    expect(expected.size).toBeGreaterThan(3);
    expect(await drawnIntervals()).toEqual(expected);
    // the difference plots carry the same comparisons
    const differences = await page.locator('g.interval[data-comparison="difference"]').count();
    expect(differences).toBe([...expected.values()].reduce((a, b) => a + b, 0));
  });

  it('has text alternatives for every plot', async () => {
    await open(`/experiments/${EFFECT}`);
    const problems: string[] = [];
    for (const svg of await page.locator('svg.forest-plot').all()) {
      const ids = ((await svg.getAttribute('aria-labelledby')) ?? '').split(' ');
      const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()));
      // a metric's plots are followed by its data table; the overview's rows are those tables'
      const section = svg.locator('xpath=ancestor::section[1]');
      const isOverview = (await section.getAttribute('class')) === 'overview';
      const rows = await svg.locator('g.interval').count();
      const ok =
        (await svg.getAttribute('role')) === 'img' &&
        ids.length === 2 &&
        texts.every((t) => (t ?? '').length > 10) &&
        (texts[1] ?? '').split(/\.(?: |$)/).length >= rows &&
        (isOverview || (await section.locator('table.metric-data').count()) > 0);
      if (!ok) problems.push(ids.join(' '));
    }
    expect(await page.locator('svg.forest-plot').count()).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });

  it('shows no significant result for the A/A experiment', async () => {
    await open(`/experiments/${AA}`);
    const significant = page.locator(
      'g.interval[data-significance="increase"], g.interval[data-significance="decrease"]',
    );
    expect(await page.locator('g.interval').count()).toBeGreaterThan(10);
    expect(await significant.count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toMatch(/significant (increase|decrease)/);
    expect(await page.locator('[data-srm="mismatch"]').count()).toBe(0);
  });

  it('shows the injected effect as significant in the manifest’s direction', async () => {
    await open(`/experiments/${EFFECT}`);
    // the README's picture: the switches and the overview plot
    const top = (await page.locator('h2#results').boundingBox())!;
    const bottom = (await page.locator('section.overview').boundingBox())!;
    await page.screenshot({
      path: path.join(ARTIFACTS, 'readme-results-page.png'),
      fullPage: true,
      clip: { x: 40, y: top.y - 8, width: 1286, height: bottom.y + bottom.height - top.y + 16 },
    });
    const table = await page.locator('p.showing').getAttribute('data-table');
    const [, period, window] = /_(overall|week|day)_(\d+)$/.exec(table!)!;
    const truth = manifest.experiments
      .find((e) => e.slug === EFFECT)!
      .trueEffects.find((w) => w.period === period && w.window === Number(window))!;
    const effects = Object.entries(truth.metrics).map(([metric, m]) => ({
      metric,
      statistic: m.statistic,
      uplift: m.branches['treatment']!.expectedRelativeUplift,
    }));
    const direction = async (e: (typeof effects)[number]) => {
      const interval = page.locator(
        `section[data-metric="${e.metric}"] g.interval[data-branch="treatment"][data-statistic="${e.statistic}"][data-comparison="relative_uplift"]`,
      );
      return (await interval.count()) === 0 ? null : interval.getAttribute('data-significance');
    };
    const strongest = effects.reduce((a, b) => (Math.abs(b.uplift) > Math.abs(a.uplift) ? b : a));
    expect(Math.abs(strongest.uplift)).toBeGreaterThan(0.1);
    expect(await direction(strongest)).toBe(strongest.uplift > 0 ? 'increase' : 'decrease');
    const badge = page.locator(`section[data-metric="${strongest.metric}"] .badge.sig-better`);
    expect(await badge.first().textContent()).toMatch(/significant (increase|decrease) \(better\)/);
    for (const effect of effects.filter((e) => Math.abs(e.uplift) >= 0.03)) {
      const wrong = effect.uplift > 0 ? 'decrease' : 'increase';
      expect(await direction(effect), effect.metric).not.toBe(wrong);
    }
  });

  it('warns about the planted sample ratio mismatch, in the page, the export and the log', async () => {
    await open(`/experiments/${SRM}`);
    const warning = page.locator('section.srm[data-srm="mismatch"]');
    expect(await warning.isVisible()).toBe(true);
    const planted = manifest.sampleRatioMismatches.find((m) => m.slug === SRM)!;
    const text = (await warning.textContent()) ?? '';
    for (const [branch, enrolled] of Object.entries(planted.enrolled)) {
      expect(text).toContain(`${branch} ${enrolled} (expected`);
    }
    const metadata = JSON.parse(
      readFileSync(path.join(sandbox.exportsDir, 'metadata/metadata_tab_groups_srm.json'), 'utf8'),
    ) as { sample_ratio_mismatch: Record<string, { mismatch: boolean; p_value: number }> };
    const periods = Object.values(metadata.sample_ratio_mismatch);
    expect(periods.length).toBeGreaterThan(0);
    expect(periods.every((p) => p.mismatch && p.p_value < 0.001)).toBe(true);
    const aa = JSON.parse(
      readFileSync(path.join(sandbox.exportsDir, 'metadata/metadata_aa_validation.json'), 'utf8'),
    ) as { sample_ratio_mismatch: Record<string, { mismatch: boolean }> };
    expect(Object.values(aa.sample_ratio_mismatch).some((p) => p.mismatch)).toBe(false);
    expect(worker!.output()).toMatch(/sample ratio mismatch in tab-groups-srm/);
  });

  it('switches window, basis and reference with plain links (JavaScript off)', async () => {
    await open(`/experiments/${SRM}`);
    await page.locator('ul[data-switch="window"] a', { hasText: 'day 7' }).click();
    expect(page.url()).toContain('window=day_7');
    expect(await page.locator('p.showing').getAttribute('data-table')).toBe(
      'statistics_tab_groups_srm_day_7',
    );
    await page.locator('ul[data-switch="reference"] a', { hasText: 'treatment' }).click();
    expect(page.url()).toContain('reference=treatment');
    expect(await page.locator('g.interval[data-branch="treatment"]').count()).toBe(0);
    expect(await page.locator('g.interval[data-branch="control"]').count()).toBeGreaterThan(0);
    const current = page.locator('ul[data-switch="reference"] a[aria-current="page"]');
    expect(await current.textContent()).toBe('treatment');
    await page.screenshot({ path: path.join(ARTIFACTS, `${SRM}-day7-vs-treatment.png`) });
  });
});
