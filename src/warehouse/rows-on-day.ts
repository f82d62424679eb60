import type { IsoDate } from '../analysis/iso-date.js';
import type { DataSource } from '../config/analysis-config.js';
import type { QueryCost } from './warehouse.js';

/** What a readiness probe needs of a data source: where its rows are and their date column. */
export type ProbedDataSource = Pick<DataSource, 'name' | 'fromExpression' | 'submissionDateColumn'>;

/** One day of one data source, as {@link Warehouse.hasRowsOn} asks about it. */
export interface RowsOnDaySpec {
  readonly source: ProbedDataSource;
  /** The day whose rows are looked for (a partition, where the source is partitioned by it). */
  readonly date: IsoDate;
}

/** What {@link Warehouse.hasRowsOn} found, and what the look cost. */
export interface RowsOnDay {
  /** True when at least one row of the source has `submission_date = date`. */
  readonly hasRows: boolean;
  readonly cost: QueryCost;
}
