import { WarehouseQueryError } from '../warehouse-errors.js';
import type { ResultPage } from './query-job.js';
import { cellValue, isNumericType, numberCell, type ResultField } from './wire-values.js';

/** How a result column is stored: branch index, metric value, or segment mask. */
export type TypedColumnKind = 'u16' | 'f64' | 'u8';

type TypedColumn = Uint16Array | Float64Array | Uint8Array;

/** Columns read from a query result, each exactly `rows` long. */
export interface TypedColumns {
  readonly rows: number;
  readonly columns: TypedColumn[];
}

function allocate(kind: TypedColumnKind, length: number): TypedColumn {
  if (kind === 'u16') return new Uint16Array(length);
  if (kind === 'u8') return new Uint8Array(length);
  return new Float64Array(length);
}

function grow(column: TypedColumn, length: number): TypedColumn {
  const bigger = new (column.constructor as new (n: number) => TypedColumn)(length);
  bigger.set(column);
  return bigger;
}

function checkFields(fields: readonly ResultField[], names: readonly string[]): void {
  const got = fields.map((f) => f.name);
  if (got.length !== names.length || got.some((name, i) => name !== names[i])) {
    throw new WarehouseQueryError(
      `unexpected result columns: got ${got.join(', ')}, expected ${names.join(', ')}`,
    );
  }
  for (const field of fields) {
    if (!isNumericType(field.type) || field.mode === 'REPEATED') {
      throw new WarehouseQueryError(`column ${field.name} has type ${field.type}, not a number`);
    }
  }
}

function store(
  column: TypedColumn,
  kind: TypedColumnKind,
  at: number,
  value: number,
  field: ResultField,
): void {
  if (kind === 'f64') {
    column[at] = value;
  } else if (kind === 'u8') {
    column[at] = value === 1 ? 1 : 0;
  } else {
    if (!Number.isInteger(value) || value < 0 || value > 0xffff) {
      throw new WarehouseQueryError(`column ${field.name}: ${value} is not a branch index`);
    }
    column[at] = value;
  }
}

/**
 * Reads result pages straight into typed arrays, one per column (`names` must match the
 * result's columns in order): INT64/FLOAT64/NUMERIC/BOOL cells parsed from their JSON strings,
 * NULL → NaN for values and 0 for masks. Arrays are sized from `totalRows`.
 * @throws WarehouseQueryError for unexpected columns, types or branch indexes.
 */
export async function readTypedColumns(
  pages: AsyncIterable<ResultPage>,
  names: readonly string[],
  kinds: readonly TypedColumnKind[],
): Promise<TypedColumns> {
  let columns: TypedColumn[] = kinds.map((kind) => allocate(kind, 0));
  let rows = 0;
  for await (const page of pages) {
    if (page.fields.length > 0) checkFields(page.fields, names);
    const needed = Math.max(page.totalRows, rows + page.rows.length);
    if (columns[0] !== undefined && columns[0].length < needed) {
      columns = columns.map((c) => grow(c, needed));
    }
    for (const row of page.rows) {
      for (let c = 0; c < kinds.length; c += 1) {
        const field = page.fields[c]!;
        store(columns[c]!, kinds[c]!, rows, numberCell(cellValue(row, c), field), field);
      }
      rows += 1;
    }
  }
  return { rows, columns: columns.map((c) => (c.length === rows ? c : c.slice(0, rows))) };
}
