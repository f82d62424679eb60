import type { DataSource } from '../../../../src/config/analysis-config.js';
import type { EnrollmentsSpec } from '../../../../src/warehouse/enrollments-spec.js';
import type { MetricReadSpec } from '../../../../src/warehouse/metric-read-spec.js';

/** Specs over `CONTRACT_TELEMETRY` (tests/helpers/warehouse-contract.ts) for adapter tests. */

/** The contract's experiment. */
export const SLUG = 'contract-exp';

/** The contract's `clients_daily` data source. */
export const CLIENTS_DAILY: DataSource = {
  name: 'clients_daily',
  fromExpression: 'mozdata.telemetry.clients_daily',
  clientIdColumn: 'client_id',
  groupIdColumn: 'profile_group_id',
  submissionDateColumn: 'submission_date',
  experimentsColumnType: 'simple',
  analysisUnits: ['client_id', 'profile_group_id'],
  friendlyName: null,
  description: null,
};

/** The contract experiment's enrollments (two branches, no segments), with overrides. */
export function enrollmentsSpec(overrides: Partial<EnrollmentsSpec> = {}): EnrollmentsSpec {
  return {
    slug: SLUG,
    startDate: '2024-01-01',
    enrollmentPeriod: 2,
    branches: ['control', 'treatment'],
    analysisUnit: 'client_id',
    enrollmentsQueryType: 'normandy',
    sampleSize: 50,
    segments: [],
    lastDateOfData: '2024-01-20',
    ...overrides,
  };
}

/** Week-1 `active_hours` of the contract experiment, with overrides. */
export function metricSpec(overrides: Partial<MetricReadSpec> = {}): MetricReadSpec {
  return {
    slug: SLUG,
    analysisUnit: 'client_id',
    startDate: '2024-01-01',
    enrollmentPeriod: 2,
    branches: ['control', 'treatment'],
    basis: 'enrollments',
    window: { start: 0, end: 6 },
    metrics: [
      {
        name: 'active_hours',
        selectExpression: 'COALESCE(SUM(active_hours_sum), 0)',
        dataSource: CLIENTS_DAILY,
      },
    ],
    segments: [],
    lastDateOfData: '2024-01-20',
    ...overrides,
  };
}
