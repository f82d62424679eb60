import { describe, expect, it } from 'vitest';

import { ConfigError } from '../../../src/config/config-error.js';
import { experimentTemplateContext } from '../../../src/config/experiment-template-context.js';
import { createTemplateRenderer } from '../../../src/config/template-renderer.js';
import { experiment } from './metric-hub-fixture.js';

const renderer = createTemplateRenderer({
  agg_sum: 'COALESCE(SUM({select_expr}), 0)',
  agg_any: 'COALESCE(LOGICAL_OR({select_expr}), FALSE)',
});
const site = { file: 'jetstream/x.toml', keyPath: 'metrics.m.select_expression' };

function renderError(template: string, context = {}): ConfigError {
  try {
    renderer.render(template, context, site);
  } catch (thrown) {
    if (thrown instanceof ConfigError) return thrown;
    throw thrown;
  }
  throw new Error('expected a ConfigError');
}

describe('createTemplateRenderer', () => {
  it('expands functions.toml helpers with the select expression', () => {
    expect(renderer.render('{{agg_sum("active_hours_sum")}}', {}, site)).toBe(
      'COALESCE(SUM(active_hours_sum), 0)',
    );
    expect(renderer.render("{{ agg_any('x > 0') }} AND y", {}, site)).toBe(
      'COALESCE(LOGICAL_OR(x > 0), FALSE) AND y',
    );
    expect(renderer.render('{{agg_sum(select_expr="z")}}', {}, site)).toBe('COALESCE(SUM(z), 0)');
  });

  it('concatenates adjacent string literals, so Python triple quotes work', () => {
    const template = '{{agg_any(\n  """\n    a = \'b\'\n  """\n)}}';
    expect(renderer.render(template, {}, site)).toBe(
      "COALESCE(LOGICAL_OR(\n    a = 'b'\n  ), FALSE)",
    );
    expect(renderer.render(`{{ agg_sum("a" 'b"c' "d") }}`, {}, site)).toBe(
      'COALESCE(SUM(ab"cd), 0)',
    );
  });

  it('drops one trailing newline of the template, like Jinja', () => {
    expect(renderer.render('SUM(x)\n', {}, site)).toBe('SUM(x)');
    expect(renderer.render('SUM(x)\n\n', {}, site)).toBe('SUM(x)\n');
  });

  it('does not escape HTML-like characters', () => {
    expect(renderer.render('{{agg_sum("a < b & c")}}', {}, site)).toBe(
      'COALESCE(SUM(a < b & c), 0)',
    );
  });

  it('fills experiment fields and parameters', () => {
    const context = {
      experiment: experimentTemplateContext(experiment({ slug: 's', startDate: '2024-03-01' }), {
        enrollmentPeriod: 7,
      }),
      parameters: { id: 'CASE e.branch WHEN "a" THEN "1" END' },
    };
    const rendered = renderer.render(
      "'{{experiment.start_date_str}}'..'{{experiment.last_enrollment_date_str}}' {{experiment.normandy_slug}} {{parameters.id}}",
      context,
      site,
    );
    expect(rendered).toBe('\'2024-03-01\'..\'2024-03-08\' s CASE e.branch WHEN "a" THEN "1" END');
  });

  it('names an undefined function with the known ones', () => {
    const error = renderError('{{agg_summ("x")}}');
    expect(error.file).toBe('jetstream/x.toml');
    expect(error.keyPath).toBe('metrics.m.select_expression');
    expect(error.reason).toBe(
      "Jinja error: 'agg_summ' is not a function of functions.toml (known: agg_any, agg_sum)",
    );
    expect(String(error)).toBe(`jetstream/x.toml: metrics.m.select_expression: ${error.reason}`);
  });

  it('gives line and column of a syntax error', () => {
    const error = renderError('SELECT\n  {{agg_sum("x" }}');
    expect(error.reason).toMatch(/^Jinja error: line 2, column \d+ of the template: /);
    expect(error.reason).not.toContain('\n');
  });

  it('names an unknown experiment field and a missing start date', () => {
    const context = { experiment: experimentTemplateContext(experiment({ startDate: null }), {}) };
    expect(renderError('{{experiment.normandy_slugg}}', context).reason).toContain(
      "experiment has no field 'normandy_slugg'",
    );
    expect(renderError('{{experiment.start_date_str}}', context).reason).toContain(
      "experiment 'test-experiment' has no start date",
    );
  });

  it('rejects a helper called with the wrong number of arguments', () => {
    expect(renderError('{{agg_sum("a", "b")}}').reason).toContain(
      'agg_sum() takes exactly one argument',
    );
  });
});
