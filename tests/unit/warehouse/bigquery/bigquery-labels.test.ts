import { describe, expect, it } from 'vitest';
import {
  bigQueryLabels,
  labelKey,
  labelText,
} from '../../../../src/warehouse/bigquery/bigquery-labels.js';

const VALID_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const VALID_VALUE = /^[a-z0-9_-]{0,63}$/;

describe('bigQueryLabels', () => {
  it('adds app: contrail to the caller’s labels and keeps valid ones as they are', () => {
    expect(bigQueryLabels({ experiment: 'my-slug', window: 'week_2' })).toEqual({
      experiment: 'my-slug',
      window: 'week_2',
      app: 'contrail',
    });
    expect(bigQueryLabels()).toEqual({ app: 'contrail' });
  });

  it('lowercases and replaces characters BigQuery refuses', () => {
    expect(bigQueryLabels({ Metric: 'Active Hours', 'job.kind': 'metric:week/2' })).toEqual({
      metric: 'active_hours',
      job_kind: 'metric_week_2',
      app: 'contrail',
    });
  });

  it('makes keys start with a letter and drops empty keys', () => {
    expect(labelKey('2nd')).toBe('l_2nd');
    expect(labelKey('_x')).toBe('l__x');
    expect(labelKey('')).toBeUndefined();
    expect(bigQueryLabels({ '': 'v', '9': 'nine' })).toEqual({ l_9: 'nine', app: 'contrail' });
  });

  it('does not let a caller replace app', () => {
    expect(bigQueryLabels({ app: 'other', APP: 'x' })).toEqual({ app: 'contrail' });
  });

  it('cuts long values to 63 characters with a hash, so distinct values stay distinct', () => {
    const a = `run-${'x'.repeat(80)}-a`;
    const b = `run-${'x'.repeat(80)}-b`;
    expect(labelText(a)).toHaveLength(63);
    expect(labelText(a)).toMatch(VALID_VALUE);
    expect(labelText(a)).not.toBe(labelText(b));
    expect(labelText(a)).toBe(labelText(a));
    expect(labelText(a).startsWith('run-xxxx')).toBe(true);
    expect(labelText('y'.repeat(63))).toBe('y'.repeat(63)); // at the limit: untouched
  });

  it('always answers keys and values BigQuery accepts', () => {
    const labels = bigQueryLabels({
      'Ünïcode Kéy': 'Välue ✓',
      ['k'.repeat(100)]: 'v'.repeat(100),
      '-dash': '',
      run_id: '2024-01-21T06:00:00.000Z',
    });
    for (const [key, value] of Object.entries(labels)) {
      expect(key).toMatch(VALID_KEY);
      expect(value).toMatch(VALID_VALUE);
    }
    expect(labels.run_id).toBe('2024-01-21t06_00_00_000z');
  });

  it('keeps at most 64 labels, app among them', () => {
    const many = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`k${i}`, 'v']));
    const labels = bigQueryLabels(many);
    expect(Object.keys(labels)).toHaveLength(64);
    expect(labels.app).toBe('contrail');
  });
});
