import type { z } from 'zod';

import { StatisticParameterError } from './statistic-error.js';
import {
  PRE_TREATMENT_PARAM_SCHEMAS,
  STATISTIC_PARAM_SCHEMAS,
  type PreTreatmentName,
  type StatisticName,
  type StatisticParams,
} from './statistic-spec.js';

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      const keys = 'keys' in issue && Array.isArray(issue.keys) ? issue.keys.join(', ') : '';
      const where = path || keys || '(params)';
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}

/**
 * Validates and defaults a statistic's parameters with STATISTIC_PARAM_SCHEMAS.
 * @throws StatisticParameterError naming the statistic and the offending key.
 */
export function parseStatisticParams<N extends StatisticName>(
  name: N,
  params: unknown,
): StatisticParams<N> {
  const result = STATISTIC_PARAM_SCHEMAS[name].safeParse(params ?? {});
  if (!result.success) {
    throw new StatisticParameterError(
      `invalid parameters for statistic ${name}: ${describeIssues(result.error)}`,
    );
  }
  return result.data as StatisticParams<N>;
}

/** Parsed parameters of one pre-treatment. */
export type PreTreatmentParams<N extends PreTreatmentName> = z.output<
  (typeof PRE_TREATMENT_PARAM_SCHEMAS)[N]
>;

/**
 * Validates and defaults a pre-treatment's parameters with PRE_TREATMENT_PARAM_SCHEMAS.
 * @throws StatisticParameterError naming the pre-treatment and the offending key.
 */
export function parsePreTreatmentParams<N extends PreTreatmentName>(
  name: N,
  params: unknown,
): PreTreatmentParams<N> {
  const result = PRE_TREATMENT_PARAM_SCHEMAS[name].safeParse(params ?? {});
  if (!result.success) {
    throw new StatisticParameterError(
      `invalid parameters for pre-treatment ${name}: ${describeIssues(result.error)}`,
    );
  }
  return result.data as PreTreatmentParams<N>;
}
