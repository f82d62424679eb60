import type { JobLink } from './bull-board-links.js';
import { problemNote } from './experiment-context.js';
import { renderErrors } from './errors-view.js';
import type { ExperimentPageModel } from './experiment-page-model.js';
import { formatCount, formatUnixTime } from './format-value.js';
import { html, type SafeHtml } from './html.js';
import { renderForestPlot, type ForestPlotRow } from './forest-plot.js';
import { comparisonSignificance, renderMetricSection } from './metric-section.js';
import { renderPage, type PageFrame } from './page-layout.js';
import { PERIOD_LABELS, renderPeriodStatuses } from './period-status-view.js';
import { publicText } from './public-text.js';
import { renderSwitches } from './results-switches.js';
import { renderSampleRatioTable, renderSampleRatioWarning } from './sample-ratio-view.js';

function renderFacts(model: ExperimentPageModel): SafeHtml {
  const context = model.context;
  const experiment = context?.experiment ?? null;
  const effective = context?.effective ?? null;
  const branches =
    experiment === null
      ? html`<span class="muted">unknown (not listed by the experiment source)</span>`
      : experiment.branches.map((b, i) => html`${i > 0 ? ', ' : ''}${b.slug} (ratio ${b.ratio})`);
  const notes = [
    ...(model.sourceProblem === null ? [] : [problemNote(model.sourceProblem)]),
    ...(context?.notes ?? []),
  ];
  return html`<dl class="facts">
    <dt>Status</dt>
    <dd>
      ${effective?.status ?? experiment?.status ?? 'unknown'}${experiment?.isRollout === true ? ' (rollout)' : ''}
    </dd>
    <dt>Dates</dt>
    <dd>
      start ${effective?.startDate ?? experiment?.startDate ?? '–'}, last enrollment day
      ${effective?.lastEnrollmentDate ?? '–'}, end
      ${effective?.endDate ?? experiment?.endDate ?? '–'}
    </dd>
    <dt>Branches</dt>
    <dd>${branches}</dd>
    <dt>Reference branch</dt>
    <dd>${effective?.referenceBranch ?? experiment?.referenceBranch ?? '–'}</dd>
    <dt>Periods (windows)</dt>
    <dd>${renderPeriodStatuses(model.periods)}</dd>
    ${
      notes.length === 0
        ? ''
        : html`<dt>Notes</dt>
            <dd>
              ${notes.map((n) => html`<span class="note-${n.severity}">${publicText(n.text)}</span><br />`)}
            </dd>`
    }
  </dl>`;
}

function renderClients(model: ExperimentPageModel): SafeHtml {
  const rows = model.options.branches.map(
    (b) =>
      html`<tr>
        <th scope="row">${b}${b === model.slice.reference ? html` <em>(reference)</em>` : ''}</th>
        <td class="num" data-branch="${b}">${formatCount(model.clients.get(b) ?? null)}</td>
      </tr>`,
  );
  return html`<table class="clients">
    <caption class="visually-hidden">
      Clients per branch
    </caption>
    <thead>
      <tr>
        <th scope="col">Branch</th>
        <th scope="col" class="num">Clients (${model.slice.segment}, ${model.slice.basis})</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

const LEGEND = html`<p class="legend" aria-label="Legend">
  <span><span class="badge sig-better">● significant, better</span></span
  ><span><span class="badge sig-worse">● significant, worse</span></span
  ><span><span class="badge sig-unknown">● significant, direction not rated</span></span
  ><span><span class="badge sig-neutral">● not significant</span></span
  ><span class="muted"
    >Dots are point estimates, bars confidence intervals; the dashed line is no change.</span
  >
</p>`;

/** The first comparative statistic of each metric (mean, binomial, ...) on one shared plot. */
function renderOverview(model: ExperimentPageModel): SafeHtml {
  const rows: ForestPlotRow[] = [];
  const branches = new Set(model.metrics.flatMap((m) => m.comparisons.map((c) => c.branch)));
  model.metrics.forEach((results, index) => {
    const info = model.metricInfo.get(results.metric);
    const main = results.comparisons.filter((c) => c.parameter === null && c.relative !== null);
    const statistic = main[0]?.statistic;
    for (const c of main.filter((m) => m.statistic === statistic)) {
      const name = `${info?.friendlyName ?? results.metric} (${c.statistic})`;
      rows.push({
        label: branches.size > 1 ? `${name} \u00b7 ${c.branch}` : name,
        point: c.relative!.point,
        lower: c.relative!.lower,
        upper: c.relative!.upper,
        significance: comparisonSignificance(c, info?.biggerIsBetter ?? null),
        data: { metric: results.metric, branch: c.branch, statistic: c.statistic },
        href: `#metric-${index}`,
      });
    }
  });
  if (rows.length === 0) return html``;
  const plot = renderForestPlot({
    id: 'overview',
    title: `Relative uplift of every metric against ${model.slice.reference}`,
    description: `One interval per metric and branch (the metric's first statistic), against ${model.slice.reference}.`,
    scale: 'percent',
    rows,
  });
  return html`<section class="overview" aria-labelledby="overview-h">
    <h3 id="overview-h">Overview: relative uplift against ${model.slice.reference}</h3>
    ${plot}
    <p class="muted">Each label links to the metric's plots and table below.</p>
  </section>`;
}

