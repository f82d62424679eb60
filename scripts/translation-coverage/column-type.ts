/**
 * Column types inferred from how an expression uses a column, and the DuckDB DDL and sample
 * values written for them. Histograms and JSON objects are JSON strings; maps are lists of
 * `STRUCT(key, value)`, as in the telemetry tables.
 */
export type ScalarKind =
  'BIGINT' | 'DOUBLE' | 'VARCHAR' | 'BOOLEAN' | 'DATE' | 'TIMESTAMP' | 'HIST' | 'JSON';

export type ColumnType =
  | { readonly kind: 'scalar'; readonly scalar: ScalarKind; readonly jsonKeys?: readonly string[] }
  | { readonly kind: 'struct'; readonly fields: ReadonlyMap<string, ColumnType> }
  | { readonly kind: 'list'; readonly element: ColumnType };

/** What a usage says about a value; `undefined` means nothing. */
export type Hint = ColumnType | undefined;

export const scalar = (kind: ScalarKind, jsonKeys?: readonly string[]): ColumnType => ({
  kind: 'scalar',
  scalar: kind,
  ...(jsonKeys === undefined ? {} : { jsonKeys }),
});
export const listOf = (element: ColumnType): ColumnType => ({ kind: 'list', element });
export const mapOf = (value: ColumnType): ColumnType =>
  listOf({
    kind: 'struct',
    fields: new Map([
      ['key', scalar('VARCHAR')],
      ['value', value],
    ]),
  });

const PRIORITY: Readonly<Record<ScalarKind, number>> = {
  HIST: 6,
  JSON: 5,
  DATE: 4,
  TIMESTAMP: 4,
  BOOLEAN: 3,
  VARCHAR: 2,
  DOUBLE: 1,
  BIGINT: 0,
};

/** Merges two usages of one column: structs merge fields, the more specific scalar wins. */
export function mergeTypes(a: ColumnType, b: ColumnType): ColumnType {
  if (a.kind === 'struct' && b.kind === 'struct') {
    const fields = new Map(a.fields);
    for (const [name, type] of b.fields) {
      const known = fields.get(name);
      fields.set(name, known === undefined ? type : mergeTypes(known, type));
    }
    return { kind: 'struct', fields };
  }
  if (a.kind === 'list' && b.kind === 'list') return listOf(mergeTypes(a.element, b.element));
  if (a.kind === 'scalar' && b.kind === 'scalar') {
    if (a.scalar === 'JSON' && b.scalar === 'JSON') {
      return scalar('JSON', [...new Set([...(a.jsonKeys ?? []), ...(b.jsonKeys ?? [])])]);
    }
    return PRIORITY[b.scalar] > PRIORITY[a.scalar] ? b : a;
  }
  // A struct/list beats a scalar guess (`a.b` proves `a` is a struct).
  return a.kind === 'scalar' ? b : a;
}

/** The DuckDB type of a column type. */
export function duckDbType(type: ColumnType): string {
  if (type.kind === 'list') return `${duckDbType(type.element)}[]`;
  if (type.kind === 'struct') {
    const fields = [...type.fields].map(([n, t]) => `"${n}" ${duckDbType(t)}`);
    return `STRUCT(${fields.join(', ')})`;
  }
  return type.scalar === 'HIST' || type.scalar === 'JSON' ? 'VARCHAR' : type.scalar;
}

const HISTOGRAM =
  '{"bucket_count":3,"histogram_type":1,"sum":10,"range":[1,2],"values":{"0":1,"1":2}}';

/** A DuckDB literal of one plausible value of the type (cast to it by the caller). */
export function sampleLiteral(type: ColumnType): string {
  if (type.kind === 'list') return `[${sampleLiteral(type.element)}]`;
  if (type.kind === 'struct') {
    return `{${[...type.fields].map(([n, t]) => `'${n}': ${sampleLiteral(t)}`).join(', ')}}`;
  }
  switch (type.scalar) {
    case 'BIGINT':
      return '1';
    case 'DOUBLE':
      return '1.5';
    case 'VARCHAR':
      return "'1'";
    case 'BOOLEAN':
      return 'true';
    case 'DATE':
      return "'2024-01-01'";
    case 'TIMESTAMP':
      return "'2024-01-01 00:00:00'";
    case 'HIST':
      return `'${HISTOGRAM}'`;
    case 'JSON':
      return `'${JSON.stringify(Object.fromEntries((type.jsonKeys ?? []).map((k) => [k, '1'])))}'`;
  }
}
