import type { StatisticRow } from '../../../../src/stats/statistic-row.js';

/** A statistics row with defaults (segment all, enrollments basis, 95% interval). */
export function statRow(
  fields: Partial<StatisticRow> & Pick<StatisticRow, 'metric' | 'branch'>,
): StatisticRow {
  return {
    statistic: 'mean',
    parameter: null,
    comparison: null,
    comparison_to_branch: null,
    ci_width: 0.95,
    point: 1,
    lower: 0.5,
    upper: 1.5,
    segment: 'all',
    analysis_basis: 'enrollments',
    ...fields,
  };
}

/** Individual rows plus every pairwise comparison (both directions) of one statistic. */
export function comparedRows(
  metric: string,
  branches: readonly string[],
  options: {
    statistic?: string;
    parameter?: string | null;
    segment?: string;
    effect?: number;
  } = {},
): StatisticRow[] {
  const base = {
    metric,
    statistic: options.statistic ?? 'mean',
    parameter: options.parameter ?? null,
    segment: options.segment ?? 'all',
  };
  const rows: StatisticRow[] = branches.map((branch, i) =>
    statRow({ ...base, branch, point: 10 + i, lower: 9 + i, upper: 11 + i }),
  );
  const effect = options.effect ?? 0.1;
  for (const branch of branches) {
    for (const reference of branches) {
      if (branch === reference) continue;
      const sign = branches.indexOf(branch) > branches.indexOf(reference) ? 1 : -1;
      for (const comparison of ['difference', 'relative_uplift'] as const) {
        const scale = comparison === 'difference' ? 10 : 1;
        rows.push(
          statRow({
            ...base,
            branch,
            comparison,
            comparison_to_branch: reference,
            point: sign * effect * scale,
            lower: sign * (effect - 0.05) * scale,
            upper: sign * (effect + 0.05) * scale,
          }),
        );
      }
    }
  }
  return rows;
}

/** The identity/count rows finalize writes. */
export function identityRows(
  counts: Readonly<Record<string, number>>,
  segment = 'all',
  basis: StatisticRow['analysis_basis'] = 'enrollments',
): StatisticRow[] {
  return Object.entries(counts).map(([branch, point]) =>
    statRow({
      metric: 'identity',
      statistic: 'count',
      branch,
      point,
      lower: null,
      upper: null,
      ci_width: null,
      segment,
      analysis_basis: basis,
    }),
  );
}
