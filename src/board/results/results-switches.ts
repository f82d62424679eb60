import { experimentHref } from './experiment-list-page.js';
import { html, type SafeHtml } from './html.js';
import type { ResultsSlice } from './metric-results.js';
import { PERIOD_LABELS } from './period-status-view.js';
import {
  DISPLAY_PERIOD_ORDER,
  windowKey,
  type ResultsQuery,
  type SliceOptions,
} from './results-selection.js';
import type { StatisticsTable } from './statistics-table.js';

/** The current view of an experiment page, as links keep it. */
export interface ResultsView {
  readonly basePath: string;
  readonly slug: string;
  readonly selected: StatisticsTable | null;
  readonly slice: ResultsSlice;
}

/** The page URL for `view` with some switches changed (no JavaScript: every switch is a link). */
export function viewHref(view: ResultsView, change: ResultsQuery): string {
  const params = new URLSearchParams();
  const window = change.window ?? (view.selected === null ? undefined : windowKey(view.selected));
  if (window !== undefined) params.set('window', window);
  params.set('segment', change.segment ?? view.slice.segment);
  params.set('basis', change.basis ?? view.slice.basis);
  params.set('reference', change.reference ?? view.slice.reference);
  return `${experimentHref(view.basePath, view.slug)}?${params.toString()}`;
}

function switchList(
  id: string,
  label: string,
  items: readonly { text: string; href: string; current: boolean }[],
): SafeHtml {
  const links = items.map(
    (item) =>
      html`<li>
        <a href="${item.href}" ${item.current ? html` aria-current="page"` : ''}>${item.text}</a>
      </li>`,
  );
  return html`<span class="label" id="${id}">${label}</span>
    <ul aria-labelledby="${id}" data-switch="${id.replace('switch-', '')}">
      ${links}
    </ul>`;
}

/** The switches: window, segment, analysis basis and the branch compared against. */
export function renderSwitches(
  view: ResultsView,
  tables: readonly StatisticsTable[],
  options: SliceOptions,
): SafeHtml {
  const order = (t: StatisticsTable) => DISPLAY_PERIOD_ORDER.indexOf(t.period);
  const sorted = [...tables].sort((a, b) => order(a) - order(b) || a.windowIndex - b.windowIndex);
  const windows = sorted.map((t) => ({
    text: `${PERIOD_LABELS[t.period]} ${t.windowIndex}`,
    href: viewHref(view, { window: windowKey(t) }),
    current: t === view.selected,
  }));
  const simple = (values: readonly string[], key: 'segment' | 'basis' | 'reference') =>
    values.map((value) => ({
      text: value,
      href: viewHref(view, { [key]: value }),
      current: view.slice[key] === value,
    }));
  return html`<nav class="switches" aria-label="Results view">
    ${switchList('switch-window', 'Window', windows)}
    ${switchList('switch-segment', 'Segment', simple(options.segments, 'segment'))}
    ${switchList('switch-basis', 'Analysis basis', simple(options.bases, 'basis'))}
    ${switchList('switch-reference', 'Compare against', simple(options.branches, 'reference'))}
  </nav>`;
}
