import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import type { StatisticRow } from '../../../src/stats/statistic-row.js';
import { runCli } from '../../helpers/capture.js';

const dir = mkdtempSync(join(tmpdir(), 'contrail-stats-cli-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const csv = file(
  'clients.csv',
  [
    'branch,value,covariate,clicks,searches',
    ...Array.from(
      { length: 60 },
      (_, i) =>
        `${i % 3 === 0 ? 'control' : i % 3 === 1 ? 'treatment-a' : 'treatment-b'},${(i * 7) % 11},${i % 5},${i % 4},${1 + (i % 6)}`,
    ),
  ].join('\n'),
);

async function rows(args: string[]): Promise<StatisticRow[]> {
  const result = await runCli(['stats', ...args]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as StatisticRow[];
}

describe('contrail stats', () => {
  it('prints every branch against every other without --reference', async () => {
    const out = await rows([
      '--input',
      csv,
      '--statistic',
      'bootstrap_mean',
      '--param',
      'num_samples=200',
      '--seed',
      '3',
    ]);
    expect(out).toHaveLength(3 + 12);
    expect(out[0]).toMatchObject({
      metric: 'value',
      statistic: 'mean',
      segment: 'all',
      analysis_basis: 'enrollments',
      ci_width: 0.95,
    });
    expect(Object.keys(out[0]!)).toEqual([
      'metric',
      'statistic',
      'parameter',
      'branch',
      'comparison',
      'comparison_to_branch',
      'ci_width',
      'point',
      'lower',
      'upper',
      'segment',
      'analysis_basis',
    ]);
    const again = await rows([
      '--input',
      csv,
      '--statistic',
      'bootstrap_mean',
      '--param',
      'num_samples=200',
      '--seed',
      '3',
    ]);
    expect(again).toEqual(out);
  });

  it('honours --reference, --confidence-interval, --metric, pre-treatments and nested params', async () => {
    const out = await rows([
      '--input',
      csv,
      '--statistic',
      'linear_model_mean',
      '--reference',
      'control',
      '--metric',
      'uri_count',
      '--param',
      'covariate_adjustment.period=preenrollment_week',
      '--pre-treatment',
      'remove_nulls',
      '--pre-treatment',
      'censor_highest_values:fraction=0.99',
    ]);
    expect(out).toHaveLength(3 + 4);
    expect(
      out.every(
        (r) =>
          r.metric === 'uri_count' &&
          (r.comparison === null || r.comparison_to_branch === 'control'),
      ),
    ).toBe(true);
    const binomial = await rows([
      '--input',
      file('b.csv', 'branch,value\na,1\na,0\nb,true\nb,false\nb,1\n'),
      '--statistic',
      'binomial',
      '--confidence-interval',
      '0.8',
    ]);
    expect(binomial.every((r) => r.ci_width === 0.8)).toBe(true);
  });

  it('reads population_ratio columns from the params, and NDJSON', async () => {
    const ratio = await rows([
      '--input',
      csv,
      '--statistic',
      'population_ratio',
      '--param',
      'numerator=clicks',
      '--param',
      'denominator=searches',
      '--param',
      'num_samples=100',
      '--reference',
      'control',
    ]);
    expect(ratio).toHaveLength(3 + 4);
    const ndjson = file(
      'c.ndjson',
      '{"branch":"a","value":1}\n{"branch":"b","value":2}\n{"branch":"a","value":null}\n',
    );
    expect((await rows(['--input', ndjson, '--statistic', 'count'])).map((r) => r.point)).toEqual([
      2, 1,
    ]);
  });

  it('exits 1 naming file, line and column for bad input', async () => {
    const bad = file('bad.csv', 'branch,value\na,1\nb,x1\n');
    const result = await runCli(['stats', '--input', bad, '--statistic', 'sum']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${bad}:3:3: column 'value': 'x1' is not a decimal number`);
    const missing = await runCli([
      'stats',
      '--input',
      file('m.csv', 'branch,val\na,1\n'),
      '--statistic',
      'sum',
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/m\.csv:1: missing column 'value'/);
    const empty = await runCli(['stats', '--input', file('e.csv', ''), '--statistic', 'sum']);
    expect(empty.stderr).toMatch(/e\.csv: the file is empty/);
    expect(empty.code).toBe(1);
  });

  it('exits 1 for an unknown statistic or parameter and for a failed statistic', async () => {
    const unknown = await runCli(['stats', '--input', csv, '--statistic', 'mann_whitney_u']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown statistic 'mann_whitney_u'/);
    const param = await runCli([
      'stats',
      '--input',
      csv,
      '--statistic',
      'bootstrap_mean',
      '--param',
      'samples=3',
    ]);
    expect(param.code).toBe(1);
    expect(param.stderr).toMatch(/bootstrap_mean.*samples/);
    const failed = await runCli(['stats', '--input', csv, '--statistic', 'binomial']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /binomial: NonBinaryDataError: binomial needs 0\/1 values, got \d+ \(branch '[a-z-]+', line \d+\)/,
    );
  });

  it('exits 2 for bad flags', async () => {
    for (const args of [
      ['--statistic', 'sum'],
      ['--input', csv, '--statistic', 'sum', '--threads', 'zero'],
      ['--input', csv, '--statistic', 'sum', '--seed', '-1'],
      ['--input', csv, '--statistic', 'sum', '--param', 'novalue'],
      ['--input', csv, '--statistic', 'sum', '--confidence-interval', '0.9'],
      ['--input', csv, '--statistic', 'binomial', '--confidence-interval', '2'],
      ['--input', csv, '--statistic', 'sum', '--bogus'],
    ]) {
      const result = await runCli(['stats', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
    }
  });

  it('caps num_samples at 1,000,000 and grid_size at 10,000, naming them (issue 13, case 14)', async () => {
    const samples = await runCli([
      'stats',
      '--input',
      csv,
      '--statistic',
      'bootstrap_mean',
      '--param',
      'num_samples=500000000',
    ]);
    expect(samples.code).toBe(1);
    expect(samples.stdout).toBe('');
    expect(samples.stderr).toMatch(/num_samples: num_samples is capped at 1,000,000/);
    const grid = await runCli([
      'stats',
      '--input',
      csv,
      '--statistic',
      'empirical_cdf',
      '--param',
      'grid_size=20000',
    ]);
    expect(grid.code).toBe(1);
    expect(grid.stderr).toMatch(/grid_size: grid_size is capped at 10,000/);
    const threads = await runCli([
      'stats',
      '--input',
      csv,
      '--statistic',
      'sum',
      '--threads',
      '65',
    ]);
    expect(threads.code).toBe(2);
    expect(threads.stderr).toMatch(/--threads must be an integer in \[1, 64\]/);
  });

  it('rejects a duplicate value column and hex numbers, naming them (issue 13, case 14)', async () => {
    const duplicate = await runCli([
      'stats',
      '--input',
      file('dup.csv', 'branch,value,value\na,1,2\n'),
      '--statistic',
      'sum',
    ]);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stdout).toBe('');
    expect(duplicate.stderr).toMatch(/dup\.csv:1: column 'value' appears twice in the header/);
    const hex = await runCli([
      'stats',
      '--input',
      file('hex.csv', 'branch,value\na,1\na,0x10\n'),
      '--statistic',
      'sum',
    ]);
    expect(hex.code).toBe(1);
    expect(hex.stdout).toBe('');
    expect(hex.stderr).toMatch(/hex\.csv:3:3: column 'value': '0x10' is not a decimal number/);
  });

  it('warns about an overflowed statistic, naming rows and branches, and exits 1 (issue 13, case 14)', async () => {
    const huge = file(
      'huge.csv',
      ['branch,value', ...Array.from({ length: 20 }, (_, i) => (i % 2 ? 'b,3' : 'a,1e308'))].join(
        '\n',
      ),
    );
    const result = await runCli([
      'stats',
      '--input',
      huge,
      '--statistic',
      'bootstrap_mean',
      '--param',
      'num_samples=100',
      '--reference',
      'b',
    ]);
    expect(result.code).toBe(1);
    const out = JSON.parse(result.stdout) as StatisticRow[];
    expect(out.find((r) => r.branch === 'a' && r.comparison === null)?.point).toBeNull();
    expect(out.find((r) => r.branch === 'b' && r.comparison === null)?.point).toBe(3);
    expect(result.stderr).toContain(`contrail: warning: ${huge}: mean of a: point`);
    expect(result.stderr).toMatch(
      /mean of a: point( and \w+)? not finite \(null\): the statistic overflowed \(largest \|value\| per branch: a: 1e\+308\)/,
    );
    expect(result.stderr).toMatch(/mean of a \(difference vs b\): .*not finite/);
    expect(result.stderr).not.toMatch(/mean of b:/);
  });

  it('exits 2 with nothing on stdout for a --reference that is not a branch (issue 13, case 14)', async () => {
    const result = await runCli([
      'stats',
      '--input',
      csv,
      '--statistic',
      'bootstrap_mean',
      '--param',
      'num_samples=100',
      '--reference',
      'treatment-c',
    ]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      `contrail: --reference 'treatment-c' is not a branch of ${csv} (branches: control, treatment-a, treatment-b) (did you mean 'treatment-a'?)`,
    );
  });

  it('documents the param syntax in --help', async () => {
    const help = await runCli(['stats', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/covariate_adjustment\.period=preenrollment_week/);
    expect(help.stdout).toMatch(/--threads/);
  });
});
