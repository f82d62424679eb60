import type { Logger } from 'pino';

import { coerceError } from '../../analysis/coerce-error.js';
import type { AnalysisConfig } from '../../config/analysis-config.js';
import type { MetricHub } from '../../config/metric-hub.js';
import { tryResolveAnalysisConfig } from '../../config/resolve-analysis-config.js';
import type { Experiment } from '../../experiments/experiment.js';
import type { ExperimentSource } from '../../experiments/experiment-source.js';
import type { QueueName } from '../../queue/queue-names.js';
import type { Warehouse } from '../../warehouse/warehouse.js';

/** An experiment's resolved analysis config, or why there is none. */
export interface AnalysisConfigLookup {
  readonly config: AnalysisConfig | null;
  /** Config problems (empty when `config` is set). */
  readonly problems: readonly string[];
}

/** What the results pages read; nothing here writes. */
export interface ResultsDeps {
  /** Statistics tables, their labels and the logs table. */
  readonly warehouse: Pick<Warehouse, 'listTables' | 'tableInfo' | 'readStatistics' | 'readLogs'>;
  /** The experiments contrail knows (Experimenter or a file). */
  readonly experiments: ExperimentSource;
  /**
   * Resolves an experiment's metric-hub config: metric friendly names, descriptions,
   * bigger_is_better, configured periods and overrides. See {@link metricHubConfigLookup}.
   */
  readonly analysisConfig: (experiment: Experiment) => AnalysisConfigLookup;
  /** The clock: "today" decides Live/Complete and which windows are due (yesterday's data). */
  readonly now: () => Date;
  /** Where Bull Board is mounted, e.g. `/admin/queues` (no trailing slash). */
  readonly boardBasePath: string;
  /** BullMQ key prefix of the queues the board shows (printed next to the job links). */
  readonly queuePrefix: string;
  /**
   * The queue's name in Bull Board URLs (`<board>/queue/<name>`); set it when the board's queue
   * adapters use a display prefix. @defaultValue the queue name
   */
  readonly bullBoardQueueName?: (queue: QueueName) => string;
  /** Logs failed page loads. @defaultValue no logging */
  readonly logger?: Pick<Logger, 'error' | 'warn'>;
}

/**
 * An {@link ResultsDeps.analysisConfig} over a loaded metric-hub checkout (the same resolution
 * the producer plans with). Never throws: an unexpected error becomes a problem.
 */
export function metricHubConfigLookup(hub: MetricHub): ResultsDeps['analysisConfig'] {
  return (experiment) => {
    try {
      const result = tryResolveAnalysisConfig(hub, experiment);
      return { config: result.config, problems: result.problems.map((p) => p.message) };
    } catch (e) {
      return { config: null, problems: [coerceError(e).message] };
    }
  };
}
