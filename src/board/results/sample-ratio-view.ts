import { SRM_P_VALUE_THRESHOLD } from '../../stats/sample-ratio-mismatch.js';
import { formatCount, formatPValue, formatValue } from './format-value.js';
import { html, type SafeHtml } from './html.js';
import { PERIOD_LABELS } from './period-status-view.js';
import type { SampleRatioCheck } from './sample-ratio-check.js';

function windowName(check: SampleRatioCheck): string {
  return `${PERIOD_LABELS[check.table.period]} ${check.table.windowIndex}`;
}

function countsText(check: SampleRatioCheck): string {
  return check.branches
    .map((b) => `${b.slug} ${formatCount(b.observed)} (expected ${formatValue(b.expected)})`)
    .join(', ');
}

/**
 * The warning shown at the top of an experiment page when any tested window's enrolled
 * clients do not fit the configured ratios (p below {@link SRM_P_VALUE_THRESHOLD}).
 */
export function renderSampleRatioWarning(checks: readonly SampleRatioCheck[]): SafeHtml {
  const bad = checks.filter((c) => c.test?.mismatch === true);
  if (bad.length === 0) return html``;
  return html`<section class="warning srm" data-srm="mismatch" aria-labelledby="srm-warning-h">
    <h2 id="srm-warning-h">⚠ Sample ratio mismatch</h2>
    <p>
      The clients enrolled per branch do not match the configured branch ratios (chi-square test, p
      &lt; ${SRM_P_VALUE_THRESHOLD}). Assignment or enrollment data may be broken, so every
      comparison of this experiment is suspect.
    </p>
    <ul>
      ${bad.map((c) => html`<li>${windowName(c)}: ${countsText(c)}; p = ${formatPValue(c.test!.pValue)}</li>`)}
    </ul>
  </section>`;
}

function resultCell(check: SampleRatioCheck): SafeHtml {
  const test = check.test;
  if (test === null) {
    return html`<td colspan="4" class="muted">nothing to test (one branch or no clients)</td>`;
  }
  const verdict = test.mismatch
    ? html`<span class="badge sig-worse">mismatch</span>`
    : html`<span class="badge sig-neutral">consistent with the ratios</span>`;
  const chi = Number.isFinite(test.chiSquare) ? formatValue(test.chiSquare) : '\u221e';
  return html`<td class="num">${chi}</td>
    <td class="num">${test.degreesOfFreedom}</td>
    <td class="num">${formatPValue(test.pValue)}</td>
    <td>${verdict}</td>`;
}

/** Every tested window: counts against expected, χ², degrees of freedom, p-value, verdict. */
export function renderSampleRatioTable(checks: readonly SampleRatioCheck[]): SafeHtml {
  if (checks.length === 0) {
    return html`<p class="muted">
      No test: the experiment source does not give the branch ratios, or there are no results yet.
    </p>`;
  }
  const rows = checks.map(
    (c) =>
      html`<tr
        data-window="${c.table.period}_${c.table.windowIndex}"
        data-srm="${c.test?.mismatch === true ? 'mismatch' : 'ok'}"
      >
        <th scope="row">${windowName(c)}</th>
        <td>${countsText(c)}</td>
        ${resultCell(c)}
      </tr>`,
  );
  return html`<table class="srm">
    <thead>
      <tr>
        <th scope="col">Window</th>
        <th scope="col">Enrolled clients (segment all, enrollments basis)</th>
        <th scope="col" class="num">χ²</th>
        <th scope="col" class="num">df</th>
        <th scope="col" class="num">p</th>
        <th scope="col">Result</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}
