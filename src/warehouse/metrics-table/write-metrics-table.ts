import { coerceError } from '../../analysis/coerce-error.js';
import {
  enrollmentsTableName,
  metricsTableName,
  metricsViewName,
  scanTableName,
} from '../../analysis/table-names.js';
import { covariateSuffix, type MetricsTableSpec } from '../metrics-table-spec.js';
import { sanityColumnNames } from '../sql/sanity-columns.js';
import { buildMetricsJoinQuery, type WrittenPart } from '../sql/metrics-join-query.js';
import { buildMetricsPartQuery, partColumns, type MetricsPart } from '../sql/metrics-part-query.js';
import type { SqlQuery } from '../sql/sql-query.js';
import type { TableNamer } from '../sql/table-namer.js';
import { TableNotFoundError } from '../warehouse-errors.js';
import type { JobContext, QueryCost, Warehouse } from '../warehouse.js';
import { metricsParts } from './metrics-parts.js';
import { metricsTableDescription } from './metrics-table-description.js';
import { replaceWindowView } from './replace-window-view.js';
import {
  parseScanPartFailures,
  SCAN_LABEL,
  scanLabelValue,
  scanPartDescription,
  type MetricColumnFailure,
} from './scan-part-record.js';

export type { MetricColumnFailure } from './scan-part-record.js';

/** What {@link writeMetricsTable} did. */
export interface MetricsTableResult {
  readonly table: string;
  /** Clients (rows) in the table. */
  readonly clients: number;
  /** Branches in `branch_index` order: the configured ones, then others found. */
  readonly branches: readonly string[];
  /**
   * Telemetry scans this job ran (one per part query, retries after isolating a broken metric
   * included); a scan another table of the same run already ran is reused, not counted.
   */
  readonly scans: number;
  readonly failures: readonly MetricColumnFailure[];
  /** Problems that cost no result (a view that could not be made). */
  readonly warnings: readonly string[];
  readonly cost: QueryCost;
}

/** What the metrics stage needs besides the warehouse. */
export interface WriteMetricsTableOptions {
  /** The SQL builders' table references, as the warehouse spells them. */
  readonly tables: TableNamer;
  /** Labels, job key and cancellation of the warehouse jobs. */
  readonly job?: JobContext;
  /** Labels of the tables written (`last_updated` is added by the warehouse). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Labels of the shared scan tables (default: {@link labels}). */
  readonly scanLabels?: Readonly<Record<string, string>>;
  /** Told every statement before it runs (`--sql-output-dir`). */
  readonly onSql?: (table: string, query: SqlQuery) => Promise<void>;
  /**
   * The run the shared scans belong to (its id): a scan table written by the same query in the
   * same run is reused. Without it every table runs its scans itself.
   */
  readonly runKey?: string;
  /** The warehouse job key of the shared scans (`<key>.<scan table>`): shared by the run's tables. */
  readonly scanJobKey?: string;
}

const ZERO_COST: QueryCost = { bytesProcessed: 0, bytesBilled: 0, slotMs: 0, elapsedMs: 0 };

function addCost(a: QueryCost, b: QueryCost): QueryCost {
  return {
    bytesProcessed: a.bytesProcessed + b.bytesProcessed,
    bytesBilled: a.bytesBilled + b.bytesBilled,
    slotMs: a.slotMs + b.slotMs,
    elapsedMs: a.elapsedMs + b.elapsedMs,
  };
}

interface StageState {
  scans: number;
  cost: QueryCost;
  readonly failures: MetricColumnFailure[];
  readonly written: WrittenPart[];
}

/** The part columns this table holds: its own metrics and covariates, and their sanity columns. */
function wantedColumns(spec: MetricsTableSpec): Set<string> {
  const wanted = new Set<string>();
  for (const metric of spec.metrics) {
    wanted.add(metric.name);
    for (const column of sanityColumnNames(metric.dataSource)) wanted.add(column);
  }
  for (const covariate of spec.covariates) {
    for (const metric of covariate.metrics) {
      wanted.add(`${metric.name}${covariateSuffix(covariate.window)}`);
    }
  }
  return wanted;
}

function failuresOf(
  part: MetricsPart,
  columns: readonly string[],
  error: Error,
): MetricColumnFailure[] {
  return columns.map((column) => ({
    column,
    dataSource: part.dataSource,
    errorClass: error.name,
    message: error.message,
  }));
}

/** Retrying the same query may succeed (a transient warehouse failure). */
function isTransient(error: Error): boolean {
  return (error as { retryable?: unknown }).retryable === true;
}

/**
 * Writes the window's metrics table `<slug>_<basis>_<period>_<n>` (DESIGN.md data flow, step
 * 3): one query per part — one telemetry scan per data source, and per covariate window and
 * data source — into jetstream's discrete tables `<slug>_<basis>_<ds>_<period>_<n>`, then one
 * join of the population with the parts (no telemetry), then the period's view. A part that fails
 * for its SQL is narrowed down with one dry run per metric: broken metrics are recorded as
 * failures and the part runs again without them; a part whose source itself fails loses only its
 * own metrics. Transient failures are thrown (the job retries).
 * @throws TableNotFoundError when the enrollments table does not exist.
 */
