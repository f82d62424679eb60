import type { DataSource } from '../../src/config/analysis-config.js';

/** A resolved metric-hub data source like `clients_daily`, for tests that build payloads by hand. */
export function dataSourceFixture(name = 'clients_daily'): DataSource {
  return {
    name,
    fromExpression: `mozdata.telemetry.${name}`,
    clientIdColumn: 'client_id',
    groupIdColumn: 'profile_group_id',
    submissionDateColumn: 'submission_date',
    experimentsColumnType: 'simple',
    analysisUnits: ['client_id'],
    friendlyName: null,
    description: null,
  };
}
