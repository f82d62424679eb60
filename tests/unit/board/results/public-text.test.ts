import { describe, expect, it } from 'vitest';

import { publicText } from '../../../../src/board/results/public-text.js';

describe('publicText', () => {
  it('reduces absolute paths to their last segment', () => {
    expect(
      publicText(
        "No magic bytes found at end of file '/tmp/contrail-x/warehouse/.snapshots/1-a/statistics_a_week_4.parquet'",
      ),
    ).toBe("No magic bytes found at end of file 'statistics_a_week_4.parquet'");
    expect(publicText('experiments from /work/main/.contrail/warehouse/experiments.json')).toBe(
      'experiments from experiments.json',
    );
    expect(publicText('cannot read /srv/metric-hub/ (ENOENT)')).toBe(
      'cannot read metric-hub (ENOENT)',
    );
  });

  it('keeps URLs, slugs, ratios and relative names', () => {
    const kept = [
      'https://experimenter.services.mozilla.com/api/v8/experiments/',
      'ratio 1/2 of a/b',
      'window week_2 of tab-groups-srm',
      'definitions/firefox_desktop.toml: unknown data source',
    ];
    for (const text of kept) expect(publicText(text)).toBe(text);
  });

  it('drops stack frames', () => {
    const stack = [
      'Error: view failed',
      '    at readView (/app/dist/warehouse/duckdb/view.js:10:5)',
      '    at async Promise.all (index 0)',
    ].join('\n');
    expect(publicText(stack)).toBe('Error: view failed');
  });
});
