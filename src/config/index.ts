/**
 * The config layer's public API: load a metric-hub folder (as text), resolve an experiment's
 * analysis config, validate files, list rendered SQL. Everything here is pure.
 */
export type * from './analysis-config.js';
export { ConfigError, formatProblem, type ConfigProblem } from './config-error.js';
export { listRenderedExpressions, type RenderedExpression } from './list-rendered-expressions.js';
export {
  loadMetricHub,
  type LoadedMetricHubFile,
  type MetricHub,
  type MetricHubFile,
} from './metric-hub.js';
export { classifyMetricHubPath, type MetricHubFileRole } from './metric-hub-layout.js';
export {
  PLATFORMS,
  datasetForAppId,
  defaultAnalysisUnits,
  platformForApp,
  type PlatformInfo,
} from './platforms.js';
export {
  resolveAnalysisConfig,
  tryResolveAnalysisConfig,
  type OverrideSource,
  type ResolutionResult,
} from './resolve-analysis-config.js';
export { stubExperiment } from './stub-experiment.js';
export {
  createTemplateRenderer,
  type TemplateContext,
  type TemplateRenderer,
} from './template-renderer.js';
export {
  validateMetricHub,
  type FileValidation,
  type ValidationOptions,
} from './validate-metric-hub.js';
