import type { LogRow } from '../../warehouse/log-row.js';
import { formatCount } from './format-value.js';
import { html, type SafeHtml } from './html.js';
import { publicText } from './public-text.js';

function errorRow(row: LogRow): SafeHtml {
  const exception =
    row.exception === null || row.exception === '' || row.exception === row.message
      ? ''
      : html`<details>
          <summary>details</summary>
          <pre class="exception">${publicText(row.exception)}</pre>
        </details>`;
  const level = row.log_level ?? '';
  return html`<tr>
    <td>${row.timestamp.replace('T', ' ').slice(0, 19)}</td>
    <td class="${level === 'WARNING' ? '' : 'sig-worse'}">${level}</td>
    <td>${row.analysis_period ?? ''}</td>
    <td>${row.metric ?? ''}</td>
    <td>${row.statistic ?? ''}</td>
    <td>${row.segment ?? ''}</td>
    <td>${row.analysis_basis ?? ''}</td>
    <td>${row.exception_type ?? ''}</td>
    <td>${publicText(row.message ?? '')}${exception}</td>
  </tr>`;
}

/** The experiment's rows of the logs table, newest first. */
export function renderErrors(rows: readonly LogRow[], total: number): SafeHtml {
  if (total === 0) return html`<p>No errors logged for this experiment.</p>`;
  const shown =
    total > rows.length
      ? html`<p class="muted">Newest ${formatCount(rows.length)} of ${formatCount(total)}.</p>`
      : '';
  return html`${shown}
    <table class="errors">
      <thead>
        <tr>
          <th scope="col">Time (UTC)</th>
          <th scope="col">Level</th>
          <th scope="col">Period</th>
          <th scope="col">Metric</th>
          <th scope="col">Statistic</th>
          <th scope="col">Segment</th>
          <th scope="col">Basis</th>
          <th scope="col">Type</th>
          <th scope="col">Message</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(errorRow)}
      </tbody>
    </table>`;
}