/** What could not be read, at the top of the results. */
function renderProblems(problems: readonly string[]): SafeHtml {
  if (problems.length === 0) return html``;
  return html`<ul class="problems" role="alert">
    ${problems.map((p) => html`<li class="note-problem">${publicText(p)}</li>`)}
  </ul>`;
}

function renderResults(model: ExperimentPageModel, basePath: string): SafeHtml {
  const selected = model.selected;
  if (selected === null && model.failedTable !== null) {
    const view = { basePath, slug: model.slug, selected, slice: model.slice };
    return html`${renderSwitches(view, model.tables, model.options)}
      <p class="failed-table" data-table="${model.failedTable}">
        This window cannot be shown: its results table could not be read. Choose another window.
      </p>`;
  }
  if (selected === null) {
    return html`<p>No results yet: no statistics table exists for this experiment.</p>`;
  }
  const view = { basePath, slug: model.slug, selected, slice: model.slice };
  const sections = model.metrics.map((results, index) =>
    renderMetricSection(
      results,
      model.metricInfo.get(results.metric) ?? {
        name: results.metric,
        friendlyName: null,
        description: null,
        biggerIsBetter: null,
      },
      { slice: model.slice, clients: model.clients, index },
    ),
  );
  return html`${renderSwitches(view, model.tables, model.options)}
    <p class="showing" data-table="${selected.name}">
      Showing <strong>${PERIOD_LABELS[selected.period]} ${selected.windowIndex}</strong>, segment
      <strong>${model.slice.segment}</strong>, ${model.slice.basis} basis, against
      <strong>${model.slice.reference}</strong> (<code>${selected.name}</code>, computed
      ${formatUnixTime(selected.lastUpdated)}).
    </p>
    ${renderClients(model)} ${LEGEND} ${renderOverview(model)}
    ${sections.length === 0 ? html`<p>No metric results in this slice.</p>` : sections}`;
}

function renderJobLinks(links: readonly JobLink[], queuePrefix: string): SafeHtml {
  return html`<p class="muted">
      Queue prefix <code>${queuePrefix}</code>. Completed jobs stay in Bull Board for a limited
      time.
    </p>
    <ul>
      ${links.map((l) => html`<li><a href="${l.href}">${l.label}</a></li>`)}
    </ul>`;
}

/**
 * `/experiments/:slug`: facts and period status, the sample ratio warning, the switches,
 * one section per metric (forest plots + data table), the sample ratio tests, the errors and
 * links into Bull Board.
 */
export function renderExperimentPage(
  model: ExperimentPageModel,
  frame: Omit<PageFrame, 'title'> & { readonly queuePrefix: string },
): string {
  const content = html`<p><a href="${frame.basePath}/experiments">← all experiments</a></p>
    <h1>${model.slug}</h1>
    ${renderFacts(model)} ${renderSampleRatioWarning(model.sampleRatio)}
    <h2 id="results">Results</h2>
    ${renderProblems(model.problems)} ${renderResults(model, frame.basePath)}
    <h2 id="sample-ratio">Sample ratio</h2>
    ${renderSampleRatioTable(model.sampleRatio)}
    <h2 id="errors">Errors <span class="muted">(${formatCount(model.errorTotal)})</span></h2>
    ${renderErrors(model.errors, model.errorTotal)}
    <h2 id="jobs">Jobs in Bull Board</h2>
    ${renderJobLinks(model.jobLinks, frame.queuePrefix)}
    <p class="muted">Data up to ${model.date}; page built ${model.generatedAt}.</p>`;
  return renderPage({ ...frame, title: model.slug }, content);
}
