import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  VARCHAR,
  type DuckDBType,
  type DuckDBValue,
  type Json,
} from '@duckdb/node-api';
import { coerceError } from '../../../src/analysis/coerce-error.js';
import { toDuckDbSql } from '../../../src/warehouse/dialect/index.js';
import { bigQueryParamsToDuckDb } from '../../../src/warehouse/duckdb/duckdb-dialect.js';
import { fieldOf, type TableField } from './bigquery-types.js';
import { FakeApiError, invalidRequest } from './fake-api-error.js';
import type { BoundParams, FakeDatabase } from './fake-database.js';

/** A query parameter as the REST API carries it (scalars only in the fake). */
export interface QueryParameter {
  readonly name?: string;
  readonly parameterType?: { readonly type?: string };
  readonly parameterValue?: { readonly value?: string | null };
}

/** What a query produced. */
export interface QueryOutcome {
  readonly statementType: 'SELECT' | 'DML' | 'DDL';
  readonly fields: readonly TableField[];
  readonly rows: readonly (readonly Json[])[];
  /** Rows changed by a DML statement. */
  readonly affectedRows: number | null;
}

const SCALAR_PARAMS: Readonly<
  Record<string, { type: DuckDBType; parse: (v: string) => DuckDBValue }>
> = {
  INT64: { type: BIGINT, parse: (v) => BigInt(v) },
  INTEGER: { type: BIGINT, parse: (v) => BigInt(v) },
  FLOAT64: { type: DOUBLE, parse: (v) => Number(v) },
  FLOAT: { type: DOUBLE, parse: (v) => Number(v) },
  BOOL: { type: BOOLEAN, parse: (v) => v.toLowerCase() === 'true' },
  BOOLEAN: { type: BOOLEAN, parse: (v) => v.toLowerCase() === 'true' },
  STRING: { type: VARCHAR, parse: (v) => v },
  // Dates and times travel as text; the SQL casts them (the builders write CAST(@d AS DATE)).
  DATE: { type: VARCHAR, parse: (v) => v },
  DATETIME: { type: VARCHAR, parse: (v) => v },
  TIMESTAMP: { type: VARCHAR, parse: (v) => v },
  NUMERIC: { type: DOUBLE, parse: (v) => Number(v) },
};

/**
 * Named query parameters → DuckDB values with explicit types (INT64 binds as BIGINT, not DOUBLE).
 * @throws FakeApiError (400) for positional, unnamed or non-scalar parameters.
 */
export function bindParameters(mode: unknown, parameters: unknown): BoundParams {
  const list = Array.isArray(parameters) ? (parameters as QueryParameter[]) : [];
  if (list.length > 0 && mode !== 'NAMED' && mode !== 'named') {
    throw invalidRequest(`the fake supports named parameters only (parameterMode ${String(mode)})`);
  }
  const values: Record<string, DuckDBValue> = {};
  const types: Record<string, DuckDBType> = {};
  for (const parameter of list) {
    const name = parameter.name ?? '';
    const typeName = parameter.parameterType?.type ?? '';
    const scalar = SCALAR_PARAMS[typeName];
    if (name === '' || !scalar) {
      throw invalidRequest(`unsupported query parameter ${JSON.stringify(parameter)}`);
    }
    const raw = parameter.parameterValue?.value;
    values[name] = raw === undefined || raw === null ? null : scalar.parse(raw);
    types[name] = scalar.type;
  }
  return { values, types };
}

/**
 * BigQuery SQL → DuckDB SQL with `$name` parameters; `project` (the request's) is dropped from
 * `project.dataset.table` names like the well-known ones.
 * @throws FakeApiError (400 invalidQuery).
 */
export function translateQuery(sql: string, project: string): string {
  try {
    return bigQueryParamsToDuckDb(toDuckDbSql(sql, { projects: [project.toLowerCase()] }));
  } catch (e) {
    throw new FakeApiError(400, 'invalidQuery', coerceError(e).message);
  }
}

/** A DuckDB failure as BigQuery would report it: missing tables and datasets are 404s. */
export function queryError(e: unknown): FakeApiError {
  const error = coerceError(e);
  if (error instanceof FakeApiError) return error;
  const message = error.message.split('\n')[0] ?? error.message;
  const table = /Table with name (\S+) does not exist/.exec(message);
  if (table) return new FakeApiError(404, 'notFound', `Not found: Table ${table[1]} (${message})`);
  const schema = /Schema with name (\S+) does not exist/.exec(message);
  if (schema) {
    return new FakeApiError(404, 'notFound', `Not found: Dataset ${schema[1]} (${message})`);
  }
  return new FakeApiError(400, 'invalidQuery', message);
}

/** SELECT, DML or DDL, from the statement's first keyword. */
export function statementTypeOf(sql: string): QueryOutcome['statementType'] {
  const stripped = sql.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)+/, '').toUpperCase();
  if (/^(SELECT|WITH|\(|FROM)/.test(stripped)) return 'SELECT';
  if (/^(INSERT|UPDATE|DELETE|MERGE)/.test(stripped)) return 'DML';
  return 'DDL';
}

/** Translates and runs a query. @throws FakeApiError as BigQuery would answer. */
export async function executeQuery(
  db: FakeDatabase,
  sql: string,
  params: BoundParams,
  project: string,
): Promise<QueryOutcome> {
  const statementType = statementTypeOf(sql);
  const translated = translateQuery(sql, project);
  try {
    const result = await db.read(translated, params);
    if (statementType !== 'SELECT') {
      const count = statementType === 'DML' ? Number(result.rows[0]?.[0] ?? 0) : null;
      return { statementType, fields: [], rows: [], affectedRows: count };
    }
    const fields = result.names.map((name, i) => fieldOf(name, result.types[i]!));
    return { statementType, fields, rows: result.rows, affectedRows: null };
  } catch (e) {
    const error = coerceError(e);
    throw queryError(error);
  }
}

/**
 * Dry run: translate, parse, bind and plan without running — with the parameters' values
 * bound, an EXPLAIN (a prepare alone leaves some binder errors behind parameters unreported,
 * where BigQuery's dry run reports them). @throws FakeApiError.
 */
export async function dryRunQuery(
  db: FakeDatabase,
  sql: string,
  project: string,
  params?: BoundParams,
): Promise<void> {
  const translated = translateQuery(sql, project);
  try {
    if (params !== undefined && statementTypeOf(sql) === 'SELECT') {
      await db.read(`EXPLAIN ${translated}`, params);
      return;
    }
    await db.prepare(translated);
  } catch (e) {
    const error = coerceError(e);
    throw queryError(error);
  }
}
