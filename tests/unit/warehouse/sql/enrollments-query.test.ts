import { describe, expect, it } from 'vitest';
import { UnsafeIdentifierError } from '../../../../src/analysis/unsafe-identifier-error.js';
import { buildEnrollmentsQuery } from '../../../../src/warehouse/sql/enrollments-query.js';
import {
  bigQueryTableNamer,
  datasetTableNamer,
} from '../../../../src/warehouse/sql/table-namer.js';
import { UnsupportedEnrollmentsQueryError } from '../../../../src/warehouse/warehouse-errors.js';
import { enrollmentsSpec, exposureSignal, segment } from './fixtures.js';

const tables = datasetTableNamer('contrail');

describe('buildEnrollmentsQuery', () => {
  it('reads normandy enroll events of the slug within the enrollment dates, slug bound', () => {
    const { sql, params } = buildEnrollmentsQuery(enrollmentsSpec(), tables);
    expect(sql).toContain('FROM `telemetry`.`events` ev');
    expect(sql).toContain("ev.event_category = 'normandy'");
    expect(sql).toContain("ev.event_method = 'enroll'");
    expect(sql).toContain('ev.event_string_value = @slug');
    expect(sql).not.toContain('my-experiment');
    expect(sql).not.toContain('sample_id');
    expect(params).toEqual({
      slug: 'my-experiment',
      enrollment_start: '2024-03-01',
      enrollment_end: '2024-03-08',
    });
  });

  it('caps the enrollment dates at the last day of data and filters sample_id when sampling', () => {
    const { sql, params } = buildEnrollmentsQuery(
      enrollmentsSpec({ lastDateOfData: '2024-03-04', sampleSize: 10 }),
      tables,
    );
    expect(params.enrollment_end).toBe('2024-03-04');
    expect(params.sample_size).toBe(10);
    expect(sql).toContain('ev.sample_id < @sample_size');
  });

  it('keys enrollments by the analysis unit', () => {
    const { sql } = buildEnrollmentsQuery(
      enrollmentsSpec({ analysisUnit: 'profile_group_id' }),
      tables,
    );
    expect(sql).toContain('ev.`profile_group_id` AS analysis_id');
  });

  it('adds default normandy exposures on or after enrollment, in the client’s branch', () => {
    const { sql } = buildEnrollmentsQuery(enrollmentsSpec(), tables);
    expect(sql).toContain("ev.event_method IN ('expose', 'exposure')");
    expect(sql).toContain('ev.submission_date >= e.enrollment_date');
    expect(sql).toContain("mozfun.map.get_key(ev.event_map_values, 'branchSlug') = e.branch");
    expect(sql).toMatch(
      /LEFT JOIN exposures x ON x.analysis_id = e.analysis_id AND x.branch = e.branch/,
    );
  });

  it('reads Glean nimbus events from the app’s events_stream for glean-event', () => {
    const spec = enrollmentsSpec({
      enrollmentsQueryType: 'glean-event',
      appDataset: 'org_mozilla_firefox',
    });
    const { sql } = buildEnrollmentsQuery(spec, tables);
    expect(sql).toContain('FROM `org_mozilla_firefox`.`events_stream` ev');
    expect(sql).toContain("ev.event_name = 'enrollment'");
    expect(sql).toContain("JSON_VALUE(ev.event_extra, '$.experiment') = @slug");
    expect(sql).toContain("ev.event_name = 'exposure'");
    expect(() => buildEnrollmentsQuery({ ...spec, appDataset: null }, tables)).toThrow(
      /app dataset/,
    );
    expect(() => buildEnrollmentsQuery({ ...spec, appDataset: 'x; DROP' }, tables)).toThrow(
      UnsafeIdentifierError,
    );
  });

  it('rejects other query types unless a custom enrollment query is given', () => {
    const cirrus = enrollmentsSpec({ enrollmentsQueryType: 'cirrus' });
    expect(() => buildEnrollmentsQuery(cirrus, tables)).toThrow(UnsupportedEnrollmentsQueryError);
    expect(() => buildEnrollmentsQuery(cirrus, tables)).toThrow(/"cirrus"/);
    const custom =
      'SELECT client_id AS analysis_id, branch, DATE(ts) AS enrollment_date, 1 AS num_enrollment_events FROM x';
    const { sql } = buildEnrollmentsQuery({ ...cirrus, enrollmentQuery: custom }, tables);
    expect(sql).toContain(`raw_enrollments AS (\n${custom}\n)`);
    expect(sql).toContain('CAST(NULL AS DATE) AS exposure_date');
  });

  it('joins one aggregated subquery per segment data source and window', () => {
    const spec = enrollmentsSpec({
      segments: [
        segment('regular'),
        segment('new_user'),
        segment('late', 3),
        segment('heavy', 0, 'clients_daily'),
      ],
    });
    const { sql } = buildEnrollmentsQuery(spec, tables);
    expect(sql.match(/LEFT JOIN segment_\d+ ON/g)).toHaveLength(3);
    expect(sql).toContain('segment_0.`regular`');
    expect(sql).toContain('segment_0.`new_user`');
    expect(sql).toContain('segment_1.`late`');
    expect(sql).toContain('DATE_ADD(e.enrollment_date, INTERVAL (3) DAY)');
    expect(sql).toContain('segment_2.`heavy`');
  });

  it('computes a custom exposure signal over its window, keywords resolved', () => {
    const signal = exposureSignal({ windowStart: 'enrollment_start', windowEnd: 14 });
    const { sql } = buildEnrollmentsQuery(enrollmentsSpec({ exposureSignal: signal }), tables);
    expect(sql).toContain('JOIN mozdata.telemetry.feature_usage ds');
    expect(sql).toContain(
      'BETWEEN CAST(@enrollment_start AS DATE) AND DATE_ADD(e.enrollment_date, INTERVAL (14) DAY)',
    );
    expect(sql).toContain('WHERE (feature_opened > 0)');
    expect(sql).not.toContain("'expose'");
  });

  it('validates the slug, segment names and inputs before building anything', () => {
    expect(() =>
      buildEnrollmentsQuery(enrollmentsSpec({ slug: 'x"; DROP TABLE y; --' }), tables),
    ).toThrow(UnsafeIdentifierError);
    const badSegment = { ...segment('ok'), name: 'a b' };
    expect(() =>
      buildEnrollmentsQuery(enrollmentsSpec({ segments: [badSegment] }), tables),
    ).toThrow(/segment name/);
    expect(() =>
      buildEnrollmentsQuery(enrollmentsSpec({ startDate: '2024-02-30' }), tables),
    ).toThrow(RangeError);
    expect(() => buildEnrollmentsQuery(enrollmentsSpec({ enrollmentPeriod: -1 }), tables)).toThrow(
      /enrollmentPeriod/,
    );
    expect(() => buildEnrollmentsQuery(enrollmentsSpec({ sampleSize: 101 }), tables)).toThrow(
      /sampleSize/,
    );
  });

  it('writes fully qualified BigQuery names with the BigQuery namer', () => {
    const namer = bigQueryTableNamer({ resultProject: 'my-project', resultDataset: 'results' });
    const { sql } = buildEnrollmentsQuery(enrollmentsSpec(), namer);
    expect(sql).toContain('`moz-fx-data-shared-prod.telemetry.events`');
    expect(namer.result('enrollments_x')).toBe('`my-project.results.enrollments_x`');
    expect(() => namer.result('a`b')).toThrow(UnsafeIdentifierError);
  });
});
