import type { MetricInfo } from './experiment-context.js';
import { renderForestPlot, type ForestPlotRow } from './forest-plot.js';
import {
  formatCount,
  formatInterval,
  formatPercent,
  formatSigned,
  formatValue,
} from './format-value.js';
import { html, type SafeHtml } from './html.js';
import type {
  BranchComparison,
  Estimate,
  MetricResults,
  ResultsSlice,
  StatisticKey,
} from './metric-results.js';
import { significanceOf, type Significance } from './significance.js';

/** What a metric section needs besides the metric's results. */
export interface MetricSectionContext {
  readonly slice: ResultsSlice;
  readonly clients: ReadonlyMap<string, number>;
  /** Position of the metric on the page; makes element ids unique. */
  readonly index: number;
}

/** Statistics with one row per grid point and no comparisons; too long for a page table. */
const DISTRIBUTION_STATISTICS = new Set(['kernel_density_estimate', 'empirical_cdf']);

/** `mean`, `deciles 0.5`. */
export function statisticLabel(key: StatisticKey): string {
  return key.parameter === null ? key.statistic : `${key.statistic} ${key.parameter}`;
}

function sameKey(a: StatisticKey, b: StatisticKey): boolean {
  return a.statistic === b.statistic && a.parameter === b.parameter;
}

/** A comparison's significance: from its relative interval, else its difference interval. */
export function comparisonSignificance(
  comparison: BranchComparison,
  biggerIsBetter: boolean | null,
): Significance {
  const estimate = comparison.relative ?? comparison.difference;
  return significanceOf(estimate?.lower ?? null, estimate?.upper ?? null, biggerIsBetter);
}

function plotRows(
  comparisons: readonly BranchComparison[],
  kind: 'relative_uplift' | 'difference',
  biggerIsBetter: boolean | null,
): ForestPlotRow[] {
  return comparisons.flatMap((c) => {
    const estimate = kind === 'relative_uplift' ? c.relative : c.difference;
    if (estimate === null) return [];
    return [
      {
        label: `${c.branch} \u00b7 ${statisticLabel(c)}`,
        point: estimate.point,
        lower: estimate.lower,
        upper: estimate.upper,
        significance: significanceOf(estimate.lower, estimate.upper, biggerIsBetter),
        data: {
          branch: c.branch,
          statistic: c.statistic,
          parameter: c.parameter ?? '',
          comparison: kind,
        },
      },
    ];
  });
}

function ciLabel(comparisons: readonly BranchComparison[]): string {
  const width = comparisons.find((c) => c.relative?.ciWidth != null)?.relative?.ciWidth;
  return width == null ? 'interval' : `${Math.round(width * 100)}% CI`;
}

function renderPlots(
  comparisons: readonly BranchComparison[],
  info: MetricInfo,
  ctx: MetricSectionContext,
  suffix: string,
): SafeHtml {
  if (comparisons.length === 0) return html``;
  const name = info.friendlyName ?? info.name;
  const against = `against ${ctx.slice.reference}`;
  const ci = ciLabel(comparisons);
  const id = `m${ctx.index}${suffix}`;
  const relative = renderForestPlot({
    id: `${id}-rel`,
    title: `${name}: relative uplift ${against} (${ci})`,
    description: `Relative change of ${name} in each branch ${against}, with its ${ci}.`,
    scale: 'percent',
    rows: plotRows(comparisons, 'relative_uplift', info.biggerIsBetter),
  });
  const difference = renderForestPlot({
    id: `${id}-diff`,
    title: `${name}: difference ${against} (${ci})`,
    description: `Absolute difference of ${name} in each branch ${against}, with its ${ci}.`,
    scale: 'number',
    rows: plotRows(comparisons, 'difference', info.biggerIsBetter),
  });
  return html`<div class="plots">
    <figure>
      <figcaption>Relative uplift ${against} (${ci})</figcaption>
      ${relative}
    </figure>
    <figure>
      <figcaption>Difference ${against} (${ci})</figcaption>
      ${difference}
    </figure>
  </div>`;
}

function estimateCell(estimate: Estimate | null, format: (v: number | null) => string): SafeHtml {
  if (estimate === null) return html`<td class="num">–</td>`;
  return html`<td class="num">
    ${format(estimate.point)}<br /><span class="muted"
      >${formatInterval(estimate.lower, estimate.upper, format)}</span
    >
  </td>`;
}