export async function writeMetricsTable(
  warehouse: Warehouse,
  spec: MetricsTableSpec,
  options: WriteMetricsTableOptions,
): Promise<MetricsTableResult> {
  const enrollments = enrollmentsTableName(spec.slug);
  if ((await warehouse.tableInfo(enrollments)) === null) {
    throw new TableNotFoundError(`no enrollments table ${enrollments} for experiment ${spec.slug}`);
  }
  const branches = await branchesOf(warehouse, spec);
  const state: StageState = { scans: 0, cost: ZERO_COST, failures: [], written: [] };
  for (const part of metricsParts(spec)) await writePart(warehouse, spec, part, options, state);
  const wanted = wantedColumns(spec);
  const parts = state.written
    .map((part) => ({ ...part, columns: part.columns.filter((c) => wanted.has(c)) }))
    .filter((part) => part.columns.length > 0);
  const table = metricsTableName(spec.slug, spec.basis, spec.period, spec.windowIndex);
  const query = buildMetricsJoinQuery(spec, branches, parts, options.tables);
  await options.onSql?.(table, query);
  const joined = await warehouse.createTableFromQuery(
    {
      table,
      query,
      purpose: `metrics table ${table}`,
      meta: {
        labels: { ...options.labels },
        description: metricsTableDescription({ experiment: spec.slug, branches }),
      },
    },
    stepContext(options.job, 'join'),
  );
  const viewProblem = await replaceMetricsView(warehouse, spec, options);
  return {
    table,
    clients: joined.rows,
    branches,
    scans: state.scans,
    failures: state.failures.filter((f) => wanted.has(f.column)),
    warnings: viewProblem === null ? [] : [viewProblem],
    cost: addCost(state.cost, joined.cost),
  };
}

/**
 * The period's metrics view `<slug>_<basis>_<suffix>`; a view that cannot be made (older window
 * tables with other columns) is a warning, not a failure of the window.
 */
async function replaceMetricsView(
  warehouse: Warehouse,
  spec: MetricsTableSpec,
  options: WriteMetricsTableOptions,
): Promise<string | null> {
  const view = metricsViewName(spec.slug, spec.basis, spec.period);
  try {
    const query = await replaceWindowView(
      warehouse,
      {
        slug: spec.slug,
        view,
        tableOf: (n) => metricsTableName(spec.slug, spec.basis, spec.period, n),
      },
      stepContext(options.job, 'view'),
    );
    if (query !== null) await options.onSql?.(view, query);
    return null;
  } catch (e) {
    return `view ${view} could not be made: ${coerceError(e).message}`;
  }
}

/** Configured branches first, then any other branch found among the enrolled clients. */
async function branchesOf(warehouse: Warehouse, spec: MetricsTableSpec): Promise<string[]> {
  const counts = await warehouse.countClients({
    slug: spec.slug,
    branches: spec.branches,
    segments: [],
    bases: ['enrollments'],
  });
  const branches = [...spec.branches];
  for (const count of counts) if (!branches.includes(count.branch)) branches.push(count.branch);
  return branches;
}

function partTable(spec: MetricsTableSpec, part: MetricsPart): string {
  const source = part.role === 'analysis' ? part.dataSource : `${part.dataSource}${part.suffix}`;
  const name = spec.scan?.name;
  return scanTableName(spec.slug, name ? `${source}_${name}` : source, spec.lastDateOfData);
}

/** The job context of a part's scan: the run's shared scan key when there is one. */
function scanContext(
  options: WriteMetricsTableOptions,
  part: MetricsPart,
  table: string,
): JobContext {
  if (options.scanJobKey === undefined) {
    return stepContext(options.job, `${part.dataSource}${part.suffix}`);
  }
  return { ...options.job, jobKey: `${options.scanJobKey}.${table}` };
}

function stepContext(job: JobContext | undefined, step: string): JobContext {
  return {
    ...job,
    ...(job?.jobKey === undefined ? {} : { jobKey: `${job.jobKey}.${step}` }),
  };
}

/** A part's query, or the error that keeps it from being built (an unsafe metric name). */
function buildPart(
  spec: MetricsTableSpec,
  part: MetricsPart,
  options: WriteMetricsTableOptions,
): SqlQuery | Error {
  try {
    return buildMetricsPartQuery(spec, part, options.tables);
  } catch (e) {
    return coerceError(e);
  }
}

/** The {@link SCAN_LABEL} value of a part's query, when tables of the run may reuse it. */
function labelOf(options: WriteMetricsTableOptions, query: SqlQuery): string | null {
  return options.runKey === undefined ? null : scanLabelValue(options.runKey, query);
}

/**
 * Runs one part — or reuses the table the same query wrote earlier in the run, with the failures
 * it recorded; when the part cannot be built or fails for its SQL, isolates the broken metrics
 * and runs (or reuses) the rest.
 */
