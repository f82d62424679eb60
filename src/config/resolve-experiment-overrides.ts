import type { ExperimentOverrides, ExposureSignal } from './analysis-config.js';
import { joinKeyPath } from './config-error.js';
import { dedent } from './dedent.js';
import { renderOrReport, resolveDataSource } from './resolve-data-source.js';
import type { ResolutionScope } from './resolution-scope.js';

/**
 * The `[experiment]` section after merging (truthy values of higher layers win), with the
 * enrollment query rendered and the exposure signal resolved.
 */
export function resolveExperimentOverrides(scope: ResolutionScope): ExperimentOverrides {
  const { fields, origins } = scope.experimentSection;
  const overrides: { -readonly [K in keyof ExperimentOverrides]: ExperimentOverrides[K] } = {
    skip: fields.skip ?? false,
    isPrivate: fields.isPrivate ?? false,
    segments: fields.segments ?? [],
    outcomes: fields.outcomes ?? [],
  };
  if (fields.startDate !== undefined) overrides.startDate = fields.startDate;
  if (fields.endDate !== undefined) overrides.endDate = fields.endDate;
  if (fields.enrollmentPeriod !== undefined) overrides.enrollmentPeriod = fields.enrollmentPeriod;
  if (fields.referenceBranch !== undefined) overrides.referenceBranch = fields.referenceBranch;
  if (fields.analysisUnit !== undefined) overrides.analysisUnit = fields.analysisUnit;
  if (fields.enrollmentsQueryType !== undefined) {
    overrides.enrollmentsQueryType = fields.enrollmentsQueryType;
  }
  if (fields.datasetId !== undefined) overrides.datasetId = fields.datasetId;
  if (fields.sampleSize !== undefined) overrides.sampleSize = fields.sampleSize;
  if (fields.enrollmentQuery !== undefined && origins.enrollmentQuery) {
    const query = renderOrReport(scope, fields.enrollmentQuery, origins.enrollmentQuery);
    if (query !== null) overrides.enrollmentQuery = query;
  }
  const signal = resolveExposureSignal(scope);
  if (signal !== null) overrides.exposureSignal = signal;
  return overrides;
}

function resolveExposureSignal(scope: ResolutionScope): ExposureSignal | null {
  const { fields, origins } = scope.experimentSection;
  const entry = fields.exposureSignal;
  const origin = origins.exposureSignal;
  if (entry === undefined || origin === undefined) return null;
  const dataSource = resolveDataSource(scope, entry.dataSource, {
    file: origin.file,
    keyPath: joinKeyPath(origin.keyPath, 'data_source'),
  });
  const selectExpression = renderOrReport(scope, entry.selectExpression, {
    file: origin.file,
    keyPath: joinKeyPath(origin.keyPath, 'select_expression'),
  });
  if (dataSource === null || selectExpression === null) return null;
  return {
    name: entry.name,
    selectExpression,
    dataSource,
    windowStart: entry.windowStart ?? null,
    windowEnd: entry.windowEnd ?? null,
    friendlyName: entry.friendlyName === undefined ? null : dedent(entry.friendlyName),
    description: entry.description === undefined ? null : dedent(entry.description),
  };
}
