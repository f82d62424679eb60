import { describe, expect, it } from 'vitest';
import {
  isLoopbackEndpoint,
  staticTokenAuthClient,
} from '../../../../src/warehouse/bigquery/bigquery-context.js';
import { numericParameter } from '../../../../src/warehouse/bigquery/bigquery-statistics.js';
import { parseLogsTable } from '../../../../src/warehouse/bigquery/logs-table.js';

describe('BigQuery adapter helpers', () => {
  it('stores parameters as NUMERIC-ready decimals', () => {
    expect(numericParameter(null, 0)).toBeNull();
    expect(numericParameter('0.5', 0)).toBe('0.5');
    expect(numericParameter('13.0', 0)).toBe('13.0');
    expect(numericParameter('1e-05', 0)).toBe('0.00001');
    expect(numericParameter('2.5e+16', 0)).toBe('25000000000000000');
    expect(() => numericParameter('0.1 ', 3)).not.toThrow();
    expect(() => numericParameter('p10', 3)).toThrow(/statistics row 3: parameter "p10"/);
    expect(() => numericParameter('inf', 0)).toThrow(/NUMERIC/);
    expect(() => numericParameter('', 0)).toThrow(/NUMERIC/);
  });

  it('parses logs table names with and without project', () => {
    expect(parseLogsTable('monitoring.logs', 'my-project')).toEqual({
      projectId: 'my-project',
      dataset: 'monitoring',
      table: 'logs',
    });
    expect(parseLogsTable('moz-fx-data-experiments.monitoring.logs', 'p-1')).toMatchObject({
      projectId: 'moz-fx-data-experiments',
    });
    expect(() => parseLogsTable('logs', 'p-1')).toThrow(/not dataset.table/);
    expect(() => parseLogsTable('a.b.c.d', 'p-1')).toThrow(/not dataset.table/);
    expect(() => parseLogsTable('monitoring.lo gs', 'p-1')).toThrow(/logs table name/);
    expect(() => parseLogsTable('Bad_Project.d.t', 'p-1')).toThrow(/project id/);
  });

  it('recognises loopback endpoints only', () => {
    expect(isLoopbackEndpoint('http://127.0.0.1:9050')).toBe(true);
    expect(isLoopbackEndpoint('http://localhost:1')).toBe(true);
    expect(isLoopbackEndpoint('http://[::1]:1')).toBe(true);
    expect(isLoopbackEndpoint('https://bigquery.googleapis.com')).toBe(false);
    expect(isLoopbackEndpoint('not a url')).toBe(false);
    expect(isLoopbackEndpoint(undefined)).toBe(false);
  });

  it('gives a placeholder token that never expires or refreshes', async () => {
    const client = staticTokenAuthClient('local');
    const headers = await client.getRequestHeaders();
    expect(headers.get('authorization')).toBe('Bearer local');
    expect(client.credentials.expiry_date).toBeUndefined();
  });
});
