import { describe, expect, it } from 'vitest';

import { closestName, editDistance } from '../../../src/config/closest-name.js';
import { ConfigError } from '../../../src/config/config-error.js';
import { dedent } from '../../../src/config/dedent.js';
import { expandFunctionDefinition } from '../../../src/config/expand-function-definition.js';
import { isGlobPattern, matchesGlob } from '../../../src/config/glob-pattern.js';
import { mergeAdjacentStringLiterals } from '../../../src/config/jinja-string-literals.js';
import { classifyMetricHubPath } from '../../../src/config/metric-hub-layout.js';
import { parseTomlFile } from '../../../src/config/parse-toml-file.js';
import { datasetForAppId, platformHintForSlug } from '../../../src/config/platforms.js';

describe('expandFunctionDefinition', () => {
  it('substitutes {select_expr} and unescapes doubled braces', () => {
    expect(expandFunctionDefinition('COALESCE(SUM({select_expr}), 0)', 'x + 1')).toBe(
      'COALESCE(SUM(x + 1), 0)',
    );
    expect(expandFunctionDefinition('{{a}} {select_expr}', 'y')).toBe('{a} y');
  });
  it('rejects other placeholders and lone braces', () => {
    expect(() => expandFunctionDefinition('{other}', 'x')).toThrow('unknown placeholder {other}');
    expect(() => expandFunctionDefinition('a } b', 'x')).toThrow("single '}'");
  });
});

describe('mergeAdjacentStringLiterals', () => {
  it('merges runs inside tags only', () => {
    expect(mergeAdjacentStringLiterals('"a" "b" {{ f("a" "b") }}')).toBe('"a" "b" {{ f("ab") }}');
    expect(mergeAdjacentStringLiterals(`{% set x = 'it\\'s' "ok" %}`)).toBe(
      `{% set x = "it\\'sok" %}`,
    );
    expect(mergeAdjacentStringLiterals('{# "a" "b" #}{{ "}}" }}')).toBe('{# "a" "b" #}{{ "}}" }}');
  });
});

describe('globs', () => {
  it('matches fnmatch-style patterns as a whole', () => {
    expect(isGlobPattern('search_*')).toBe(true);
    expect(isGlobPattern('search_count')).toBe(false);
    expect(matchesGlob('search_*', 'search_count')).toBe(true);
    expect(matchesGlob('search_*', 'organic_search_count')).toBe(false);
    expect(matchesGlob('ad_click?', 'ad_clicks')).toBe(true);
    expect(matchesGlob('[!a]d_clicks', 'ad_clicks')).toBe(false);
    expect(matchesGlob('uri.count', 'uri_count')).toBe(false);
  });
});

describe('small helpers', () => {
  it('dedents like textwrap.dedent', () => {
    expect(dedent('\n    Line one\n      indented\n\n    Line two\n')).toBe(
      '\nLine one\n  indented\n\nLine two\n',
    );
  });
  it('suggests close names only', () => {
    expect(editDistance('bootstap_mean', 'bootstrap_mean')).toBe(1);
    expect(closestName('bootstap_mean', ['binomial', 'bootstrap_mean'])).toBe('bootstrap_mean');
    expect(closestName('zzz', ['binomial', 'bootstrap_mean'])).toBeNull();
  });
  it('maps app ids to datasets and slugs to platform hints', () => {
    expect(datasetForAppId('org.mozilla.ios.FirefoxBeta')).toBe('org_mozilla_ios_firefoxbeta');
    expect(platformHintForSlug('ios-felt-privacy')).toBe('firefox_ios');
    expect(platformHintForSlug('focus-android-x')).toBe('focus_android');
    expect(platformHintForSlug('search-middle')).toBeNull();
  });
});

describe('classifyMetricHubPath', () => {
  it('knows the metric-hub layout', () => {
    expect(classifyMetricHubPath('definitions/fenix.toml')).toEqual({
      kind: 'definitions',
      platform: 'fenix',
      jetstream: false,
    });
    expect(classifyMetricHubPath('jetstream/definitions/functions.toml')).toEqual({
      kind: 'functions',
      jetstream: true,
    });
    expect(classifyMetricHubPath('jetstream/defaults/fenix.toml')).toEqual({
      kind: 'defaults',
      name: 'fenix',
    });
    expect(classifyMetricHubPath('jetstream/outcomes/fenix/pocket.toml')).toEqual({
      kind: 'outcome',
      platform: 'fenix',
      slug: 'pocket',
    });
    expect(classifyMetricHubPath('jetstream/my-exp.toml')).toEqual({
      kind: 'experiment',
      slug: 'my-exp',
    });
    expect(classifyMetricHubPath('jetstream/example_config.toml.example')).toEqual({
      kind: 'ignored',
    });
    expect(classifyMetricHubPath('opmon/x.toml')).toEqual({ kind: 'ignored' });
  });
});

describe('parseTomlFile', () => {
  it('turns dates into ISO strings', () => {
    expect(parseTomlFile('f.toml', 'd = 2024-01-31\n[t]\nn = 1')).toEqual({
      d: '2024-01-31',
      t: { n: 1 },
    });
  });
  it('names file, line and column of a syntax error', () => {
    let error: unknown;
    try {
      parseTomlFile('jetstream/bad.toml', 'a = 1\nb = = 2\n');
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(String(error)).toMatch(/^jetstream\/bad\.toml: line 2, column \d+: TOML syntax error: /);
  });
});
