import { html, trustedHtml, type SafeHtml } from './html.js';

/**
 * The style sheet of the results pages: no scripts, no external assets (the Content Security
 * Policy allows inline styles only). Colours keep a 4.5:1 contrast on white; significance is
 * also always written out, never shown by colour alone.
 */
const STYLE = `
:root { --fg:#1f2328; --muted:#59636e; --line:#d1d9e0; --bg-alt:#f6f8fa; --better:#1a7f37; --worse:#cf222e; --neutral:#59636e; --unknown:#0550ae; --warn-bg:#fff8c5; --warn-line:#d4a72c; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--fg); }
header.site { display:flex; gap:1.5rem; align-items:baseline; padding:.6rem 1.5rem; border-bottom:1px solid var(--line); background:var(--bg-alt); }
header.site a { color:var(--fg); font-weight:600; }
main { max-width:1280px; margin:0 auto; padding:1rem 1.5rem 3rem; }
a { color:#0550ae; }
h1 { font-size:1.6rem; margin:.4rem 0 .2rem; }
h2 { font-size:1.25rem; margin:2rem 0 .6rem; border-bottom:1px solid var(--line); padding-bottom:.2rem; }
h3 { font-size:1.08rem; margin:0 0 .2rem; }
code { font-size:.9em; background:var(--bg-alt); padding:0 .25em; border-radius:3px; }
.muted { color:var(--muted); }
table { border-collapse:collapse; margin:.4rem 0 1rem; }
th, td { text-align:left; padding:.3rem .6rem; border-bottom:1px solid var(--line); vertical-align:top; }
th { background:var(--bg-alt); font-weight:600; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
dl.facts { display:grid; grid-template-columns:max-content 1fr; gap:.15rem 1rem; margin:.6rem 0; }
dl.facts dt { color:var(--muted); }
dl.facts dd { margin:0; }
.warning { background:var(--warn-bg); border:1px solid var(--warn-line); border-left-width:6px; padding:.6rem 1rem; margin:1rem 0; border-radius:4px; }
.warning h2 { border:0; margin:0 0 .3rem; font-size:1.1rem; }
.note-problem { color:var(--worse); }
.note-info { color:var(--muted); }
nav.switches { display:grid; grid-template-columns:max-content 1fr; gap:.35rem 1rem; align-items:baseline; margin:.8rem 0; padding:.6rem .8rem; background:var(--bg-alt); border-radius:6px; }
nav.switches .label { font-weight:600; }
nav.switches ul { list-style:none; margin:0; padding:0; display:flex; flex-wrap:wrap; gap:.3rem; }
nav.switches a { display:inline-block; padding:.1rem .55rem; border:1px solid var(--line); border-radius:999px; background:#fff; text-decoration:none; color:var(--fg); }
nav.switches a[aria-current="page"] { background:var(--fg); color:#fff; border-color:var(--fg); }
.overview { margin:1rem 0; }
.overview svg.forest-plot a .label { fill:#0550ae; text-decoration:underline; }
.metric { border:1px solid var(--line); border-radius:8px; padding:.8rem 1rem; margin:1rem 0; }
.metric .about { margin:.1rem 0 .5rem; }
.plots { display:flex; flex-wrap:wrap; gap:1rem 2rem; }
.plots figure { margin:0; }
.plots figcaption { font-weight:600; font-size:.92rem; margin-bottom:.2rem; }
svg.forest-plot { max-width:100%; height:auto; font-size:11px; }
svg.forest-plot .label { fill:var(--fg); }
svg.forest-plot .value { fill:var(--fg); }
svg.forest-plot .tick-label { fill:var(--muted); }
svg.forest-plot .zero { stroke:var(--fg); stroke-dasharray:3 3; }
svg.forest-plot .baseline, svg.forest-plot .tick { stroke:var(--muted); }
svg.forest-plot .ci, svg.forest-plot .cap { stroke-width:2; }
.sig-better { color:var(--better); stroke:var(--better); fill:var(--better); }
.sig-worse { color:var(--worse); stroke:var(--worse); fill:var(--worse); }
.sig-neutral { color:var(--neutral); stroke:var(--neutral); fill:var(--neutral); }
.sig-unknown { color:var(--unknown); stroke:var(--unknown); fill:var(--unknown); }
svg .interval text { stroke:none; }
svg .interval.sig-better text.value, svg .interval.sig-worse text.value, svg .interval.sig-unknown text.value { font-weight:700; }
span.badge { font-weight:600; white-space:nowrap; stroke:none; }
details > summary { cursor:pointer; margin:.3rem 0; }
.legend { display:flex; flex-wrap:wrap; gap:.4rem 1.2rem; font-size:.92rem; }
ul.inline { list-style:none; padding:0; margin:0; }
ul.periods li { white-space:nowrap; }
ul.periods li.muted { white-space:normal; }
ul.branches li { white-space:nowrap; }
.due { color:var(--unknown); font-weight:600; }
.missed { color:var(--worse); }
table.experiments { font-size:.92rem; }
table.experiments td.date { white-space:nowrap; }
.visually-hidden { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; }
pre.exception { white-space:pre-wrap; max-height:14rem; overflow:auto; font-size:.8rem; background:var(--bg-alt); padding:.4rem; }
`;

/** What every page has around its content. */
export interface PageFrame {
  readonly title: string;
  /** Where the results router is mounted (`''` at the root); prefixes page links. */
  readonly basePath: string;
  /** Bull Board's mount path. */
  readonly boardBasePath: string;
}

/** A complete HTML document: header with navigation, the content, no scripts. */
export function renderPage(frame: PageFrame, content: SafeHtml): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${frame.title} · contrail</title>
        <style>
          ${trustedHtml(STYLE)}
        </style>
      </head>
      <body>
        <header class="site">
          <a href="${frame.basePath}/experiments">contrail · experiments</a
          ><a href="${frame.boardBasePath}">queues (Bull Board)</a>
        </header>
        <main>${content}</main>
      </body>
    </html> `.value;
}
