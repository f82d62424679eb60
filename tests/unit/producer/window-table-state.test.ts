import { describe, expect, it } from 'vitest';

import { statisticsTableDescription } from '../../../src/analysis/statistics-table-description.js';
import { windowTableState } from '../../../src/producer/window-table-state.js';
import type { TableInfo } from '../../../src/warehouse/table-info.js';

const HASH = 'a'.repeat(32);

function table(labels: Record<string, string>, description = ''): TableInfo {
  return { name: 'statistics_x_week_1', kind: 'statistics', labels, description, rows: 10 };
}

describe('windowTableState', () => {
  it('is done only for a complete table of the current configuration', () => {
    expect(windowTableState(null, HASH)).toEqual({ state: 'missing' });
    const complete = { contrail_complete: 'true', contrail_config: HASH };
    expect(windowTableState(table(complete), HASH)).toEqual({ state: 'done' });
    expect(windowTableState(table(complete), 'b'.repeat(32))).toEqual({ state: 'outdated' });
    // Written before the hash was recorded: taken as the current configuration.
    expect(windowTableState(table({ contrail_complete: 'true' }), HASH)).toEqual({
      state: 'done',
    });
  });

  it('lists the failed metrics an incomplete table records, or says it does not know them', () => {
    const description = statisticsTableDescription({
      experiment: 'x',
      failedMetrics: ['search_count', 'ad_clicks'],
    });
    const incomplete = { contrail_complete: 'false', contrail_config: HASH };
    expect(windowTableState(table(incomplete, description), HASH)).toEqual({
      state: 'failed',
      failedMetrics: ['ad_clicks', 'search_count'],
    });
    expect(windowTableState(table(incomplete, 'x'), HASH)).toEqual({
      state: 'failed',
      failedMetrics: null,
    });
  });
});
