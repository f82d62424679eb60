import { UnsafeIdentifierError } from './unsafe-identifier-error.js';

/**
 * Validation and quoting of every name that reaches SQL (DESIGN.md, "Security"). Values go as
 * query parameters; names cannot, so they are checked against a strict allow-list first and only
 * then quoted. A {@link SafeIdentifier} can only be obtained through {@link safeIdentifier} (or
 * the table-name builders that call it), so the quoting helpers never see an unchecked string.
 */

declare const safeIdentifierBrand: unique symbol;

/** A name made of `[A-Za-z0-9_]` only, at most {@link MAX_IDENTIFIER_LENGTH} characters. */
export type SafeIdentifier = string & { readonly [safeIdentifierBrand]: true };

/**
 * Longest accepted identifier. BigQuery allows 300 characters for column names and 1024 for
 * tables; 300 covers both with room for `statistics_<slug>_preenrollment_days28_<n>`.
 */
export const MAX_IDENTIFIER_LENGTH = 300;

/** Longest accepted experiment slug (Experimenter's own limit is far lower). */
export const MAX_SLUG_LENGTH = 200;

/** GCP project ids: lowercase letters, digits and hyphens, starting with a letter. */
const PROJECT_ID = /^[a-z][a-z0-9-]*[a-z0-9]$/;

/**
 * Why `value` is unsafe, naming the first offending character, or null when it only uses
 * characters of `allowed`. Checks the dangerous cases first so messages are specific.
 */
function unsafeReason(value: string, allowed: RegExp, maxLength: number): string | null {
  if (value.length === 0) return 'is empty';
  if (value.length > maxLength) return `is ${value.length} characters long (at most ${maxLength})`;
  if (value.includes('--')) return 'contains "--" (an SQL comment)';
  const bad = [...value].find((ch) => !allowed.test(ch));
  if (bad === undefined) return null;
  const code = bad.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `contains the control character U+${hex4(code)}`;
  if (/\s/.test(bad)) return `contains whitespace (U+${hex4(code)})`;
  return `contains ${JSON.stringify(bad)}`;
}

function hex4(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0');
}

/** Experimenter slugs are Django slugs: letters, digits, `-` and `_`. */
const SLUG_CHAR = /^[A-Za-z0-9_-]$/;
const IDENTIFIER_CHAR = /^[A-Za-z0-9_]$/;
const PROJECT_ID_CHAR = /^[a-z0-9-]$/;
/** GCP's limit on project id length. */
const MAX_PROJECT_ID_LENGTH = 30;

/** True when `slug` is a valid Experimenter slug (see {@link assertExperimentSlug}). */
export function isValidExperimentSlug(slug: string): boolean {
  return unsafeReason(slug, SLUG_CHAR, MAX_SLUG_LENGTH) === null;
}

/**
 * Checks an experiment slug before it is used in a table name, a job id or a URL: letters,
 * digits, `-` and `_` only, no `--`, at most {@link MAX_SLUG_LENGTH} characters.
 * @returns the slug unchanged.
 * @throws UnsafeIdentifierError naming the slug and the offending character.
 */
export function assertExperimentSlug(slug: string): string {
  const reason = unsafeReason(slug, SLUG_CHAR, MAX_SLUG_LENGTH);
  if (reason !== null) throw new UnsafeIdentifierError('experiment slug', slug, reason);
  return slug;
}

/**
 * Checks a table, column, dataset or metric name: `[A-Za-z0-9_]` only, at most
 * {@link MAX_IDENTIFIER_LENGTH} characters, no `--`.
 * @param what - what the name is, for the error message (e.g. `metric name`).
 * @throws UnsafeIdentifierError naming the value and the offending character.
 */
export function safeIdentifier(name: string, what = 'identifier'): SafeIdentifier {
  const reason = unsafeReason(name, IDENTIFIER_CHAR, MAX_IDENTIFIER_LENGTH);
  if (reason !== null) throw new UnsafeIdentifierError(what, name, reason);
  return name as SafeIdentifier;
}

/** True when `name` would pass {@link safeIdentifier}. */
export function isSafeIdentifier(name: string): boolean {
  return unsafeReason(name, IDENTIFIER_CHAR, MAX_IDENTIFIER_LENGTH) === null;
}

/** `"name"` for DuckDB. Only validated names are accepted, so no escaping is ever needed. */
export function quoteDuckDbIdentifier(name: SafeIdentifier): string {
  return `"${safeIdentifier(name)}"`;
}

/** `` `name` `` for BigQuery (a column, dataset or unqualified table). */
export function quoteBigQueryIdentifier(name: SafeIdentifier): string {
  return `\`${safeIdentifier(name)}\``;
}

/**
 * `` `project.dataset.table` `` for BigQuery. The project id may contain hyphens (GCP's rule:
 * lowercase letters, digits, `-`, starting with a letter); dataset and table must be identifiers.
 * @throws UnsafeIdentifierError when the project id is not a GCP project id.
 */
export function quoteBigQueryTable(
  project: string,
  dataset: SafeIdentifier,
  table: SafeIdentifier,
): string {
  const reason = unsafeReason(project, PROJECT_ID_CHAR, MAX_PROJECT_ID_LENGTH);
  if (reason !== null) throw new UnsafeIdentifierError('BigQuery project id', project, reason);
  if (!PROJECT_ID.test(project)) {
    throw new UnsafeIdentifierError(
      'BigQuery project id',
      project,
      'must start with a letter and end with a letter or digit',
    );
  }
  return `\`${project}.${safeIdentifier(dataset, 'dataset name')}.${safeIdentifier(table, 'table name')}\``;
}
