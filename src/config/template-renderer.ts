import nunjucks from 'nunjucks';

import { coerceError } from '../analysis/coerce-error.js';
import { ConfigError } from './config-error.js';
import { expandFunctionDefinition } from './expand-function-definition.js';
import { mergeAdjacentStringLiterals } from './jinja-string-literals.js';

/** Variables a template may use besides the helper functions. */
export interface TemplateContext {
  /** `{{experiment.start_date_str}}` and friends (see experiment-template-context.ts). */
  readonly experiment?: Readonly<Record<string, unknown>>;
  /** `{{parameters.<name>}}`: outcome parameters, already formatted (per-branch ones as CASE). */
  readonly parameters?: Readonly<Record<string, string>>;
}

/** Where a template was written, for error messages. */
export interface TemplateSite {
  readonly file: string;
  readonly keyPath: string;
}

/** Renders metric-hub Jinja templates (nunjucks, configured to behave like Jinja2 there). */
export interface TemplateRenderer {
  /** Names of the helper functions (`agg_sum`, ...). */
  readonly functionNames: readonly string[];
  /**
   * Renders `template`.
   * @throws ConfigError naming the site and the template error (syntax, undefined function or
   * variable, failing helper).
   */
  render(template: string, context: TemplateContext, site: TemplateSite): string;
}

/**
 * A renderer whose globals are the functions.toml helpers: `{{agg_sum("x")}}` expands the
 * function's `definition` with `{select_expr}` = `x`. Like metric-config-parser's Jinja
 * environment: no autoescaping, undefined names are errors, a single trailing newline of the
 * template is dropped, adjacent string literals are concatenated.
 * @param functions helper name → definition (e.g. `COALESCE(SUM({select_expr}), 0)`).
 */
export function createTemplateRenderer(
  functions: Readonly<Record<string, string>>,
): TemplateRenderer {
  const env = new nunjucks.Environment([], { autoescape: false, throwOnUndefined: true });
  const functionNames = Object.keys(functions).sort();
  // Templates are compiled once; the same definitions are rendered for many experiments.
  const compiledTemplates = new Map<string, nunjucks.Template>();
  for (const [name, definition] of Object.entries(functions)) {
    env.addGlobal(name, (...args: unknown[]) =>
      expandFunctionDefinition(definition, helperArgument(name, args)),
    );
  }
  return {
    functionNames,
    render(template, context, site) {
      try {
        let compiled = compiledTemplates.get(template);
        if (compiled === undefined) {
          const source = mergeAdjacentStringLiterals(template.replace(/\r?\n$/, ''));
          compiled = nunjucks.compile(source, env);
          compiledTemplates.set(template, compiled);
        }
        return compiled.render({ ...context });
      } catch (thrown) {
        const error = coerceError(thrown);
        throw new ConfigError(
          site.file,
          site.keyPath,
          `Jinja error: ${describeTemplateError(error.message, functionNames)}`,
        );
      }
    },
  };
}

function helperArgument(name: string, args: readonly unknown[]): string {
  const last = args[args.length - 1];
  if (typeof last === 'object' && last !== null && '__keywords' in last) {
    const keywords = last as Record<string, unknown>;
    if (args.length === 1 && 'select_expr' in keywords) return String(keywords.select_expr);
  } else if (args.length === 1) {
    return String(args[0]);
  }
  throw new Error(`${name}() takes exactly one argument, the select expression`);
}

/** nunjucks messages, reworded into one line that points at the cause. */
function describeTemplateError(message: string, functionNames: readonly string[]): string {
  const oneLine = message
    .replace(/^\(unknown path\)\s*/, '')
    .replace(/^\[Line (\d+), Column (\d+)\]\s*/, 'line $1, column $2 of the template: ')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/(^|: )Error: /, '$1');
  const call = /Unable to call `([^`]+)`, which is undefined or falsey/.exec(oneLine);
  if (call) {
    return `'${call[1]}' is not a function of functions.toml (known: ${functionNames.join(', ')})`;
  }
  if (oneLine.includes('attempted to output null or undefined value')) {
    return `${oneLine} (an undefined variable, or a field that has no value)`;
  }
  return oneLine;
}
