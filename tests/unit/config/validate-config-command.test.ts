import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { runCli } from '../../helpers/capture.js';
import { BROKEN_CONFIGS, FIXTURE_METRIC_HUB } from './metric-hub-fixture.js';

/** Each deliberately broken config, with what its single error line must say. */
const BROKEN: readonly { file: string; line: RegExp }[] = [
  { file: 'bad-toml-syntax.toml', line: /: line 4, column 28: TOML syntax error: / },
  {
    file: 'unknown-statistic.toml',
    line: /: metrics\.broken_uri_count\.statistics\.bootstap_mean: unknown statistic 'bootstap_mean' \(did you mean 'bootstrap_mean'\?\)$/,
  },
  {
    file: 'wrong-param-type.toml',
    line: /: metrics\.broken_uri_count\.statistics\.bootstrap_mean\.num_samples: expected integer, got string$/,
  },
  {
    file: 'metric-without-data-source.toml',
    line: /: metrics\.orphan_metric: metric 'orphan_metric' has no data_source$/,
  },
  {
    file: 'undefined-metric.toml',
    line: /: metrics\.weekly: metric 'no_such_metric_anywhere' is not defined for platform 'firefox_desktop'$/,
  },
  {
    file: 'undefined-segment.toml',
    line: /: experiment\.segments: segment 'no_such_segment_anywhere' is not defined/,
  },
  {
    file: 'undefined-outcome.toml',
    line: /: experiment\.outcomes: outcome 'no_such_outcome_anywhere' is not defined for platform 'firefox_desktop'/,
  },
  {
    file: 'undefined-data-source.toml',
    line: /: metrics\.lonely_metric\.data_source: data source 'no_such_data_source_anywhere' is not defined/,
  },
  {
    file: 'jinja-error.toml',
    line: /: metrics\.typo_metric\.select_expression: Jinja error: 'agg_summ' is not a function of functions\.toml \(known: agg_any, /,
  },
  {
    file: 'unknown-pre-treatment.toml',
    line: /: metrics\.active_hours\.statistics\.bootstrap_mean\.pre_treatments\.0: unknown pre-treatment 'remove_null' \(did you mean 'remove_nulls'\?\)$/,
  },
];

/** Output lines between the `metric-hub:` header and the summary. */
function body(stdout: string): string[] {
  return stdout.trimEnd().split('\n').slice(1, -1);
}

describe('contrail validate-config', () => {
  it("validates the warehouse's metric-hub by default, as the README says (issue 13, case 12)", async () => {
    const warehouse = mkdtempSync(path.join(tmpdir(), 'contrail-validate-warehouse-'));
    symlinkSync(FIXTURE_METRIC_HUB, path.join(warehouse, 'metric-hub'));
    const result = await runCli(['validate-config'], { CONTRAIL_WAREHOUSE_DIR: warehouse });
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      `metric-hub: ${path.join(warehouse, 'metric-hub')} (default: the warehouse's metric-hub)`,
    );
    expect(lines.at(-1)).toBe('113 files valid, 0 invalid');
    expect(body(result.stdout).filter((l) => !l.includes(': warning: '))).toEqual([]);
    expect(body(result.stdout)).toContain(
      "jetstream/abouthome-startup-cache-5.toml: experiment.enrollments_query: warning: unknown key, ignored (did you mean 'enrollment_query'?)",
    );
  });

  for (const { file, line } of BROKEN) {
    it(`reports ${file} in exactly one line and exits 1`, async () => {
      const target = path.join(BROKEN_CONFIGS, file);
      const result = await runCli(['validate-config', '--metric-hub', FIXTURE_METRIC_HUB, target]);
      expect(result.code).toBe(1);
      const lines = body(result.stdout);
      expect(lines).toHaveLength(1);
      expect(lines[0]?.startsWith(`${target}: `)).toBe(true);
      expect(lines[0]).toMatch(line);
      expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('0 files valid, 1 invalid');
    });
  }

  it('takes the folder a file is in and checks only the files named', async () => {
    const file = path.join(FIXTURE_METRIC_HUB, 'jetstream/vpn-android.toml');
    const result = await runCli(['validate-config', '--verbose', file], {
      CONTRAIL_METRIC_HUB_DIR: '/no/such/metric-hub',
    });
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      `metric-hub: ${FIXTURE_METRIC_HUB} (the folder of ${file})`,
      'jetstream/vpn-android.toml: ok (platform fenix)',
      '1 files valid, 0 invalid',
    ]);
  });

  it('takes the folder from CONTRAIL_METRIC_HUB_DIR for a file outside any metric-hub', async () => {
    const file = path.join(BROKEN_CONFIGS, 'unknown-statistic.toml');
    const result = await runCli(['validate-config', file], {
      CONTRAIL_METRIC_HUB_DIR: FIXTURE_METRIC_HUB,
    });
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')[0]).toBe(
      `metric-hub: ${FIXTURE_METRIC_HUB} (CONTRAIL_METRIC_HUB_DIR)`,
    );
  });

  it('fails a definitions file checked alone the way the whole folder fails it (issue 13, case 12)', async () => {
    const hub = path.join(mkdtempSync(path.join(tmpdir(), 'contrail-validate-')), 'metric-hub');
    cpSync(FIXTURE_METRIC_HUB, hub, { recursive: true });
    const definitions = path.join(hub, 'definitions/firefox_desktop.toml');
    const text = readFileSync(definitions, 'utf8');
    const typo = text.replace(
      /(\[metrics\.active_hours\][^[]*?data_source = )"clients_daily"/,
      '$1"clients_dialy"',
    );
    expect(typo).not.toBe(text);
    writeFileSync(definitions, typo);
    const error =
      "definitions/firefox_desktop.toml: metrics.active_hours.data_source: data source 'clients_dialy' is not defined for platform 'firefox_desktop' (did you mean 'clients_daily'?)";

    const whole = await runCli(['validate-config', '--metric-hub', hub]);
    expect(whole.code).toBe(1);
    expect(body(whole.stdout)).toContain(error);

    const alone = await runCli(['validate-config', definitions]);
    expect(alone.code).toBe(1);
    expect(alone.stdout.split('\n')[0]).toBe(`metric-hub: ${hub} (the folder of ${definitions})`);
    expect(body(alone.stdout)).toContain(error);
    expect(body(alone.stdout).filter((l) => l.includes('clients_dialy'))).toEqual([error]);
    expect(alone.stdout.trimEnd().split('\n').at(-1)).toBe('0 files valid, 1 invalid');

    const named = await runCli(['validate-config', '--metric-hub', hub, definitions]);
    expect(named.code).toBe(1);
    expect(body(named.stdout)).toContain(error);
  });

  it('refuses files of two different metric-hub folders (exit 2)', async () => {
    const other = path.join(mkdtempSync(path.join(tmpdir(), 'contrail-validate-')), 'definitions');
    mkdirSync(other);
    writeFileSync(path.join(other, 'fenix.toml'), '');
    const result = await runCli([
      'validate-config',
      path.join(FIXTURE_METRIC_HUB, 'definitions/fenix.toml'),
      path.join(other, 'fenix.toml'),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/are in different metric-hub folders/);
  });

  it('fails clearly when there is no metric-hub folder to default to', async () => {
    const warehouse = mkdtempSync(path.join(tmpdir(), 'contrail-validate-empty-'));
    const result = await runCli(['validate-config'], { CONTRAIL_WAREHOUSE_DIR: warehouse });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `contrail: no metric-hub folder at ${path.join(warehouse, 'metric-hub')} (the warehouse's; \`contrail seed\` writes one)`,
    );
  });

  it('counts unreadable files as invalid', async () => {
    const result = await runCli([
      'validate-config',
      '--metric-hub',
      FIXTURE_METRIC_HUB,
      'no/such/file.toml',
    ]);
    expect(result.code).toBe(1);
    expect(body(result.stdout)).toEqual([
      expect.stringMatching(/^no\/such\/file\.toml: cannot read no\/such\/file\.toml: ENOENT/),
    ]);
  });

  it('fails clearly when the folder does not exist', async () => {
    const result = await runCli(['validate-config', '--metric-hub', '/no/such/metric-hub']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('contrail: cannot read metric-hub folder /no/such/metric-hub');
  });
});
