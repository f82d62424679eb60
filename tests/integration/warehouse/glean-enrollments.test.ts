import { readViaMetricsTable } from '../../helpers/read-via-metrics-table.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource, ExposureSignal } from '../../../src/config/analysis-config.js';
import { createDuckDbWarehouse } from '../../../src/warehouse/duckdb/duckdb-warehouse.js';
import { importNdjsonTable } from '../../../src/warehouse/duckdb/import-ndjson-table.js';
import type { EnrollmentsSpec } from '../../../src/warehouse/enrollments-spec.js';
import type { MetricReadSpec } from '../../../src/warehouse/metric-read-spec.js';
import type { Warehouse } from '../../../src/warehouse/warehouse.js';
import { valuesByBranch } from '../../helpers/warehouse-contract.js';

// glean-event enrollments (org_mozilla_firefox.events_stream), the events_stream enrollment-day
// guard and a custom exposure signal, end to end on DuckDB through the dialect layer.
const SLUGS = ['glean-exp', 'glean-signal'];
const tags = JSON.stringify(Object.fromEntries(SLUGS.map((slug) => [slug, { branch: 'x' }])));

function streamEvent(
  client: string,
  ts: string,
  category: string,
  name: string,
  extra: object,
  tagged = true,
) {
  return {
    client_id: client,
    profile_group_id: `${client}-group`,
    submission_timestamp: ts,
    event_category: category,
    event_name: name,
    event_extra: JSON.stringify(extra),
    experiments: tagged ? tags : '{}',
    sample_id: 1,
  };
}

function nimbus(client: string, ts: string, name: string, branch: string) {
  return SLUGS.map((experiment) =>
    streamEvent(client, ts, 'nimbus_events', name, { experiment, branch }),
  );
}

const ROWS = [
  ...nimbus('g1', '2024-05-01 10:00:00', 'enrollment', 'control'),
  ...nimbus('g1', '2024-05-02 10:00:00', 'exposure', 'control'),
  ...nimbus('g2', '2024-05-02 09:00:00', 'enrollment', 'treatment'),
  streamEvent('g3', '2024-05-01 09:00:00', 'nimbus_events', 'enrollment', {
    experiment: 'other',
    branch: 'control',
  }),
  streamEvent('g1', '2024-05-01 08:00:00', 'ui', 'click', {}, false), // before enrolling: guarded out
  streamEvent('g1', '2024-05-01 11:00:00', 'ui', 'click', {}),
  streamEvent('g1', '2024-05-03 11:00:00', 'ui', 'click', {}),
  streamEvent('g2', '2024-05-02 11:00:00', 'ui', 'click', {}),
  streamEvent('g2', '2024-05-09 11:00:00', 'ui', 'click', {}), // outside week 1
];

const UI_EVENTS: DataSource = {
  name: 'ui_events',
  fromExpression: `(
    SELECT client_id, profile_group_id, DATE(submission_timestamp) AS submission_date, experiments, event_name
    FROM \`moz-fx-data-shared-prod.org_mozilla_firefox.events_stream\`
    WHERE event_category = "ui"
  )`,
  clientIdColumn: 'client_id',
  groupIdColumn: 'profile_group_id',
  submissionDateColumn: 'submission_date',
  experimentsColumnType: 'events_stream',
  analysisUnits: ['client_id'],
  friendlyName: null,
  description: null,
};

const CLICKED: ExposureSignal = {
  name: 'clicked',
  selectExpression: "event_name = 'click'",
  dataSource: UI_EVENTS,
  windowStart: null,
  windowEnd: 'analysis_window_end',
  friendlyName: null,
  description: null,
};

function enrollments(slug: string, exposureSignal: ExposureSignal | null = null): EnrollmentsSpec {
  return {
    slug,
    startDate: '2024-05-01',
    enrollmentPeriod: 2,
    branches: ['control', 'treatment'],
    analysisUnit: 'client_id',
    enrollmentsQueryType: 'glean-event',
    appDataset: 'org_mozilla_firefox',
    sampleSize: 50,
    segments: [],
    exposureSignal,
    lastDateOfData: '2024-05-20',
  };
}

function clicks(overrides: Partial<MetricReadSpec>): MetricReadSpec {
  return {
    slug: 'glean-exp',
    analysisUnit: 'client_id',
    startDate: '2024-05-01',
    enrollmentPeriod: 2,
    branches: ['control', 'treatment'],
    basis: 'enrollments',
    window: { start: 0, end: 6 },
    metrics: [
      { name: 'clicks', selectExpression: "COUNTIF(event_name = 'click')", dataSource: UI_EVENTS },
    ],
    segments: [],
    lastDateOfData: '2024-05-20',
    ...overrides,
  };
}

describe('glean-event enrollments on the embedded warehouse', () => {
  let dir: string;
  let warehouse: Warehouse;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'contrail-glean-'));
    const file = path.join(dir, 'events_stream.ndjson');
    await writeFile(file, ROWS.map((row) => JSON.stringify(row)).join('\n'));
    await importNdjsonTable(dir, 'org_mozilla_firefox', 'events_stream', file, {
      columns: {
        client_id: 'VARCHAR',
        profile_group_id: 'VARCHAR',
        submission_timestamp: 'TIMESTAMP',
        event_category: 'VARCHAR',
        event_name: 'VARCHAR',
        event_extra: 'VARCHAR',
        experiments: 'VARCHAR',
        sample_id: 'BIGINT',
      },
    });
    warehouse = await createDuckDbWarehouse({ dir });
  });
  afterAll(async () => {
    await warehouse?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('enrolls from nimbus enrollment events and takes default exposures from exposure events', async () => {
    expect(await warehouse.ensureEnrollments(enrollments('glean-exp'))).toEqual({
      created: true,
      clients: 2,
    });
    const counts = await warehouse.countClients({
      slug: 'glean-exp',
      branches: ['control', 'treatment'],
      segments: [],
    });
    expect(counts.map((c) => `${c.basis}/${c.branch}=${c.clients}`).sort()).toEqual([
      'enrollments/control=1',
      'enrollments/treatment=1',
      'exposures/control=1',
      'exposures/treatment=0',
    ]);
  });

  it('guards the enrollment day with the events_stream experiments JSON', async () => {
    const values = await readViaMetricsTable(warehouse, clicks({}));
    expect(valuesByBranch(values, 'clicks')).toEqual({ control: [2], treatment: [1] });
    const exposed = await readViaMetricsTable(warehouse, clicks({ basis: 'exposures' }));
    expect(valuesByBranch(exposed, 'clicks')).toEqual({ control: [1] });
  });

  it('uses a custom exposure signal for the enrollments table and the exposures basis', async () => {
    const spec = enrollments('glean-signal', CLICKED);
    expect(await warehouse.ensureEnrollments(spec)).toEqual({ created: true, clients: 2 });
    const counts = await warehouse.countClients({
      slug: 'glean-signal',
      branches: ['control', 'treatment'],
      segments: [],
      bases: ['exposures'],
    });
    expect(counts.map((c) => `${c.branch}=${c.clients}`)).toEqual(['control=1', 'treatment=1']);
    const values = await readViaMetricsTable(
      warehouse,
      clicks({ slug: 'glean-signal', basis: 'exposures', exposureSignal: CLICKED }),
    );
    expect(valuesByBranch(values, 'clicks')).toEqual({ control: [2], treatment: [1] });
  });
});
