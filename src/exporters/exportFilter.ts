/**
 * What goes into an export, chosen the same way for both (HAMSTER zip and LeRobot): sample status
 * and source, the outcome of recorded runs, and a task/instruction text. Counts of what will be
 * written are shown before exporting.
 */
import { SAMPLE_SOURCES, SAMPLE_STATUSES, type SampleSource, type SampleStatus } from '../storage/types';

/** A recorded run's verdict: succeeded, failed (or stopped), or none given. */
export const OUTCOMES = ['success', 'failure', 'none'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const OUTCOME_LABELS: Record<Outcome, string> = { success: 'succeeded', failure: 'failed', none: 'no verdict' };

export interface ExportFilter {
  statuses: SampleStatus[];
  sources: SampleSource[];
  /** Episodes only (the LeRobot export). */
  outcomes: Outcome[];
  /** Case-insensitive text the instruction or episode task must contain ('' = any). */
  task: string;
}

export const ALL_SOURCES: SampleSource[] = [...SAMPLE_SOURCES];
export const ALL_STATUSES: SampleStatus[] = [...SAMPLE_STATUSES];

export function outcomeOf(success: unknown): Outcome {
  return success === true ? 'success' : success === false ? 'failure' : 'none';
}

export function taskMatches(filter: Pick<ExportFilter, 'task'>, text: string): boolean {
  const wanted = filter.task.trim().toLowerCase();
  return !wanted || text.toLowerCase().includes(wanted);
}

export function sampleMatches(filter: Pick<ExportFilter, 'statuses' | 'sources' | 'task'>, s: { status: SampleStatus; source: SampleSource; instruction: string }): boolean {
  return filter.statuses.includes(s.status) && filter.sources.includes(s.source) && taskMatches(filter, s.instruction);
}
