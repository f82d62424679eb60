import type { MetricColumn, MetricReadSpec, MetricValues } from '../warehouse/metric-read-spec.js';
import type { Warehouse } from '../warehouse/warehouse.js';

/** Options of {@link SharedMetricReads}. */
export interface SharedMetricReadsOptions {
  /** Bytes of cached per-client values kept at most. @defaultValue 512 MiB */
  readonly maxBytes?: number;
  /** How long a read stays usable. @defaultValue 10 minutes */
  readonly ttlMs?: number;
  /** Monotonic clock in ms. */
  readonly now: () => number;
}

/** A combined read: the values once they arrive, or `failed` when the combined query failed. */
interface Entry {
  readonly values: Promise<MetricValues | 'failed'>;
  readonly expiresAt: number;
  bytes: number;
}

const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;
const DEFAULT_TTL_MS = 10 * 60_000;

/**
 * Metric reads shared by the metric jobs of one window. The producer gives each metric job its
 * read group (`sharedRead`): the columns of every metric configured for the period that reads the
 * same data sources over the same covariate window. The first job of the group to run on this
 * thread reads all those columns in one query (one scan of the source, one join with the
 * enrollments), and the others take their columns from it. A combined
 * query that fails (one sibling's broken SQL) is remembered, and every job then reads its own
 * columns alone, so a broken metric still fails alone; a transient failure is thrown.
 *
 * The key holds the whole read (experiment, window, basis, dates, segments, columns) and the
 * run's id, so a later run (`--force` after the data changed) never sees an earlier run's values;
 * entries also expire and are evicted oldest first past a byte budget.
 */
export class SharedMetricReads {
  private readonly entries = new Map<string, Entry>();
  private readonly maxBytes: number;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly warehouse: Pick<Warehouse, 'readMetric'>;

  constructor(warehouse: Pick<Warehouse, 'readMetric'>, options: SharedMetricReadsOptions) {
    this.warehouse = warehouse;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.now = options.now;
  }

  /**
   * The values of `spec`'s columns: from the read of the whole group `shared` (made now or earlier
   * in this run), `spec` alone when the group's query fails (a broken sibling), or `spec` alone
   * without a group. A transient failure of the group's query is thrown (the job retries) rather
   * than answered by a read alone, whose values could differ in the last bits (another query, so
   * another summation order): a metric's values depend only on its group, never on timing.
   */
  async read(
    spec: MetricReadSpec,
    shared: readonly MetricColumn[] | undefined,
    runId: string | undefined,
  ): Promise<MetricValues> {
    if (shared === undefined) return this.warehouse.readMetric(spec);
    const combined = await this.combined({ ...spec, metrics: shared }, runId);
    return combined === 'failed' ? this.warehouse.readMetric(spec) : combined;
  }

  private combined(spec: MetricReadSpec, runId: string | undefined): Entry['values'] {
    this.expire();
    const key = JSON.stringify([runId ?? null, spec]);
    const cached = this.entries.get(key);
    if (cached !== undefined) {
      // Most recently used last: eviction takes the oldest first.
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached.values;
    }
    const entry: Entry = {
      values: this.warehouse.readMetric(spec).then(
        (values) => {
          entry.bytes = byteSize(values);
          this.evict();
          return values;
        },
        (thrown: unknown): 'failed' => {
          // A transient failure (the warehouse unreachable) is not remembered: this job fails
          // and retries, and the next sibling tries the group's query again. A query error is
          // remembered: the siblings read alone.
          if (!isRetryable(thrown)) return 'failed';
          if (this.entries.get(key) === entry) this.entries.delete(key);
          throw thrown;
        },
      ),
      expiresAt: this.now() + this.ttlMs,
      bytes: 0,
    };
    this.entries.set(key, entry);
    return entry.values;
  }

  private expire(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(key);
    }
  }

  private evict(): void {
    let total = 0;
    for (const entry of this.entries.values()) total += entry.bytes;
    for (const [key, entry] of this.entries) {
      if (total <= this.maxBytes) return;
      total -= entry.bytes;
      this.entries.delete(key);
    }
  }
}

function isRetryable(thrown: unknown): boolean {
  return (
    typeof thrown === 'object' &&
    thrown !== null &&
    (thrown as { retryable?: unknown }).retryable === true
  );
}

function byteSize(values: MetricValues): number {
  let bytes = values.branch.byteLength;
  for (const column of Object.values(values.columns)) bytes += column.byteLength;
  for (const mask of Object.values(values.segments)) bytes += mask.byteLength;
  return bytes;
}
