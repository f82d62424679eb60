import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';

import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ExportJob } from '../../../../src/queue/job-payloads.js';
import type { StatisticRow } from '../../../../src/stats/statistic-row.js';
import { createDuckDbWarehouse } from '../../../../src/warehouse/duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { createExportProcessor } from '../../../../src/worker/export-processor.js';
import { createFolderExportTarget } from '../../../../src/worker/export-target.js';

const SCHEMA_FILE = path.resolve(
  import.meta.dirname,
  '../../../../../shared/fixtures/jetstream/Metadata_v1.0.json',
);

function countRow(
  branch: string,
  point: number,
  segment = 'all',
  basis: StatisticRow['analysis_basis'] = 'enrollments',
): StatisticRow {
  return {
    metric: 'identity',
    statistic: 'count',
    parameter: null,
    branch,
    comparison: null,
    comparison_to_branch: null,
    ci_width: null,
    point,
    lower: null,
    upper: null,
    segment,
    analysis_basis: basis,
  };
}

function exportJob(slug: string): ExportJob {
  return {
    kind: 'export',
    id: `export.${slug}.2026-03-01`,
    experiment: slug,
    date: '2026-03-01',
    branches: [
      { slug: 'control', ratio: 1 },
      { slug: 'treatment', ratio: 1 },
    ],
    referenceBranch: 'control',
    metrics: {},
    outcomes: [],
    externalConfig: null,
    isPrivate: false,
  };
}

describe('export: sample ratio mismatch in the metadata', () => {
  let dir: string;
  let warehouse: Warehouse;
  const logLines: string[] = [];
  const logger = pino(
    { level: 'warn' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    }),
  );

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'contrail-export-srm-'));
    warehouse = await createDuckDbWarehouse({ dir: path.join(dir, 'warehouse') });
    const meta = { labels: { schema_version: '4' }, description: 'x' };
    // week: windows 1 and 2; the latest (2) is imbalanced 72 / 134 (scipy p = 1.562e-5)
    await warehouse.replaceStatistics(
      'statistics_srm_demo_week_1',
      [countRow('control', 100), countRow('treatment', 101)],
      meta,
    );
    await warehouse.replaceStatistics(
      'statistics_srm_demo_week_2',
      [
        countRow('control', 72),
        countRow('treatment', 134),
        // other segments and bases are not tested
        countRow('control', 1, 'us'),
        countRow('treatment', 90, 'all', 'exposures'),
      ],
      meta,
    );
    // day: balanced
    await warehouse.replaceStatistics(
      'statistics_srm_demo_day_7',
      [countRow('control', 500), countRow('treatment', 520)],
      meta,
    );
  });

  afterAll(async () => {
    await warehouse.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('tests each period, validates against Metadata_v1.0 and logs the mismatch', async () => {
    const exportsDir = path.join(dir, 'exports');
    const processor = createExportProcessor({
      warehouse,
      target: createFolderExportTarget(exportsDir),
      now: () => new Date('2026-03-02T03:00:00Z'),
      logger,
    });
    await processor(exportJob('srm-demo'));
    const metadata = JSON.parse(
      readFileSync(path.join(exportsDir, 'metadata/metadata_srm_demo.json'), 'utf8'),
    ) as { sample_ratio_mismatch: Record<string, Record<string, unknown>> };

    const ajv = new Ajv({ strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object);
    expect(validate(metadata), JSON.stringify(validate.errors)).toBe(true);

    const week = metadata.sample_ratio_mismatch['week']!;
    expect(week['window_index']).toBe(2);
    expect(week['chi_square']).toBeCloseTo(18.660194174757283, 9);
    expect((week['p_value'] as number) / 1.5620981879329473e-5).toBeCloseTo(1, 6);
    expect(week['mismatch']).toBe(true);
    expect(week['branches']).toEqual({
      control: { ratio: 1, observed: 72, expected: 103 },
      treatment: { ratio: 1, observed: 134, expected: 103 },
    });
    const day = metadata.sample_ratio_mismatch['day']!;
    expect(day['mismatch']).toBe(false);
    expect(day['p_value']).toBeGreaterThan(0.001);

    const warnings = logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ experiment: 'srm-demo', period: 'week', windowIndex: 2 });
    expect(String(warnings[0]!['msg'])).toMatch(
      /sample ratio mismatch.*control 72 \(expected 103\.0\)/,
    );
  });
});
