import { formatWindowList } from './format-value.js';
import { html, joinHtml, type SafeHtml } from './html.js';
import type { PeriodStatus } from './period-status.js';

/** Human names of the periods. */
export const PERIOD_LABELS = {
  day: 'day',
  week: 'week',
  days28: '28 days',
  overall: 'overall',
  preenrollment_week: 'pre-enr. week',
  preenrollment_days28: 'pre-enr. 28 days',
} as const;

/** One period's status in words: "week: done 1–2 · due 3 · missed 1". */
export function renderPeriodStatus(status: PeriodStatus): SafeHtml {
  const parts: SafeHtml[] = [];
  if (status.done.length > 0) parts.push(html`done ${formatWindowList(status.done)}`);
  if (status.due !== null) parts.push(html`<span class="due">due ${status.due}</span>`);
  if (status.missed.length > 0) {
    parts.push(html`<span class="missed">missed ${formatWindowList(status.missed)}</span>`);
  }
  return html`<li data-period="${status.period}">
    <b>${PERIOD_LABELS[status.period]}</b> ${joinHtml(parts, ' \u00b7 ')}
  </li>`;
}

/** Periods with windows done or due; the others are summed up as "not due yet". */
export function renderPeriodStatuses(statuses: readonly PeriodStatus[]): SafeHtml {
  if (statuses.length === 0) return html`<span class="muted">no periods configured</span>`;
  const active = statuses.filter((s) => s.done.length > 0 || s.due !== null || s.missed.length > 0);
  const idle = statuses.filter((s) => !active.includes(s)).map((s) => PERIOD_LABELS[s.period]);
  const rest =
    idle.length === 0 ? '' : html`<li class="muted">not due yet: ${idle.join(', ')}</li>`;
  return html`<ul class="inline periods">
    ${active.map(renderPeriodStatus)}${rest}
  </ul>`;
}
