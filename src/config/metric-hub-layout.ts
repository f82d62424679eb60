/** What a file of a metric-hub folder is, from its path (relative, `/`-separated). */
export type MetricHubFileRole =
  | { readonly kind: 'functions'; readonly jetstream: boolean }
  | { readonly kind: 'definitions'; readonly platform: string; readonly jetstream: boolean }
  | { readonly kind: 'defaults'; readonly name: string }
  | { readonly kind: 'outcome'; readonly platform: string; readonly slug: string }
  | { readonly kind: 'experiment'; readonly slug: string }
  | { readonly kind: 'ignored' };

/**
 * Classifies a path of a metric-hub checkout:
 * - `definitions/functions.toml`, `jetstream/definitions/functions.toml`: Jinja helpers;
 * - `definitions/<platform>.toml`, `jetstream/definitions/<platform>.toml`: definitions;
 * - `jetstream/defaults/<app or type>.toml`: defaults;
 * - `jetstream/outcomes/<platform>/<slug>.toml`: outcomes;
 * - `jetstream/<slug>.toml`: per-experiment overrides;
 * - anything else (READMEs, `*.toml.example`, other tools' folders): ignored.
 */
export function classifyMetricHubPath(path: string): MetricHubFileRole {
  const normalized = path.replace(/\\/g, '/').replace(/^\.\//, '');
  if (!normalized.endsWith('.toml')) return { kind: 'ignored' };
  const parts = normalized.slice(0, -'.toml'.length).split('/');
  const [a, b, c, d] = parts;
  if (parts.length === 2 && a === 'definitions' && b !== undefined) {
    return definitionsRole(b, false);
  }
  if (parts.length === 2 && a === 'jetstream' && b !== undefined) {
    return { kind: 'experiment', slug: b };
  }
  if (parts.length === 3 && a === 'jetstream' && b === 'definitions' && c !== undefined) {
    return definitionsRole(c, true);
  }
  if (parts.length === 3 && a === 'jetstream' && b === 'defaults' && c !== undefined) {
    return { kind: 'defaults', name: c };
  }
  if (
    parts.length === 4 &&
    a === 'jetstream' &&
    b === 'outcomes' &&
    c !== undefined &&
    d !== undefined
  ) {
    return { kind: 'outcome', platform: c, slug: d };
  }
  return { kind: 'ignored' };
}

function definitionsRole(name: string, jetstream: boolean): MetricHubFileRole {
  return name === 'functions'
    ? { kind: 'functions', jetstream }
    : { kind: 'definitions', platform: name, jetstream };
}

/** Slug of a stand-alone override file (`path/to/my-experiment.toml` → `my-experiment`). */
export function slugOfOverridePath(path: string): string {
  const base = path.replace(/\\/g, '/').split('/').pop() ?? path;
  return base.replace(/\.toml$/, '');
}
