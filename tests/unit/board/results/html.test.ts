import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  SafeHtml,
  escapeHtml,
  html,
  joinHtml,
  trustedHtml,
} from '../../../../src/board/results/html.js';

// An alias, so that prettier leaves the templates below exactly as written.
const markup = html;

describe('html templates', () => {
  it('escapes every interpolated string, in text and in attributes', () => {
    const slug = '"><script>alert(1)</script>';
    const out = markup`<a href="/e/${slug}" title='${slug}'>${slug} & ${"O'Brien"}</a>`.value;
    expect(out).not.toContain('<script>');
    expect(out).toBe(
      '<a href="/e/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" title=\'&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\'>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; & O&#39;Brien</a>',
    );
  });

  it('keeps nested templates, joins arrays and drops null, undefined and false', () => {
    const items = ['<b>', 'x'].map((s) => markup`<li>${s}</li>`);
    expect(markup`<ul>${items}${null}${undefined}${false}${0}</ul>`.value).toBe(
      '<ul><li>&lt;b&gt;</li><li>x</li>0</ul>',
    );
    expect(joinHtml([markup`<i>a</i>`, '<b>'], ' & ').value).toBe('<i>a</i> &amp; &lt;b&gt;');
    expect(trustedHtml('<hr>')).toBeInstanceOf(SafeHtml);
  });

  it('leaves no markup-significant character in any escaped string', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const escaped = escapeHtml(s);
        expect(escaped).not.toMatch(/[<>"']/);
        expect(escaped.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
      }),
    );
  });
});
