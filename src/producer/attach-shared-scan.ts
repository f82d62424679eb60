import type { MetricsTableJob } from '../queue/job-payloads.js';

type Spec = MetricsTableJob['spec'];
type Column = Spec['metrics'][number];
type Covariates = Spec['covariates'][number];

/** A metric name means one definition in an experiment's config: each column once, by name. */
function addColumns(into: Column[], columns: readonly Column[]): void {
  for (const column of columns) {
    if (!into.some((c) => c.name === column.name)) into.push(column);
  }
}

/** The covariate groups of every table, merged per pre-enrollment window. */
function mergedCovariates(specs: readonly Spec[]): Covariates[] {
  const byWindow = new Map<string, { window: Covariates['window']; metrics: Column[] }>();
  for (const covariate of specs.flatMap((spec) => spec.covariates)) {
    const key = `${covariate.window.start}:${covariate.window.end}`;
    const entry = byWindow.get(key) ?? { window: covariate.window, metrics: [] };
    addColumns(entry.metrics, covariate.metrics);
    byWindow.set(key, entry);
  }
  return [...byWindow.values()];
}

/**
 * The jobs in groups whose windows overlap or touch: a scan over a group reads no day that none
 * of its windows needs (a pre-enrollment window and week 4 are read apart, not across the gap).
 */
function contiguousGroups(jobs: readonly MetricsTableJob[]): MetricsTableJob[][] {
  const sorted = [...jobs].sort((a, b) => a.spec.window.start - b.spec.window.start);
  const groups: { end: number; jobs: MetricsTableJob[] }[] = [];
  for (const job of sorted) {
    const last = groups.at(-1);
    if (last !== undefined && job.spec.window.start <= last.end + 1) {
      last.jobs.push(job);
      last.end = Math.max(last.end, job.spec.window.end);
    } else {
      groups.push({ end: job.spec.window.end, jobs: [job] });
    }
  }
  return groups.map((g) => g.jobs);
}

/** One shared scan for `jobs`, named `name` ('' for the first group of a date). */
function sharedScan(jobs: readonly MetricsTableJob[], name: string): NonNullable<Spec['scan']> {
  const metrics: Column[] = [];
  for (const job of jobs) addColumns(metrics, job.spec.metrics);
  return {
    ...(name === '' ? {} : { name }),
    slices: jobs.map((job) => ({
      basis: job.spec.basis,
      period: job.spec.period,
      windowIndex: job.spec.windowIndex,
      window: job.spec.window,
    })),
    metrics,
    covariates: mergedCovariates(jobs.map((job) => job.spec)),
  };
}

/**
 * Gives the metrics-table jobs of one experiment and run date shared scans (DESIGN.md data
 * flow, step 3): the tables whose windows overlap or touch share one, which lists every (window,
 * basis) slice and the union of their metric and covariate columns, so the first of them to run
 * reads each data source once for all, and the others reuse its tables. Pure; the jobs keep
 * their order.
 * @throws RangeError when the jobs are not of one experiment and date.
 */
export function attachSharedScan(jobs: readonly MetricsTableJob[]): MetricsTableJob[] {
  const first = jobs[0];
  if (first === undefined) return [];
  if (jobs.some((j) => j.spec.slug !== first.spec.slug || j.date !== first.date)) {
    throw new RangeError('a shared scan serves the metrics tables of one experiment and date');
  }
  const scans = new Map<MetricsTableJob, NonNullable<Spec['scan']>>();
  contiguousGroups(jobs).forEach((group, index) => {
    const scan = sharedScan(group, index === 0 ? '' : `g${index + 1}`);
    for (const job of group) scans.set(job, scan);
  });
  return jobs.map((job) => ({ ...job, spec: { ...job.spec, scan: scans.get(job)! } }));
}
