import { z } from 'zod';

import { isIsoDate, type IsoDate } from '../analysis/iso-date.js';

/**
 * The zod schema of one experiment as Experimenter's v8 API serves it (spec/analysis.md §1.1,
 * fixtures/jetstream/NimbusExperiment_v1.0.json). Only the fields the analysis uses are read;
 * extra fields are ignored, absent optional fields take Experimenter's defaults.
 */

/**
 * A day from the API: `YYYY-MM-DD`, or a full ISO timestamp whose UTC day is taken.
 * Anything else fails with a message naming the value.
 */
const apiDate = z.string().transform((value, ctx): IsoDate => {
  const day = value.slice(0, 10);
  const rest = value.slice(10);
  if (isIsoDate(day) && (rest === '' || /^T\d{2}:\d{2}/.test(rest))) return day;
  ctx.addIssue({ code: 'custom', message: `not a date (YYYY-MM-DD): ${JSON.stringify(value)}` });
  return z.NEVER;
});

const slugRef = z.object({ slug: z.string().min(1) });

/** One branch: slug and relative ratio (Experimenter's default ratio is 1). */
const branch = z.object({
  slug: z.string().min(1),
  ratio: z.number().int().nonnegative().nullish(),
});

/** Bucketing configuration; only `randomizationUnit` matters to the analysis. */
const bucketConfig = z.object({
  randomizationUnit: z.string().nullish(),
  namespace: z.string().nullish(),
  start: z.number().int().nullish(),
  count: z.number().int().nullish(),
  total: z.number().int().nullish(),
});

/** The schema of one v8 experiment entry. */
export const experimenterExperimentSchema = z.object({
  slug: z.string().min(1, 'slug is empty'),
  branches: z.array(branch),
  referenceBranch: z.string().nullish(),
  startDate: apiDate.nullish(),
  endDate: apiDate.nullish(),
  proposedEnrollment: z.number().int().nonnegative().nullish(),
  enrollmentEndDate: apiDate.nullish(),
  isEnrollmentPaused: z.boolean().nullish(),
  bucketConfig: bucketConfig.nullish(),
  appName: z.string().min(1).nullish(),
  appId: z.string().min(1).nullish(),
  outcomes: z.array(slugRef).nullish(),
  segments: z.array(slugRef).nullish(),
  isRollout: z.boolean().nullish(),
});

/** One v8 experiment entry after validation (dates already reduced to UTC days). */
export type ExperimenterExperiment = z.output<typeof experimenterExperimentSchema>;
