import { enrollmentsTableName } from '../../analysis/table-names.js';
import type { AnalysisBasis } from '../../analysis/analysis-period.js';
import type { AnalysisUnit, ExposureSignal } from '../../config/analysis-config.js';
import type { DayWindow } from '../metric-read-spec.js';
import { columnName } from './column-path.js';
import { dayOffset } from './day-offset.js';
import { customExposuresQuery } from './exposures-query.js';
import type { TableNamer } from './table-namer.js';

/** Who is analysed in one window and basis. */
export interface PopulationSpec {
  readonly slug: string;
  readonly analysisUnit: AnalysisUnit;
  readonly basis: AnalysisBasis;
  /** The analysis window (a custom exposure signal is evaluated over it). */
  readonly window: DayWindow;
  /** Segment columns of the enrollments table carried along. */
  readonly segments: readonly string[];
  readonly exposureSignal?: ExposureSignal | null;
}

/** Name of the `index`-th segment column carried through `anchors` (unlikely to collide). */
export function carriedSegment(index: number): string {
  return `contrail_segment_${index}`;
}

/**
 * The CTEs `enrollments`, (`signal_exposures`,) `population` and `anchors`: the clients analysed
 * in a window — every enrolled client; on the exposures basis the exposed ones (with a custom
 * signal, those with ≥ 1 signal event in the window) — with their dates, exposure count and the
 * segment columns (carried in `anchors` as `contrail_segment_<i>`). Each CTE name ends in
 * `suffix`, so several populations fit in one query.
 */
export function populationCtes(spec: PopulationSpec, tables: TableNamer, suffix = ''): string[] {
  const enrollments = `enrollments${suffix}`;
  const signalExposures = `signal_exposures${suffix}`;
  const population = `population${suffix}`;
  const anchors = `anchors${suffix}`;
  const table = tables.result(enrollmentsTableName(spec.slug));
  const segmentColumns = spec.segments.map((s) => `, e.${columnName(s, 'segment name')}`).join('');
  const exposedOnly =
    spec.basis === 'exposures' && !spec.exposureSignal ? '\n  AND e.exposure_date IS NOT NULL' : '';
  const ctes = [
    `${enrollments} AS (
SELECT e.analysis_id, e.branch, e.enrollment_date, e.exposure_date, e.num_exposure_events${segmentColumns}
FROM ${table} e
WHERE e.branch IS NOT NULL${exposedOnly}
)`,
  ];
  if (spec.basis === 'exposures' && spec.exposureSignal) {
    const signal = customExposuresQuery({
      signal: spec.exposureSignal,
      analysisUnit: spec.analysisUnit,
      enrollmentsCte: enrollments,
      window: {
        analysisWindowStart: dayOffset('e.enrollment_date', spec.window.start),
        analysisWindowEnd: dayOffset('e.enrollment_date', spec.window.end),
      },
    });
    ctes.push(`${signalExposures} AS (\n${signal}\n)`);
    ctes.push(`${population} AS (
SELECT e.*
FROM ${enrollments} e
JOIN ${signalExposures} s ON s.analysis_id = e.analysis_id AND s.branch = e.branch
)`);
  } else {
    ctes.push(`${population} AS (\nSELECT * FROM ${enrollments}\n)`);
  }
  const carried = spec.segments
    .map((s, index) => `, ${columnName(s, 'segment name')} AS ${carriedSegment(index)}`)
    .join('');
  ctes.push(
    `${anchors} AS (\nSELECT analysis_id, branch, enrollment_date, exposure_date${carried} FROM ${population}\n)`,
  );
  return ctes;
}
