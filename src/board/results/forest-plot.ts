import { html, joinHtml, type SafeHtml } from './html.js';
import { formatInterval, formatPercent, formatSigned } from './format-value.js';
import { niceTicks } from './nice-ticks.js';
import type { Significance } from './significance.js';

/** One interval of a forest plot. */
export interface ForestPlotRow {
  /** Text left of the interval, e.g. `treatment · mean`. */
  readonly label: string;
  readonly point: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly significance: Significance;
  /** Written as `data-*` attributes on the interval's group (for tests and styling). */
  readonly data: Readonly<Record<string, string>>;
  /** Makes the label a link (e.g. to the metric's section). */
  readonly href?: string;
}

/** A forest plot: intervals on a shared axis with a line at zero. */
export interface ForestPlotSpec {
  /** Unique in the page; prefixes the ids of `<title>` and `<desc>`. */
  readonly id: string;
  readonly title: string;
  /** Sentence placed before the per-row text in `<desc>`. */
  readonly description: string;
  /** `percent`: values are relative changes (0.1 = +10%); `number`: absolute differences. */
  readonly scale: 'percent' | 'number';
  readonly rows: readonly ForestPlotRow[];
}

/** Geometry of one plot in SVG user units. */
interface Layout {
  readonly width: number;
  /** Right edge of the row labels. */
  readonly labelWidth: number;
  readonly plotLeft: number;
  readonly plotRight: number;
  readonly valueLeft: number;
  readonly rowHeight: number;
  readonly top: number;
  readonly axisHeight: number;
}

/** Approximate advance of one character of the 11px label font. */
const CHAR_WIDTH = 6.2;

/** The label column fits the longest label (between 120 and 330 units); the plot area is fixed. */
function layoutFor(rows: readonly ForestPlotRow[]): Layout {
  const longest = Math.max(0, ...rows.map((r) => r.label.length));
  const labelWidth = Math.round(Math.min(330, Math.max(120, longest * CHAR_WIDTH + 6)));
  const plotLeft = labelWidth + 8;
  const plotRight = plotLeft + 222;
  const valueLeft = plotRight + 8;
  return {
    width: valueLeft + 112,
    labelWidth,
    plotLeft,
    plotRight,
    valueLeft,
    rowHeight: 24,
    top: 6,
    axisHeight: 30,
  };
}

