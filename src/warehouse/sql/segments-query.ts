import type { AnalysisUnit, Segment } from '../../config/analysis-config.js';
import { columnName, columnPath } from './column-path.js';
import { dateParam, dayOffset } from './day-offset.js';

/** Segments that share one data source and window: one aggregated subquery. */
export interface SegmentGroup {
  readonly segments: readonly Segment[];
}

/** Groups segments by (data source, window start, window end), keeping first-seen order. */
export function groupSegments(segments: readonly Segment[]): SegmentGroup[] {
  const groups = new Map<string, Segment[]>();
  for (const segment of segments) {
    const source = segment.dataSource;
    const key = `${source.name}\u0000${source.windowStart}\u0000${source.windowEnd}`;
    const group = groups.get(key);
    if (group) group.push(segment);
    else groups.set(key, [segment]);
  }
  return [...groups.values()].map((group) => ({ segments: group }));
}

/**
 * One segment group's BOOL columns per enrolled client (CTE `enrollmentsCte`): each segment's
 * aggregate over its data source's rows in `[windowStart, windowEnd]` days around the client's
 * enrollment (spec/analysis.md §1.7). Segment data sources are joined on their client id column
 * (`profile_group_id` for the profile-group unit).
 */
export function segmentGroupQuery(
  group: SegmentGroup,
  options: { readonly analysisUnit: AnalysisUnit; readonly enrollmentsCte: string },
): string {
  const first = group.segments[0];
  if (!first) throw new RangeError('a segment group needs at least one segment');
  const source = first.dataSource;
  const id = columnPath(
    'ds',
    options.analysisUnit === 'client_id' ? source.clientIdColumn : 'profile_group_id',
  );
  const date = columnPath('ds', source.submissionDateColumn);
  const columns = group.segments
    .map(
      (segment) => `  ${segment.selectExpression} AS ${columnName(segment.name, 'segment name')}`,
    )
    .join(',\n');
  return `SELECT
  e.analysis_id,
  e.branch,
${columns}
FROM ${options.enrollmentsCte} e
LEFT JOIN ${source.fromExpression} ds
  ON ${id} = e.analysis_id
  AND ${date} BETWEEN ${dayOffset('e.enrollment_date', source.windowStart)} AND ${dayOffset('e.enrollment_date', source.windowEnd)}
  AND ${date} <= ${dateParam('last_date')}
GROUP BY e.analysis_id, e.branch`;
}
