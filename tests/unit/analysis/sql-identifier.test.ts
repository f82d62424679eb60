import { describe, expect, it } from 'vitest';

import {
  assertExperimentSlug,
  quoteBigQueryIdentifier,
  quoteBigQueryTable,
  quoteDuckDbIdentifier,
  safeIdentifier,
  type SafeIdentifier,
} from '../../../src/analysis/sql-identifier.js';
import { UnsafeIdentifierError } from '../../../src/analysis/unsafe-identifier-error.js';

function rejection(fn: () => unknown): UnsafeIdentifierError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UnsafeIdentifierError) return e;
    throw e;
  }
  throw new Error('expected an UnsafeIdentifierError');
}

describe('slug validation', () => {
  it('accepts Experimenter slugs', () => {
    for (const slug of ['bug-1647305-pref-comcast', 'a', 'Mixed_Case-1', 'x'.repeat(200)]) {
      expect(assertExperimentSlug(slug)).toBe(slug);
    }
  });

  it('rejects the injection slug before any query is built, naming the value', () => {
    const error = rejection(() => assertExperimentSlug('x"; DROP TABLE y; --'));
    expect(error.name).toBe('UnsafeIdentifierError');
    expect(error.value).toBe('x"; DROP TABLE y; --');
    expect(error.message).toContain('experiment slug "x\\"; DROP TABLE y; --"');
    expect(error.message).toContain('--');
  });

  it.each([
    ['quote', 'a"b', /contains "\\""/],
    ['backtick', 'a`b', /contains "`"/],
    ['semicolon', 'a;b', /contains ";"/],
    ['space', 'a b', /whitespace/],
    ['tab', 'a\tb', /control character U\+0009/],
    ['newline', 'a\nb', /control character U\+000A/],
    ['NUL', 'a\u0000b', /control character U\+0000/],
    ['comment', 'a--b', /"--"/],
    ['dot', 'a.b', /contains "\."/],
    ['empty', '', /is empty/],
    ['too long', 'x'.repeat(201), /201 characters long/],
  ])('rejects a slug with %s', (_label, slug, message) => {
    expect(rejection(() => assertExperimentSlug(slug)).message).toMatch(message);
  });
});

describe('identifiers and quoting', () => {
  it('accepts [A-Za-z0-9_] names and quotes them for DuckDB and BigQuery', () => {
    const name = safeIdentifier('statistics_my_slug_week_3');
    expect(quoteDuckDbIdentifier(name)).toBe('"statistics_my_slug_week_3"');
    expect(quoteBigQueryIdentifier(name)).toBe('`statistics_my_slug_week_3`');
  });

  it('rejects hyphens and anything that could end a quoted identifier', () => {
    for (const bad of ['my-table', 'a"b', 'a`b', 'a b', 'x'.repeat(301)]) {
      expect(() => safeIdentifier(bad, 'metric name')).toThrow(/unsafe metric name/);
    }
  });

  it('re-checks at quoting time, so a forged SafeIdentifier cannot slip through', () => {
    const forged = 'x"; DROP TABLE y; --' as SafeIdentifier;
    expect(() => quoteDuckDbIdentifier(forged)).toThrow(UnsafeIdentifierError);
    expect(() => quoteBigQueryIdentifier(forged)).toThrow(UnsafeIdentifierError);
  });

  it('quotes a qualified BigQuery table and validates the project id', () => {
    const dataset = safeIdentifier('mozanalysis');
    const table = safeIdentifier('enrollments_x');
    expect(quoteBigQueryTable('moz-fx-data-experiments', dataset, table)).toBe(
      '`moz-fx-data-experiments.mozanalysis.enrollments_x`',
    );
    for (const project of ['Proj', 'p`roj', 'proj.x', '1proj', 'proj-', 'a--b', 'p'.repeat(31)]) {
      expect(() => quoteBigQueryTable(project, dataset, table)).toThrow(/BigQuery project id/);
    }
  });
});