async function writePart(
  warehouse: Warehouse,
  spec: MetricsTableSpec,
  part: MetricsPart,
  options: WriteMetricsTableOptions,
  state: StageState,
): Promise<void> {
  const table = partTable(spec, part);
  const built = buildPart(spec, part, options);
  let error: Error;
  if (built instanceof Error) {
    error = built;
  } else {
    const label = labelOf(options, built);
    if (label !== null && (await reusePart(warehouse, part, table, label, state))) return;
    const failed = await tryPart(
      warehouse,
      spec,
      part,
      built,
      { table, label, failures: [] },
      options,
      state,
    );
    if (failed === null) return;
    error = failed;
  }
  const broken = await brokenMetrics(warehouse, spec, part, options);
  const healthy = part.metrics.filter((m) => !broken.has(m.name));
  if (broken.size === 0 || healthy.length === 0) {
    state.failures.push(...failuresOf(part, partColumns(part), error));
    return;
  }
  const isolated = [...broken].flatMap(([name, cause]) =>
    failuresOf(part, [`${name}${part.suffix}`], cause),
  );
  const narrowed = { ...part, metrics: healthy };
  const query = buildPart(spec, narrowed, options);
  if (query instanceof Error) {
    state.failures.push(...isolated, ...failuresOf(narrowed, partColumns(narrowed), query));
    return;
  }
  const label = labelOf(options, query);
  // Its description lists the isolated metrics: reusing it records them.
  if (label !== null && (await reusePart(warehouse, narrowed, table, label, state))) return;
  state.failures.push(...isolated);
  const write = { table, label, failures: isolated };
  const again = await tryPart(warehouse, spec, narrowed, query, write, options, state);
  if (again !== null) state.failures.push(...failuresOf(narrowed, partColumns(narrowed), again));
}

/**
 * Takes the part from the table an earlier metrics table of the run wrote with the same query
 * (its {@link SCAN_LABEL} matches), with the metric failures its description records.
 * @returns false when there is no such table.
 */
async function reusePart(
  warehouse: Warehouse,
  part: MetricsPart,
  table: string,
  label: string,
  state: StageState,
): Promise<boolean> {
  const info = await warehouse.tableInfo(table);
  if (info === null || info.labels[SCAN_LABEL] !== label) return false;
  const failures = parseScanPartFailures(info.description);
  if (failures === null) return false;
  const failed = new Set(failures.map((f) => f.column));
  state.failures.push(...failures);
  state.written.push({
    table,
    columns: partColumns(part).filter((c) => !failed.has(c)),
    sliced: part.role === 'analysis',
  });
  return true;
}

/** Where a part is written, and what its table records. */
interface PartWrite {
  readonly table: string;
  /** The {@link SCAN_LABEL} value, when the table may be reused in the run. */
  readonly label: string | null;
  /** Metric columns isolated out of the part (recorded in the description). */
  readonly failures: readonly MetricColumnFailure[];
}

/** Runs a part's query into its table; returns the error of a non-transient failure. */
async function tryPart(
  warehouse: Warehouse,
  spec: MetricsTableSpec,
  part: MetricsPart,
  query: SqlQuery,
  write: PartWrite,
  options: WriteMetricsTableOptions,
  state: StageState,
): Promise<Error | null> {
  const { table } = write;
  await options.onSql?.(table, query);
  state.scans += 1;
  try {
    const result = await warehouse.createTableFromQuery(
      {
        table,
        query,
        purpose: `metrics of ${spec.slug} on ${spec.lastDateOfData} (${table})`,
        meta: {
          labels: {
            ...(options.scanLabels ?? options.labels),
            ...(write.label === null ? {} : { [SCAN_LABEL]: write.label }),
          },
          description: scanPartDescription(spec.slug, write.failures),
        },
      },
      scanContext(options, part, table),
    );
    state.cost = addCost(state.cost, result.cost);
    state.written.push({ table, columns: partColumns(part), sliced: part.role === 'analysis' });
    return null;
  } catch (e) {
    const error = coerceError(e);
    if (isTransient(error)) throw error;
    return error;
  }
}

/** The metrics of a failed part whose query alone does not pass a dry run, with the reason. */
async function brokenMetrics(
  warehouse: Warehouse,
  spec: MetricsTableSpec,
  part: MetricsPart,
  options: WriteMetricsTableOptions,
): Promise<Map<string, Error>> {
  const broken = new Map<string, Error>();
  for (const metric of part.metrics) {
    let query: SqlQuery;
    try {
      query = buildMetricsPartQuery(spec, { ...part, metrics: [metric] }, options.tables);
    } catch (e) {
      broken.set(metric.name, coerceError(e));
      continue;
    }
    let result;
    try {
      result = await warehouse.dryRun(query, stepContext(options.job, `dry-run.${metric.name}`));
    } catch (e) {
      broken.set(metric.name, coerceError(e));
      continue;
    }
    if (!result.ok) {
      broken.set(
        metric.name,
        Object.assign(new Error(result.error), { name: 'WarehouseQueryError' }),
      );
    }
  }
  return broken;
}
