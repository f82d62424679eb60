import type {
  DataSource,
  ExposureSignal,
  Segment,
} from '../../../../src/config/analysis-config.js';
import type { EnrollmentsSpec } from '../../../../src/warehouse/enrollments-spec.js';
import type { MetricReadSpec } from '../../../../src/warehouse/metric-read-spec.js';

/** Factories for builder inputs, with overrides. */
export function dataSource(overrides: Partial<DataSource> = {}): DataSource {
  return {
    name: 'clients_daily',
    fromExpression: 'mozdata.telemetry.clients_daily',
    clientIdColumn: 'client_id',
    groupIdColumn: 'profile_group_id',
    submissionDateColumn: 'submission_date',
    experimentsColumnType: 'simple',
    analysisUnits: ['client_id', 'profile_group_id'],
    friendlyName: null,
    description: null,
    ...overrides,
  };
}

export function segment(name: string, windowEnd = 0, source = 'clients_last_seen'): Segment {
  return {
    name,
    selectExpression: `COALESCE(LOGICAL_OR(${name}_flag), FALSE)`,
    dataSource: {
      name: source,
      fromExpression: `mozdata.telemetry.${source}`,
      clientIdColumn: 'client_id',
      submissionDateColumn: 'submission_date',
      windowStart: 0,
      windowEnd,
    },
    friendlyName: null,
    description: null,
  };
}

export function exposureSignal(overrides: Partial<ExposureSignal> = {}): ExposureSignal {
  return {
    name: 'opened_feature',
    selectExpression: 'feature_opened > 0',
    dataSource: dataSource({
      name: 'feature_usage',
      fromExpression: 'mozdata.telemetry.feature_usage',
    }),
    windowStart: null,
    windowEnd: null,
    friendlyName: null,
    description: null,
    ...overrides,
  };
}

export function enrollmentsSpec(overrides: Partial<EnrollmentsSpec> = {}): EnrollmentsSpec {
  return {
    slug: 'my-experiment',
    startDate: '2024-03-01',
    enrollmentPeriod: 7,
    branches: ['control', 'treatment'],
    analysisUnit: 'client_id',
    enrollmentsQueryType: 'normandy',
    segments: [],
    lastDateOfData: '2024-03-20',
    ...overrides,
  };
}

export function metricSpec(overrides: Partial<MetricReadSpec> = {}): MetricReadSpec {
  return {
    slug: 'my-experiment',
    analysisUnit: 'client_id',
    startDate: '2024-03-01',
    enrollmentPeriod: 7,
    branches: ['control', 'treatment'],
    basis: 'enrollments',
    window: { start: 0, end: 6 },
    metrics: [
      {
        name: 'active_hours',
        selectExpression: 'COALESCE(SUM(active_hours_sum), 0)',
        dataSource: dataSource(),
      },
    ],
    segments: [],
    lastDateOfData: '2024-03-31',
    ...overrides,
  };
}
