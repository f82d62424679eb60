import {
  Bool,
  DateDay,
  Float64,
  Int64,
  TimeUnit,
  Timestamp,
  Utf8,
  makeData,
  makeVector,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
import {
  DuckDBDateValue,
  DuckDBTimestampValue,
  DuckDBTypeId,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { scalarTypeOf } from './bigquery-types.js';

/** Doubles (NULL → a cleared validity bit), built without per-value objects. */
function float64Vector(values: readonly DuckDBValue[]): Vector {
  const data = new Float64Array(values.length);
  const validity = new Uint8Array((values.length + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i];
    if (value === null || value === undefined) {
      nulls += 1;
    } else {
      data[i] = Number(value);
      validity[i >> 3]! |= 1 << (i & 7);
    }
  }
  return makeVector(
    makeData({
      type: new Float64(),
      length: values.length,
      nullCount: nulls,
      ...(nulls === 0 ? {} : { nullBitmap: validity }),
      data,
    }),
  );
}

function mapped<T>(values: readonly DuckDBValue[], map: (value: DuckDBValue) => T): (T | null)[] {
  return values.map((value) => (value === null || value === undefined ? null : map(value)));
}

/** Arrow's date and timestamp builders take epoch milliseconds. */
function dateMs(value: DuckDBValue): number {
  return (value instanceof DuckDBDateValue ? value.days : Number(value)) * 86_400_000;
}

function timestampMs(value: DuckDBValue): number {
  return value instanceof DuckDBTimestampValue ? Number(value.micros) / 1000 : Number(value);
}

/**
 * The Arrow column BigQuery's Storage Read API would send for a DuckDB column, typed by the
 * column's BigQuery type (as the fake's REST side reports it): INTEGER → Int64, FLOAT and NUMERIC
 * → Float64 (a DuckDB DECIMAL is what BigQuery types FLOAT64, e.g. the literal `1.5`), BOOLEAN →
 * Bool, DATE → Date32, TIMESTAMP → Timestamp(µs, UTC), anything else → Utf8.
 */
export function arrowVectorOf(type: DuckDBType, values: readonly DuckDBValue[]): Vector {
  if (type.typeId === DuckDBTypeId.LIST || type.typeId === DuckDBTypeId.STRUCT) {
    return orEmpty(
      vectorFromArray(
        mapped(values, (v) => JSON.stringify(v)),
        new Utf8(),
      ),
      new Utf8(),
    );
  }
  switch (scalarTypeOf(type)) {
    case 'FLOAT':
    case 'NUMERIC':
      return float64Vector(values);
    case 'INTEGER':
      return orEmpty(
        vectorFromArray(
          mapped(values, (v) => BigInt(v as bigint | number)),
          new Int64(),
        ),
        new Int64(),
      );
    case 'BOOLEAN':
      return orEmpty(
        vectorFromArray(
          mapped(values, (v) => v === true),
          new Bool(),
        ),
        new Bool(),
      );
    case 'DATE':
      return orEmpty(vectorFromArray(mapped(values, dateMs), new DateDay()), new DateDay());
    case 'TIMESTAMP':
      return orEmpty(
        vectorFromArray(mapped(values, timestampMs), new Timestamp(TimeUnit.MICROSECOND, 'UTC')),
        new Timestamp(TimeUnit.MICROSECOND, 'UTC'),
      );
    default:
      return orEmpty(vectorFromArray(mapped(values, String), new Utf8()), new Utf8());
  }
}

/**
 * `vector`, or an empty vector of `type` when it has no data (apache-arrow builds an untyped
 * vector from an empty array: an empty table would otherwise have no schema).
 */
function orEmpty(vector: Vector, type: DataType): Vector {
  return vector.data.length > 0 ? vector : makeVector(makeData({ type, length: 0 }));
}