function tableRow(
  results: MetricResults,
  key: StatisticKey,
  branch: string,
  info: MetricInfo,
  ctx: MetricSectionContext,
): SafeHtml {
  const value = results.values.find((v) => v.branch === branch && sameKey(v, key));
  const comparison = results.comparisons.find((c) => c.branch === branch && sameKey(c, key));
  const isReference = branch === ctx.slice.reference;
  const sig =
    comparison === undefined ? null : comparisonSignificance(comparison, info.biggerIsBetter);
  const verdict =
    sig === null
      ? html`<td class="muted">${isReference ? 'reference' : '–'}</td>`
      : html`<td><span class="badge sig-${sig.verdict}">${sig.label}</span></td>`;
  return html`<tr>
    <th scope="row">${statisticLabel(key)}</th>
    <td>${branch}</td>
    <td class="num">${formatCount(ctx.clients.get(branch) ?? null)}</td>
    ${estimateCell(value?.estimate ?? null, formatValue)}${estimateCell(comparison?.relative ?? null, (v) => formatPercent(v, 2))}${estimateCell(comparison?.difference ?? null, formatSigned)}${verdict}
  </tr>`;
}

function renderTable(
  results: MetricResults,
  keys: readonly StatisticKey[],
  info: MetricInfo,
  ctx: MetricSectionContext,
): SafeHtml {
  const branches = [
    ...new Set([...results.values, ...results.comparisons].map((v) => v.branch)),
  ].sort((a, b) => (a === ctx.slice.reference ? -1 : b === ctx.slice.reference ? 1 : 0));
  const rows = keys.flatMap((key) =>
    branches
      .filter(
        (b) =>
          results.values.some((v) => v.branch === b && sameKey(v, key)) ||
          results.comparisons.some((c) => c.branch === b && sameKey(c, key)),
      )
      .map((branch) => tableRow(results, key, branch, info, ctx)),
  );
  const name = info.friendlyName ?? info.name;
  return html`<table class="metric-data">
    <caption class="visually-hidden">
      ${name}: values per branch and comparisons against ${ctx.slice.reference}
    </caption>
    <thead>
      <tr>
        <th scope="col">Statistic</th>
        <th scope="col">Branch</th>
        <th scope="col" class="num">Clients</th>
        <th scope="col" class="num">Value</th>
        <th scope="col" class="num">Relative uplift vs ${ctx.slice.reference}</th>
        <th scope="col" class="num">Difference vs ${ctx.slice.reference}</th>
        <th scope="col">Significance</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

function renderAbout(info: MetricInfo): SafeHtml {
  const direction =
    info.biggerIsBetter === null
      ? html`<span class="muted">Not in the experiment's config: direction unknown.</span>`
      : html`<strong>${info.biggerIsBetter ? 'Bigger is better.' : 'Smaller is better.'}</strong>`;
  const description =
    info.description === null || info.description === '' ? '' : html`${info.description.trim()} `;
  return html`<p class="about">${description}${direction}</p>`;
}

/**
 * One metric: name, description and direction; forest plots of relative uplift and difference
 * (one interval per branch and statistic against the reference); deciles folded away; and a
 * table of every value, comparison and client count, which is the plots' text alternative.
 */
export function renderMetricSection(
  results: MetricResults,
  info: MetricInfo,
  ctx: MetricSectionContext,
): SafeHtml {
  const main = results.statistics.filter((k) => k.parameter === null);
  const detailed = results.statistics.filter(
    (k) => k.parameter !== null && !DISTRIBUTION_STATISTICS.has(k.statistic),
  );
  const isMain = (c: BranchComparison) => c.parameter === null;
  const mainComparisons = results.comparisons.filter(isMain);
  const detailComparisons = results.comparisons.filter((c) => !isMain(c));
  const skipped = [
    ...new Set(
      results.statistics
        .filter((k) => DISTRIBUTION_STATISTICS.has(k.statistic))
        .map((k) => k.statistic),
    ),
  ];
  const details =
    detailed.length === 0
      ? html``
      : html`<details>
          <summary>
            ${[...new Set(detailed.map((k) => k.statistic))].join(', ')}
            (${detailComparisons.length} comparisons)
          </summary>
          ${renderPlots(detailComparisons, info, ctx, 'd')}${renderTable(results, detailed, info, ctx)}
        </details>`;
  const note =
    skipped.length === 0
      ? ''
      : html`<p class="muted">
          ${skipped.join(', ')}: distributions, in the statistics export only.
        </p>`;
  return html`<section
    class="metric"
    id="metric-${ctx.index}"
    data-metric="${results.metric}"
    aria-labelledby="metric-${ctx.index}-h"
  >
    <h3 id="metric-${ctx.index}-h">
      ${info.friendlyName ?? info.name} <code>${results.metric}</code>
    </h3>
    ${renderAbout(info)} ${renderPlots(mainComparisons, info, ctx, '')}
    ${renderTable(results, main, info, ctx)} ${details}${note}
  </section>`;
}
