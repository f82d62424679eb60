/**
 * Errors of the statistics engine. Each failure of one statistic becomes a
 * {@link StatisticFailure} carrying the error's class name and message; the other statistics of
 * the slice still run.
 */

/** Base class: anything the engine rejects on purpose. */
export class StatisticError extends Error {
  override readonly name: string = 'StatisticError';
}

/** A branch has no rows at all (the caller passed an empty branch). */
export class EmptyBranchError extends StatisticError {
  override readonly name = 'EmptyBranchError';
}

/** Only one branch has data, so nothing can be compared (individual rows are still produced). */
export class SingleBranchError extends StatisticError {
  override readonly name = 'SingleBranchError';
}

/** A statistic that does not accept nulls met one (bootstrap_mean: "'data' contains null values"). */
export class NullValuesError extends StatisticError {
  override readonly name = 'NullValuesError';
}

/** binomial met a value other than 0 or 1 (or a null). */
export class NonBinaryDataError extends StatisticError {
  override readonly name = 'NonBinaryDataError';
}

/** A statistic or pre-treatment parameter is unknown, missing or of the wrong type. */
export class StatisticParameterError extends StatisticError {
  override readonly name = 'StatisticParameterError';
}

/** A column the statistic needs (metric, numerator, denominator) is missing from the slice. */
export class MissingColumnError extends StatisticError {
  override readonly name = 'MissingColumnError';
}

/** The configured reference branch has no rows in the slice. */
export class ReferenceBranchMissingError extends StatisticError {
  override readonly name = 'ReferenceBranchMissingError';
}

/** The data cannot support the analysis (e.g. the linear model's reference branch is all zero). */
export class DegenerateDataError extends StatisticError {
  override readonly name = 'DegenerateDataError';
}

/** One statistic (or one of its reference iterations) that failed. */
export interface StatisticFailure {
  /** Config name of the statistic. */
  readonly statistic: string;
  /** The reference branch of the failed iteration; null when the whole statistic failed. */
  readonly referenceBranch: string | null;
  /** Class name of the error, e.g. `NullValuesError`. */
  readonly errorClass: string;
  readonly message: string;
}

/** Something worth logging that did not stop the statistic (e.g. a geometric grid fell back). */
export interface StatisticWarning {
  readonly statistic: string;
  readonly message: string;
}