/** The axis domain: every bound, every point and zero, padded by 6% on each side. */
export function plotDomain(rows: readonly ForestPlotRow[]): [number, number] {
  let min = 0;
  let max = 0;
  for (const row of rows) {
    for (const v of [row.point, row.lower, row.upper]) {
      if (v === null || !Number.isFinite(v)) continue;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  }
  if (min === max) return [-1, 1];
  const pad = (max - min) * 0.06;
  return [min - pad, max + pad];
}

function scaleOf(domain: [number, number], layout: Layout): (v: number) => number {
  const [lo, hi] = domain;
  const span = layout.plotRight - layout.plotLeft;
  return (v) => Number((layout.plotLeft + ((v - lo) / (hi - lo)) * span).toFixed(2));
}

function formatterOf(spec: ForestPlotSpec): (v: number | null) => string {
  return spec.scale === 'percent' ? (v) => formatPercent(v) : formatSigned;
}

/** Tick labels: whole percents unless the ticks are less than 1% apart. */
function tickFormatterOf(
  spec: ForestPlotSpec,
  domain: [number, number],
): (v: number | null) => string {
  if (spec.scale === 'number') return formatSigned;
  const ticks = niceTicks(domain[0], domain[1], 5);
  const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : 1;
  return (v) => formatPercent(v, step >= 0.0099 ? 0 : 1);
}

/** Text for one row, used in its `<title>` and in the plot's `<desc>`. */
export function describeRow(row: ForestPlotRow, format: (v: number | null) => string): string {
  return `${row.label}: ${format(row.point)} ${formatInterval(row.lower, row.upper, format)}, ${row.significance.label}`;
}

function dataAttributes(data: Readonly<Record<string, string>>): SafeHtml {
  return joinHtml(
    Object.entries(data).map(
      ([key, value]) => html` data-${key.replace(/[^a-z0-9-]/g, '')}="${value}"`,
    ),
  );
}

function intervalMarks(row: ForestPlotRow, x: (v: number) => number, y: number): SafeHtml {
  const { lower, upper, point } = row;
  const whisker =
    lower !== null && upper !== null
      ? html`<line class="ci" x1="${x(lower)}" x2="${x(upper)}" y1="${y}" y2="${y}" /><line
            class="cap"
            x1="${x(lower)}"
            x2="${x(lower)}"
            y1="${y - 5}"
            y2="${y + 5}"
          /><line class="cap" x1="${x(upper)}" x2="${x(upper)}" y1="${y - 5}" y2="${y + 5}" />`
      : html``;
  const dot =
    point !== null && Number.isFinite(point)
      ? html`<circle class="point" cx="${x(point)}" cy="${y}" r="4" />`
      : html``;
  return html`${whisker}${dot}`;
}

function renderLabel(layout: Layout, row: ForestPlotRow, y: number): SafeHtml {
  const text = html`<text class="label" x="${layout.labelWidth}" y="${y + 4}" text-anchor="end"
    >${row.label}</text
  >`;
  return row.href === undefined ? text : html`<a href="${row.href}">${text}</a>`;
}

function renderRow(
  layout: Layout,
  row: ForestPlotRow,
  index: number,
  x: (v: number) => number,
  format: (v: number | null) => string,
): SafeHtml {
  const y = layout.top + index * layout.rowHeight + layout.rowHeight / 2;
  const sig = row.significance;
  return html`<g
    class="interval sig-${sig.verdict}"
    data-significance="${sig.direction}"
    ${dataAttributes(row.data)}
    ><title>${describeRow(row, format)}</title
    >${renderLabel(layout, row, y)}${intervalMarks(row, x, y)}<text
      class="value"
      x="${layout.valueLeft}"
      y="${y + 4}"
      >${format(row.point)} ${sig.short}</text
    ></g
  >`;
}

function renderAxis(
  layout: Layout,
  domain: [number, number],
  x: (v: number) => number,
  plotBottom: number,
  format: (v: number | null) => string,
): SafeHtml {
  const ticks = niceTicks(domain[0], domain[1], 5).map(
    (t) =>
      html`<line
          class="tick"
          x1="${x(t)}"
          x2="${x(t)}"
          y1="${plotBottom}"
          y2="${plotBottom + 4}"
        /><text class="tick-label" x="${x(t)}" y="${plotBottom + 16}" text-anchor="middle"
          >${format(t)}</text
        >`,
  );
  return html`<g class="axis" aria-hidden="true"
    ><line class="zero" x1="${x(0)}" x2="${x(0)}" y1="${layout.top - 2}" y2="${plotBottom}" /><line
      class="baseline"
      x1="${layout.plotLeft}"
      x2="${layout.plotRight}"
      y1="${plotBottom}"
      y2="${plotBottom}"
    />${ticks}</g
  >`;
}

/**
 * A server-rendered SVG forest plot: one row per interval (point and confidence interval on a
 * shared axis with a line at zero), coloured by verdict and labelled with text. Accessible:
 * `role="img"` with `<title>` and a `<desc>` listing every interval in words; each interval
 * also has its own `<title>` (a tooltip). Pair it with a data table for screen readers that
 * skip SVG.
 */
export function renderForestPlot(spec: ForestPlotSpec): SafeHtml {
  const layout = layoutFor(spec.rows);
  const domain = plotDomain(spec.rows);
  const x = scaleOf(domain, layout);
  const format = formatterOf(spec);
  const plotBottom = layout.top + spec.rows.length * layout.rowHeight + 2;
  const height = plotBottom + layout.axisHeight;
  const desc = [spec.description, ...spec.rows.map((row) => `${describeRow(row, format)}.`)].join(
    ' ',
  );
  const rows = spec.rows.map((row, i) => renderRow(layout, row, i, x, format));
  return html`<svg
    class="forest-plot"
    role="img"
    aria-labelledby="${spec.id}-title ${spec.id}-desc"
    viewBox="0 0 ${layout.width} ${height}"
    width="${layout.width}"
    height="${height}"
    data-scale="${spec.scale}"
    xmlns="http://www.w3.org/2000/svg"
  >
    <title id="${spec.id}-title">${spec.title}</title>
    <desc id="${spec.id}-desc">${desc}</desc>
    ${renderAxis(layout, domain, x, plotBottom, tickFormatterOf(spec, domain))}${rows}
  </svg>`;
}
