import { createHash } from 'node:crypto';

/** BigQuery's longest label key or value. */
const MAX_LABEL_LENGTH = 63;

/** Hex digits of the hash that keeps truncated values distinct. */
const HASH_LENGTH = 8;

/** Labels a resource can carry. */
const MAX_LABELS = 64;

/** The label every job contrail starts carries. */
const APP_LABEL = { key: 'app', value: 'contrail' } as const;

/** A short, stable hash of `text` (hex). */
function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, HASH_LENGTH);
}

/**
 * `text` lowercased, every character outside `[a-z0-9_-]` replaced by `_`, and, when longer than
 * 63 characters, cut to 54 and followed by `_` and 8 hex digits of a hash of the original text,
 * so two long texts sharing a prefix stay distinct.
 */
export function labelText(text: string): string {
  const cleaned = text.toLowerCase().replace(/[^a-z0-9_-]/g, '_');
  if (cleaned.length <= MAX_LABEL_LENGTH) return cleaned;
  const head = cleaned.slice(0, MAX_LABEL_LENGTH - HASH_LENGTH - 1);
  return `${head}_${shortHash(text)}`;
}

/** A label key: {@link labelText}, starting with a letter (`l_` is put in front otherwise). */
export function labelKey(key: string): string | undefined {
  if (key === '') return undefined;
  const text = labelText(key);
  return /^[a-z]/.test(text) ? text : labelText(`l_${key}`);
}

/**
 * The labels of a job: the caller's, made valid for BigQuery (keys and values lowercase,
 * `[a-z0-9_-]`, at most 63 characters, keys starting with a letter; see {@link labelText}),
 * plus `app: contrail`, which a caller cannot replace. Empty keys are dropped; when two keys
 * clean to the same key, the one later in code-unit order wins; beyond BigQuery's 64 labels the
 * ones later in that order are dropped.
 */
export function bigQueryLabels(
  labels: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [key, value] of entries) {
    const cleanKey = labelKey(key);
    if (cleanKey === undefined || cleanKey === APP_LABEL.key) continue;
    if (!(cleanKey in out) && Object.keys(out).length >= MAX_LABELS - 1) continue;
    out[cleanKey] = labelText(value);
  }
  return { ...out, [APP_LABEL.key]: APP_LABEL.value };
}
