import type { AnalysisPeriod } from '../../analysis/analysis-period.js';
import { coerceError } from '../../analysis/coerce-error.js';
import { gateExperiment } from '../../analysis/gate-experiment.js';
import type { IsoDate } from '../../analysis/iso-date.js';
import type { AnalysisConfig, MetricDefinition } from '../../config/analysis-config.js';
import {
  effectiveExperiment,
  type EffectiveExperiment,
} from '../../experiments/effective-experiment.js';
import type { Experiment } from '../../experiments/experiment.js';
import type { ResultsDeps } from './results-deps.js';

/** A remark shown with an experiment: a problem (red) or information (muted). */
export interface ContextNote {
  readonly text: string;
  readonly severity: 'problem' | 'info';
}

/** A note that needs someone's attention. */
export function problemNote(text: string): ContextNote {
  return { text, severity: 'problem' };
}

/** An experiment with what its config says about it, for the results pages. */
export interface ExperimentContext {
  readonly experiment: Experiment;
  /** null when the config does not resolve. */
  readonly config: AnalysisConfig | null;
  /** Dates and status after the config's overrides; null when the config does not resolve. */
  readonly effective: EffectiveExperiment | null;
  /** Config problems, or why the experiment is not analysed on the date (gating). */
  readonly notes: readonly ContextNote[];
  /** True when the config resolves and gating lets the experiment be analysed on the date. */
  readonly analysed: boolean;
}

/** Resolves the config and the effective experiment; problems become notes, never errors. */
export function experimentContext(
  deps: Pick<ResultsDeps, 'analysisConfig'>,
  experiment: Experiment,
  date: IsoDate,
): ExperimentContext {
  const lookup = deps.analysisConfig(experiment);
  if (lookup.config === null) {
    return {
      experiment,
      config: null,
      effective: null,
      notes: lookup.problems.map(problemNote),
      analysed: false,
    };
  }
  try {
    const effective = effectiveExperiment(experiment, lookup.config.experiment);
    const gate = gateExperiment(effective, date);
    const notes: ContextNote[] =
      gate === null
        ? []
        : [
            {
              text: `not analysed on ${date}: ${gate.message}`,
              severity: gate.expected ? 'info' : 'problem',
            },
          ];
    return { experiment, config: lookup.config, effective, notes, analysed: gate === null };
  } catch (e) {
    return {
      experiment,
      config: lookup.config,
      effective: null,
      notes: [problemNote(coerceError(e).message)],
      analysed: false,
    };
  }
}

/** Periods the config has metrics for. */
export function configuredPeriods(config: AnalysisConfig | null): AnalysisPeriod[] | null {
  if (config === null) return null;
  return Object.entries(config.periods)
    .filter(([, summaries]) => (summaries?.length ?? 0) > 0)
    .map(([period]) => period as AnalysisPeriod);
}

/** What the page says about a metric. */
export interface MetricInfo {
  readonly name: string;
  readonly friendlyName: string | null;
  readonly description: string | null;
  /** null when the metric is not in the config (direction shown without a verdict). */
  readonly biggerIsBetter: boolean | null;
}

/**
 * The config's metric definitions: those of `period` first (in config order), then any other
 * period's, so a metric's description is found wherever it is defined.
 */
export function metricInfos(
  config: AnalysisConfig | null,
  period: AnalysisPeriod | null,
): Map<string, MetricInfo> {
  const infos = new Map<string, MetricInfo>();
  if (config === null) return infos;
  const add = (m: MetricDefinition) => {
    if (infos.has(m.name)) return;
    infos.set(m.name, {
      name: m.name,
      friendlyName: m.friendlyName,
      description: m.description,
      biggerIsBetter: m.biggerIsBetter,
    });
  };
  const first = period === null ? [] : (config.periods[period] ?? []);
  for (const summary of first) add(summary.metric);
  for (const summaries of Object.values(config.periods)) {
    for (const summary of summaries ?? []) add(summary.metric);
  }
  return infos;
}
