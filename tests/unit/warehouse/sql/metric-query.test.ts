import { describe, expect, it } from 'vitest';
import type { ExperimentsColumnType } from '../../../../src/config/analysis-config.js';
import { UnsafeIdentifierError } from '../../../../src/analysis/unsafe-identifier-error.js';
import { buildMetricQuery } from '../../../../src/warehouse/sql/metric-query.js';
import { datasetTableNamer } from '../../../../src/warehouse/sql/table-namer.js';
import { dataSource, exposureSignal, metricSpec } from './fixtures.js';

const tables = datasetTableNamer('contrail');

describe('buildMetricQuery', () => {
  it('LEFT JOINs the data source per enrolled client over the window, anchored on enrollment', () => {
    const { query, columns } = buildMetricQuery(metricSpec(), tables);
    expect(query.sql).toContain('FROM `contrail`.`enrollments_my_experiment` e');
    expect(query.sql).toContain('JOIN mozdata.telemetry.clients_daily ds');
    // matching rows are joined back to every enrolled client on equalities only (hash-joinable)
    expect(query.sql).toContain(
      'ON ds.__contrail_analysis_id = e.analysis_id AND ds.__contrail_branch = e.branch',
    );
    expect(query.sql).toContain('ds.`client_id` = e.analysis_id');
    expect(query.sql).toContain(
      'ds.`submission_date` BETWEEN e.enrollment_date AND DATE_ADD(e.enrollment_date, INTERVAL (6) DAY)',
    );
    expect(query.sql).toContain('COALESCE(SUM(active_hours_sum), 0) AS `active_hours`');
    expect(query.sql).toMatch(/FROM ds_0 p\nORDER BY p.analysis_id, p.branch$/); // one source: no join back to the population
    expect(query.sql).not.toContain('exposure_date IS NOT NULL');
    expect(columns).toEqual({ values: ['active_hours'], segments: [] });
  });

  it('binds the branches, the slug and the data range (capped at the last day of data)', () => {
    const { query } = buildMetricQuery(metricSpec({ lastDateOfData: '2024-03-10' }), tables);
    expect(query.sql).toContain(
      'CASE p.branch WHEN @branch_0 THEN 0 WHEN @branch_1 THEN 1 ELSE -1 END AS branch_index',
    );
    expect(query.params).toEqual({
      branch_0: 'control',
      branch_1: 'treatment',
      slug: 'my-experiment',
      data_start: '2024-03-01',
      data_end: '2024-03-10',
    });
    const uncapped = buildMetricQuery(metricSpec(), tables).query.params;
    expect(uncapped.data_end).toBe('2024-03-14');
  });

  const guards: Array<[ExperimentsColumnType, string | null]> = [
    ['simple', 'mozfun.map.get_key(ds.experiments, @slug) IS NOT NULL'],
    ['native', 'mozfun.map.get_key(ds.environment.experiments, @slug).branch IS NOT NULL'],
    ['glean', 'mozfun.map.get_key(ds.ping_info.experiments, @slug).branch IS NOT NULL'],
    ['events_stream', `JSON_VALUE(ds.experiments, '$."my-experiment".branch') IS NOT NULL`],
    ['none', null],
  ];
  it.each(guards)(
    'applies the enrollment-day guard for experiments_column_type %s',
    (type, tagged) => {
      const spec = metricSpec();
      const metric = {
        ...spec.metrics[0]!,
        dataSource: dataSource({ experimentsColumnType: type }),
      };
      const { sql } = buildMetricQuery({ ...spec, metrics: [metric] }, tables).query;
      if (tagged === null) {
        expect(sql).not.toContain('!= e.enrollment_date');
      } else {
        expect(sql).toContain(`AND (ds.\`submission_date\` != e.enrollment_date OR ${tagged})`);
      }
    },
  );

  it('anchors on exposure_date and keeps exposed clients only on the exposures basis', () => {
    const { sql } = buildMetricQuery(metricSpec({ basis: 'exposures' }), tables).query;
    expect(sql).toContain('AND e.exposure_date IS NOT NULL');
    expect(sql).toContain(
      'BETWEEN e.exposure_date AND DATE_ADD(e.exposure_date, INTERVAL (6) DAY)',
    );
  });

  it('recomputes a custom exposure signal over the window and keeps clients with ≥ 1 event', () => {
    const signal = exposureSignal({
      windowStart: 'analysis_window_start',
      windowEnd: 'analysis_window_end',
    });
    const { sql } = buildMetricQuery(
      metricSpec({ basis: 'exposures', exposureSignal: signal }),
      tables,
    ).query;
    expect(sql).toContain('signal_exposures AS (');
    expect(sql).toContain('JOIN signal_exposures s ON s.analysis_id = e.analysis_id');
    expect(sql).not.toContain('AND e.exposure_date IS NOT NULL');
    expect(sql).toContain(
      'BETWEEN e.enrollment_date AND DATE_ADD(e.enrollment_date, INTERVAL (6) DAY)',
    );
    const enrollmentsBasis = buildMetricQuery(metricSpec({ exposureSignal: signal }), tables).query
      .sql;
    expect(enrollmentsBasis).not.toContain('signal_exposures');
  });

  it('adds <metric>_pre over the covariate window, anchored on enrollment, in the same query', () => {
    const spec = metricSpec({ basis: 'exposures', covariateWindow: { start: -28, end: -1 } });
    const { query, columns } = buildMetricQuery(spec, tables);
    expect(columns.values).toEqual(['active_hours', 'active_hours_pre']);
    expect(query.sql).toContain('AS `active_hours_pre`');
    expect(query.sql).toContain(
      'BETWEEN DATE_ADD(e.enrollment_date, INTERVAL (-28) DAY) AND DATE_ADD(e.enrollment_date, INTERVAL (-1) DAY)',
    );
    expect(query.sql).toContain('LEFT JOIN ds_0_pre ON');
    expect(query.params.data_start).toBe('2024-02-02');
  });

  it('groups metrics by data source and returns segment columns', () => {
    const spec = metricSpec();
    const searches = dataSource({
      name: 'search',
      fromExpression: '(SELECT * FROM mozdata.search.daily)',
    });
    const metrics = [
      spec.metrics[0]!,
      { name: 'uri_count', selectExpression: 'SUM(uri)', dataSource: dataSource() },
      { name: 'searches', selectExpression: 'SUM(sap)', dataSource: searches },
    ];
    const { query, columns } = buildMetricQuery(
      { ...spec, metrics, segments: ['regular'] },
      tables,
    );
    expect(query.sql.match(/^ds_\d+ AS \(/gm)).toEqual(['ds_0 AS (', 'ds_1 AS (']);
    expect(query.sql).toContain('JOIN (SELECT * FROM mozdata.search.daily) ds');
    expect(query.sql).toContain('ds_1.`searches`');
    expect(query.sql).toContain('FROM ds_0 p\nLEFT JOIN ds_1 ON ds_1.analysis_id = p.analysis_id');
    expect(query.sql).toContain('regular` AS contrail_segment_0 FROM population');
    expect(query.sql).toContain('GROUP BY e.analysis_id, e.branch, e.contrail_segment_0');
    expect(query.sql).toContain('p.contrail_segment_0 AS `regular`');
    expect(columns).toEqual({
      values: ['active_hours', 'uri_count', 'searches'],
      segments: ['regular'],
    });
  });

  it('joins on the group id column for the profile-group unit', () => {
    const spec = metricSpec({ analysisUnit: 'profile_group_id' });
    const metric = {
      ...spec.metrics[0]!,
      dataSource: dataSource({ groupIdColumn: 'metrics.uuid.group' }),
    };
    const { sql } = buildMetricQuery({ ...spec, metrics: [metric] }, tables).query;
    expect(sql).toContain('ds.`metrics`.`uuid`.`group` = e.analysis_id');
  });

  it('rejects bad names, duplicate metrics, empty metric lists and bad windows', () => {
    const spec = metricSpec();
    const metric = spec.metrics[0]!;
    expect(() => buildMetricQuery({ ...spec, slug: 'a b' }, tables)).toThrow(UnsafeIdentifierError);
    expect(() =>
      buildMetricQuery({ ...spec, metrics: [{ ...metric, name: 'x-y' }] }, tables),
    ).toThrow(/metric name/);
    expect(() => buildMetricQuery({ ...spec, segments: ['1=1 OR x'] }, tables)).toThrow(
      /segment name/,
    );
    expect(() =>
      buildMetricQuery(
        { ...spec, metrics: [{ ...metric, dataSource: dataSource({ clientIdColumn: 'id; --' }) }] },
        tables,
      ),
    ).toThrow(UnsafeIdentifierError);
    expect(() => buildMetricQuery({ ...spec, metrics: [metric, metric] }, tables)).toThrow(
      /duplicate/,
    );
    expect(() => buildMetricQuery({ ...spec, metrics: [] }, tables)).toThrow(/at least one metric/);
    expect(() => buildMetricQuery({ ...spec, window: { start: 3, end: 1 } }, tables)).toThrow(
      /window/,
    );
    expect(() => buildMetricQuery({ ...spec, window: { start: 0.5, end: 1 } }, tables)).toThrow(
      /whole days/,
    );
  });
});
