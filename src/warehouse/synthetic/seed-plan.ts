import { addDays, daysBetween, type IsoDate } from '../../analysis/iso-date.js';
import { completeWeekWindows, dueWindowsOn, type AnalysisWindowDays } from './due-windows.js';
import {
  selectCatalogue,
  type CatalogueExperiment,
  type SyntheticPlatform,
} from './experiment-catalogue.js';
import { SeedOptionsError, type SeedOptions } from './seed-options.js';

/** Buckets in every Nimbus namespace (Experimenter's `bucketConfig.total`). */
export const BUCKET_TOTAL = 10_000;

/** Days of data the generator wants before the earliest start (one pre-enrollment week). */
const PRE_START_DAYS = 7;

/** A catalogue experiment with concrete dates, buckets and the windows due on the demo date. */
export interface PlannedExperiment extends CatalogueExperiment {
  readonly startDate: IsoDate;
  /** As published in Experimenter (null when not published). */
  readonly enrollmentEndDate: IsoDate | null;
  readonly endDate: IsoDate | null;
  /** Effective enrollment period in days (from Experimenter or the config override). */
  readonly enrollmentPeriod: number;
  /** E = start date + enrollment period: the day the first time-series window starts closing. */
  readonly lastEnrollmentDate: IsoDate;
  /** Day indexes (0 = first day of data) of the first and last day clients enroll on. */
  readonly enrollFirstDay: number;
  readonly enrollLastDay: number;
  readonly namespace: string;
  readonly bucketStart: number;
  readonly bucketCount: number;
  /** Analysable: not a rollout and enrollment complete by the demo date. */
  readonly analysable: boolean;
  /** Windows due on the demo date (empty when not analysable). */
  readonly dueWindows: readonly AnalysisWindowDays[];
  /** Windows the manifest gives true effects for: the due ones and week 1 (when complete). */
  readonly effectWindows: readonly AnalysisWindowDays[];
}

/** Everything the generator needs besides the random draws. */
export interface SeedPlan {
  readonly options: SeedOptions;
  /** First and last day of data (the last is the demo date). */
  readonly dataStart: IsoDate;
  readonly dataEnd: IsoDate;
  /** Clients per platform. */
  readonly population: Readonly<Record<SyntheticPlatform, number>>;
  readonly experiments: readonly PlannedExperiment[];
}

/**
 * Places the selected catalogue experiments on the calendar ending at the demo date and gives
 * each its bucket range.
 * @throws SeedOptionsError when `days` is too short for the selected experiments.
 */
export function planSeed(options: SeedOptions): SeedPlan {
  const catalogue = options.catalogue ?? selectCatalogue(options.experiments);
  const earliest = Math.max(...catalogue.map((e) => e.startDaysBeforeDemo));
  const required = earliest + PRE_START_DAYS + 1;
  if (options.days < required) {
    throw new SeedOptionsError(
      `--days must be at least ${required} for ${catalogue.length} experiments ` +
        `(the earliest starts ${earliest} days before the demo date), got ${options.days}`,
    );
  }
  const dataEnd = options.demoDate;
  const dataStart = addDays(dataEnd, -(options.days - 1));
  const buckets = allocateBuckets(catalogue);
  const experiments = catalogue.map((entry, i) =>
    planExperiment(entry, buckets[i] ?? [0, 0], dataStart, dataEnd),
  );
  const population = {
    firefox_desktop: options.clients,
    fenix: Math.max(1, Math.round(options.clients / 4)),
  };
  return { options, dataStart, dataEnd, population, experiments };
}

function planExperiment(
  entry: CatalogueExperiment,
  [bucketStart, bucketCount]: readonly [number, number],
  dataStart: IsoDate,
  demoDate: IsoDate,
): PlannedExperiment {
  const startDate = addDays(demoDate, -entry.startDaysBeforeDemo);
  const scheduledLast = addDays(startDate, entry.enrollmentDays - 1);
  const enrollLast = daysBetween(scheduledLast, demoDate) < 0 ? demoDate : scheduledLast;
  const endDate =
    entry.endDaysBeforeDemo === null ? null : addDays(demoDate, -entry.endDaysBeforeDemo);
  const lastEnrollmentDate = addDays(startDate, entry.enrollmentDays);
  const analysable = !entry.isRollout && !entry.traits.includes('enrolling');
  const dueWindows = analysable ? dueWindowsOn(lastEnrollmentDate, endDate, demoDate) : [];
  return {
    ...entry,
    startDate,
    enrollmentEndDate: entry.enrollmentEndInExperimenter ? scheduledLast : null,
    endDate,
    enrollmentPeriod: entry.enrollmentDays,
    lastEnrollmentDate,
    enrollFirstDay: daysBetween(dataStart, startDate),
    enrollLastDay: daysBetween(dataStart, enrollLast),
    namespace: `${entry.platform.replace('_', '-')}-synthetic-1`,
    bucketStart,
    bucketCount,
    analysable,
    dueWindows,
    effectWindows: analysable ? mergeWindows(dueWindows, lastEnrollmentDate, demoDate) : [],
  };
}

function mergeWindows(
  due: readonly AnalysisWindowDays[],
  lastEnrollment: IsoDate,
  date: IsoDate,
): AnalysisWindowDays[] {
  const week1 = completeWeekWindows(lastEnrollment, date)[0];
  const hasWeek1 = due.some((w) => w.period === 'week' && w.window === 1);
  return week1 && !hasWeek1 ? [...due, week1] : [...due];
}

/** Consecutive bucket ranges per platform; shares are scaled down when they exceed the total. */
function allocateBuckets(catalogue: readonly CatalogueExperiment[]): [number, number][] {
  const totals = new Map<SyntheticPlatform, number>();
  for (const e of catalogue) totals.set(e.platform, (totals.get(e.platform) ?? 0) + e.share);
  const next = new Map<SyntheticPlatform, number>();
  return catalogue.map((e) => {
    const scale = Math.min(1, BUCKET_TOTAL / (totals.get(e.platform) ?? 1));
    const start = next.get(e.platform) ?? 0;
    const count = Math.floor(e.share * scale);
    next.set(e.platform, start + count);
    return [start, count];
  });
}
