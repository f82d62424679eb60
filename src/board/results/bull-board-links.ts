import { coerceError } from '../../analysis/coerce-error.js';
import { taskId, type TaskIdParts } from '../../analysis/task-id.js';
import type { EffectiveExperiment } from '../../experiments/effective-experiment.js';
import { JOB_QUEUE, type QueueName } from '../../queue/queue-names.js';
import type { StatisticsTable } from './statistics-table.js';
import { windowRunDate } from './window-run-date.js';

/** A link into Bull Board. */
export interface JobLink {
  readonly label: string;
  readonly href: string;
}

/** What the links are built from. */
export interface BullBoardLinkInput {
  /** Bull Board's mount path, e.g. `/admin/queues`. */
  readonly basePath: string;
  readonly queueName: (queue: QueueName) => string;
  readonly slug: string;
  readonly selected: StatisticsTable | null;
  readonly effective: Pick<EffectiveExperiment, 'lastEnrollmentDate' | 'endDate'> | null;
}

function queueHref(input: BullBoardLinkInput, queue: QueueName, suffix = ''): string {
  const base = input.basePath.replace(/\/+$/, '');
  return `${base}/queue/${encodeURIComponent(input.queueName(queue))}${suffix}`;
}

function jobLink(input: BullBoardLinkInput, label: string, parts: TaskIdParts): JobLink[] {
  try {
    const id = taskId(parts);
    return [{ label, href: queueHref(input, JOB_QUEUE[parts.kind], `/${encodeURIComponent(id)}`) }];
  } catch (e) {
    coerceError(e); // an id that cannot be built (unsafe slug) gives no link
    return [];
  }
}

/**
 * Links into Bull Board for an experiment: the enrollments, finalize and export jobs of the
 * selected window's run (ids are deterministic, the date is the window's first due date; a job
 * is there while Bull Board keeps it), and the failed jobs of each queue.
 */
export function bullBoardLinks(input: BullBoardLinkInput): JobLink[] {
  const links: JobLink[] = [];
  const selected = input.selected;
  const date =
    selected === null || input.effective === null
      ? null
      : windowRunDate(input.effective, selected.period, selected.windowIndex);
  if (selected !== null && date !== null) {
    const window = `${selected.period} ${selected.windowIndex}`;
    links.push(
      ...jobLink(input, `enrollments job of run ${date}`, {
        kind: 'enrollments',
        experiment: input.slug,
        date,
      }),
      ...jobLink(input, `finalize job of ${window} (run ${date})`, {
        kind: 'finalize',
        experiment: input.slug,
        date,
        period: selected.period,
        windowIndex: selected.windowIndex,
      }),
      ...jobLink(input, `export job of run ${date}`, {
        kind: 'export',
        experiment: input.slug,
        date,
      }),
    );
  }
  for (const queue of ['metric', 'finalize', 'export'] as const) {
    links.push({ label: `failed ${queue} jobs`, href: queueHref(input, queue, '?status=failed') });
  }
  return links;
}
