import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

import { parseExperiments } from '../../../../src/experiments/parse-experiments.js';
import {
  API_ONLY_KEYS,
  toExperimenterJson,
} from '../../../../src/warehouse/synthetic/experimenter-json.js';
import { JETSTREAM_TEST_EXPERIMENT } from '../../../../src/warehouse/synthetic/seed-jetstream-fixtures.js';
import { resolveSeedOptions } from '../../../../src/warehouse/synthetic/seed-options.js';
import { planSeed } from '../../../../src/warehouse/synthetic/seed-plan.js';

const SCHEMA = JSON.parse(
  readFileSync(
    path.resolve(process.cwd(), '../shared/fixtures/jetstream/NimbusExperiment_v1.0.json'),
    'utf8',
  ),
) as object;

const plan = planSeed(resolveSeedOptions({ dir: 'unused' }));
const records = plan.experiments.map(toExperimenterJson);
const demoDate = plan.options.demoDate;

/** The schema knows only the Remote Settings fields; the v8 API adds the ones jetstream reads. */
function schemaPart(record: object): object {
  return Object.fromEntries(
    Object.entries(record).filter(([key]) => !(API_ONLY_KEYS as readonly string[]).includes(key)),
  );
}

describe('experiments.json (Experimenter v8)', () => {
  // Dates are plain days as the v8 API serves them, so the schema's date-time format is not checked.
  const validate = new Ajv({ strict: false, validateFormats: false }).compile(SCHEMA);

  it.each([...records, JETSTREAM_TEST_EXPERIMENT].map((r) => [r.slug, r] as const))(
    '%s is valid against NimbusExperiment_v1.0.json (schema fields)',
    (_slug, record) => {
      const valid = validate(schemaPart(record));
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    },
  );

  it('parses with the experiments layer, none rejected', () => {
    const { experiments, rejected } = parseExperiments(
      JSON.parse(JSON.stringify(records)) as unknown,
      demoDate,
    );
    expect(rejected).toEqual([]);
    expect(experiments.map((e) => e.slug)).toEqual(records.map((r) => r.slug));
  });

  it('has the intended variety', () => {
    const { experiments } = parseExperiments(records, demoDate);
    const bySlug = new Map(experiments.map((e) => [e.slug, e]));
    const branchCounts = new Set(experiments.map((e) => e.branches.length));
    expect(branchCounts).toEqual(new Set([1, 2, 3]));
    // ended on the demo date: Complete, so overall is due that day
    expect(bySlug.get('default-browser-prompt')).toMatchObject({
      endDate: demoDate,
      status: 'Complete',
    });
    // still enrolling: started, no enrollment end date, not paused
    const enrolling = bySlug.get('still-enrolling-feature');
    expect(enrolling?.enrollmentEndDate).toBeNull();
    expect(enrolling?.isEnrollmentPaused).toBe(false);
    expect(enrolling?.startDate && enrolling.startDate < demoDate).toBe(true);
    expect(bySlug.get('pinned-tab-rollout')?.isRollout).toBe(true);
    expect(bySlug.get('new-tab-layout-v2')?.segments).toEqual(['regular_users_v3']);
    const fenix = bySlug.get('fenix-homescreen-cards');
    expect(fenix).toMatchObject({ appName: 'fenix', appId: 'org.mozilla.firefox' });
    // the A/A test's branches are published as identical
    expect(bySlug.get('aa-validation')?.branches).toEqual([
      { slug: 'control', ratio: 1 },
      { slug: 'treatment', ratio: 1 },
    ]);
    for (const e of experiments) expect(e.referenceBranch, e.slug).toBe(e.branches[0]?.slug);
  });

  it('keeps the jetstream test experiment as the integration test configures it', () => {
    const { experiments } = parseExperiments([JETSTREAM_TEST_EXPERIMENT], '2020-04-12');
    expect(experiments[0]).toMatchObject({
      slug: 'test-experiment',
      startDate: '2020-03-30',
      proposedEnrollment: 7,
      referenceBranch: 'branch2',
      branches: [
        { slug: 'branch1', ratio: 1 },
        { slug: 'branch2', ratio: 1 },
      ],
    });
  });
});
