import {
  ERROR_COUNT_DAYS,
  type ExperimentListEntry,
  type ExperimentListModel,
} from './experiment-list.js';
import { formatCount, formatUnixTime } from './format-value.js';
import { html, type SafeHtml } from './html.js';
import { renderPage, type PageFrame } from './page-layout.js';
import { renderPeriodStatuses } from './period-status-view.js';
import { publicText } from './public-text.js';

/** Link to an experiment's page. */
export function experimentHref(basePath: string, slug: string): string {
  return `${basePath}/experiments/${encodeURIComponent(slug)}`;
}

function renderBranches(entry: ExperimentListEntry): SafeHtml {
  if (entry.branches.length === 0) return html`<span class="muted">unknown</span>`;
  const items = entry.branches.map(
    (b) =>
      html`<li>${b.slug}${b.slug === entry.referenceBranch ? html` <em>(ref.)</em>` : ''}</li>`,
  );
  const ratios = entry.branches.map((b) => b.ratio).join(' : ');
  return html`<ul class="inline branches">
    ${items}
    <li class="muted">ratios ${ratios}</li>
  </ul>`;
}

function renderStatus(entry: ExperimentListEntry): SafeHtml {
  const status = entry.status ?? 'unknown';
  return html`${status}${entry.isRollout ? html`<br /><span class="muted">rollout</span>` : ''}`;
}

function renderCounts(entry: ExperimentListEntry): SafeHtml {
  const errors = html`<span class="${(entry.errors ?? 0) > 0 ? 'sig-worse' : ''}"
    >${formatCount(entry.errors)}</span
  >`;
  const warnings =
    entry.warnings !== null && entry.warnings > 0
      ? html`<br /><span class="muted"
            >${formatCount(entry.warnings)} warning${entry.warnings === 1 ? '' : 's'}</span
          >`
      : '';
  return html`${errors}${warnings}`;
}

function renderRow(entry: ExperimentListEntry, basePath: string): SafeHtml {
  const notes =
    entry.notes.length === 0
      ? ''
      : html`<ul class="inline">
          ${entry.notes.map((n) => html`<li class="note-${n.severity}">${publicText(n.text)}</li>`)}
        </ul>`;
  return html`<tr data-slug="${entry.slug}">
    <td><a href="${experimentHref(basePath, entry.slug)}">${entry.slug}</a>${notes}</td>
    <td>${renderStatus(entry)}</td>
    <td class="date">${entry.startDate ?? '–'}</td>
    <td class="date">${entry.lastEnrollmentDate ?? '–'}</td>
    <td class="date">${entry.endDate ?? '–'}</td>
    <td>${renderBranches(entry)}</td>
    <td class="date">${formatUnixTime(entry.lastRun).replace(' UTC', '')}</td>
    <td>${renderPeriodStatuses(entry.periods)}</td>
    <td class="num" data-errors="${entry.errors ?? ''}">${renderCounts(entry)}</td>
  </tr>`;
}

function renderRejected(model: ExperimentListModel): SafeHtml {
  if (model.rejected.length === 0) return html``;
  return html`<h2>Entries that could not be read</h2>
    <ul>
      ${model.rejected.map(
        (r) => html`<li><code>${r.slug ?? '(no slug)'}</code>: ${publicText(r.reason)}</li>`,
      )}
    </ul>`;
}

/** What could not be read for the whole page, if anything. */
function renderProblems(problems: readonly string[]): SafeHtml {
  if (problems.length === 0) return html``;
  return html`<ul class="problems">
    ${problems.map((p) => html`<li class="note-problem">${publicText(p)}</li>`)}
  </ul>`;
}

/** `/experiments`: every experiment with status, dates, branches, last run, periods, errors. */
export function renderExperimentListPage(
  model: ExperimentListModel,
  frame: Omit<PageFrame, 'title'>,
): string {
  const rows = model.entries.map((entry) => renderRow(entry, frame.basePath));
  const content = html`<h1>Experiments</h1>
    ${renderProblems(model.problems)}
    <p class="muted">
      ${formatCount(model.entries.length)} experiments from
      <code>${publicText(model.origin)}</code>. Windows due by ${model.date} (the last complete
      day); errors of the last ${ERROR_COUNT_DAYS} days. Built ${model.generatedAt}.
    </p>
    <table class="experiments">
      <caption class="visually-hidden">
        Experiments with their status, dates, branches, last run, analysis periods and error counts
      </caption>
      <thead>
        <tr>
          <th scope="col">Experiment</th>
          <th scope="col">Status</th>
          <th scope="col">Start</th>
          <th scope="col">Enrolled until</th>
          <th scope="col">End</th>
          <th scope="col">Branches</th>
          <th scope="col">Last run (UTC)</th>
          <th scope="col">Periods (windows)</th>
          <th scope="col" class="num">Errors</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
    ${renderRejected(model)}`;
  return renderPage({ ...frame, title: 'Experiments' }, content);
}
