/**
 * The SQL expressions of a metric-hub folder: the raw templates (select and from expressions
 * found in every TOML file) and their rendered form. Rendering uses the config layer's
 * `loadMetricHub` + `listRenderedExpressions` when src/config provides them, else a local
 * nunjucks renderer with the functions.toml helpers.
 */
import fs from 'node:fs';
import path from 'node:path';

import nunjucks from 'nunjucks';
import { parse } from 'smol-toml';

import { coerceError } from '../../src/analysis/coerce-error.js';

/** One SQL template of the hub. */
export interface RawExpression {
  readonly file: string;
  /** Key path, e.g. `metrics.active_hours.select_expression`. */
  readonly key: string;
  readonly kind: 'select' | 'from';
  readonly template: string;
}

/** A template after rendering (sql) or the reason it could not be rendered (error). */
export interface Rendered extends RawExpression {
  readonly sql?: string;
  readonly error?: string;
}

export interface MetricHubFileText {
  readonly path: string;
  readonly text: string;
}

/** Every `.toml` file below `root`, with its path relative to `root`. */
export function readHubFiles(root: string): MetricHubFileText[] {
  const files: MetricHubFileText[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.toml')) {
        files.push({ path: path.relative(root, full), text: fs.readFileSync(full, 'utf8') });
      }
    }
  };
  walk(root);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** The select/from expression templates of the files. */
export function rawExpressions(files: readonly MetricHubFileText[]): RawExpression[] {
  const out: RawExpression[] = [];
  const visit = (value: unknown, file: string, trail: readonly string[]): void => {
    if (typeof value !== 'object' || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      const kind =
        key === 'select_expression' ? 'select' : key === 'from_expression' ? 'from' : undefined;
      if (kind !== undefined && typeof child === 'string') {
        out.push({ file, key: [...trail, key].join('.'), kind, template: child });
      } else {
        visit(child, file, [...trail, key]);
      }
    }
  };
  for (const file of files) visit(parse(file.text), file.path, []);
  return out;
}

interface ConfigLayerApi {
  readonly loadMetricHub: (files: readonly MetricHubFileText[]) => unknown;
  readonly listRenderedExpressions: (
    hub: unknown,
  ) => readonly { file: string; key: string; kind: string; sql: string }[];
}

/** The config layer's renderer, when src/config exports it. */
async function configLayerApi(): Promise<ConfigLayerApi | undefined> {
  const hubModule = '../../src/config/metric-hub.js';
  const listModule = '../../src/config/list-rendered-expressions.js';
  try {
    const hub = (await import(hubModule)) as Partial<ConfigLayerApi>;
    const list = (await import(listModule)) as Partial<ConfigLayerApi>;
    if (
      typeof hub.loadMetricHub !== 'function' ||
      typeof list.listRenderedExpressions !== 'function'
    ) {
      return undefined;
    }
    return {
      loadMetricHub: hub.loadMetricHub,
      listRenderedExpressions: list.listRenderedExpressions,
    };
  } catch (e) {
    console.warn(`config renderer unavailable (${coerceError(e).message}); using the local one`);
    return undefined;
  }
}

/** Renders every template; reports which renderer was used. */
export async function renderExpressions(
  files: readonly MetricHubFileText[],
): Promise<{ renderer: string; expressions: Rendered[] }> {
  const raw = rawExpressions(files);
  const api = await configLayerApi();
  if (api === undefined) {
    return { renderer: 'local nunjucks', expressions: renderLocally(files, raw) };
  }
  const rendered = api.listRenderedExpressions(api.loadMetricHub(files));
  const byKey = new Map(rendered.map((r) => [`${r.file}#${r.key}`, r.sql]));
  const missing = raw.filter((r) => !byKey.has(`${r.file}#${r.key}`));
  const local = new Map(renderLocally(files, missing).map((r) => [`${r.file}#${r.key}`, r]));
  const expressions = raw.map((r): Rendered => {
    const sql = byKey.get(`${r.file}#${r.key}`);
    return sql === undefined ? local.get(`${r.file}#${r.key}`)! : { ...r, sql };
  });
  const note = missing.length === 0 ? '' : ` (+ ${missing.length} it leaves out, rendered locally)`;
  return { renderer: `src/config listRenderedExpressions${note}`, expressions };
}

function renderLocally(
  files: readonly MetricHubFileText[],
  raw: readonly RawExpression[],
): Rendered[] {
  const env = new nunjucks.Environment([], { autoescape: false, throwOnUndefined: true });
  for (const file of files.filter((f) => f.path.endsWith('functions.toml'))) {
    const functions =
      (parse(file.text) as { functions?: Record<string, { definition?: string }> }).functions ?? {};
    for (const [name, fn] of Object.entries(functions)) {
      env.addGlobal(name, (expr: string) =>
        (fn.definition ?? '').replaceAll('{select_expr}', expr),
      );
    }
  }
  const parameters = new Proxy(
    {},
    { get: (_t, name) => (typeof name === 'string' ? `parameter_${name}` : undefined) },
  );
  return raw.map((r) => {
    const platform = path.basename(r.file, '.toml');
    const experiment = {
      start_date_str: '2024-01-01',
      last_enrollment_date_str: '2024-01-08',
      end_date_str: '2024-02-01',
      normandy_slug: platform,
      slug: platform,
    };
    try {
      const source = r.template.replaceAll('"""', '"');
      const sql = env
        .renderString(source, { experiment, parameters })
        .replaceAll('{dataset}', platform)
        .replaceAll('{experiment_slug}', platform);
      return { ...r, sql };
    } catch (e) {
      return { ...r, error: `render: ${coerceError(e).message.split('\n').at(-1)?.trim() ?? ''}` };
    }
  });
}
