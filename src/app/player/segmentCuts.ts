/**
 * Re-cutting an episode's segments in the player, pure: the cuts its samples' frame ranges make,
 * which cuts may be added or removed (a done or reviewed sample's range is fixed), and what
 * Apply does — which drafts go and which segments get a new draft. Segments follow the importer's
 * rule (importers/episodes/segments.ts): a cut at frame c ends one segment at c and starts the next there.
 */
import { segmentsFromCuts } from '../../importers/episodes/segments';
import type { SampleStatus } from '../../storage/types';
import type { EpisodeSegment } from './playerEpisode';

/** A sample made from the episode, with the frames it was made from. */
export interface SegmentSample {
  id: string;
  status: SampleStatus;
  instruction: string;
  frameStart: number;
  frameEnd: number;
}

export interface CutPlan {
  /** Frames in the episode. */
  length: number;
  /** Frames strictly inside the episode where one segment ends and the next starts, ascending. */
  cuts: number[];
  /** Ranges of samples already marked done or reviewed: no cut inside, none of their ends removed. */
  locked: EpisodeSegment[];
}

/** Done and reviewed samples are someone's finished work: their frame ranges stay as they are. */
export const isLocked = (s: SegmentSample): boolean => s.status === 'done' || s.status === 'reviewed';

const rangeOf = (s: SegmentSample): EpisodeSegment => ({ start: s.frameStart, end: s.frameEnd });

/** Every range's start and end that lies strictly inside the episode. */
export function cutsOfRanges(length: number, ranges: readonly EpisodeSegment[]): number[] {
  const cuts = new Set<number>();
  for (const r of ranges) for (const f of [r.start, r.end]) if (f > 0 && f < length - 1) cuts.add(f);
  return [...cuts].sort((a, b) => a - b);
}

/** The episode's cuts as its samples make them; `stored` (the import's segments) when it has no sample left. */
export function cutPlanFor(length: number, samples: readonly SegmentSample[], stored: readonly EpisodeSegment[]): CutPlan {
  return {
    length,
    cuts: cutsOfRanges(length, samples.length ? samples.map(rangeOf) : stored),
    locked: samples.filter(isLocked).map(rangeOf),
  };
}

export const segmentsOf = (plan: CutPlan): EpisodeSegment[] => segmentsFromCuts(plan.length, plan.cuts);

const lockedText = (r: EpisodeSegment) => `frames ${r.start}–${r.end} belong to a sample already marked done or reviewed`;

/** Why no cut can be added at `frame`; null when one can. */
export function addCutBlocked(plan: CutPlan, frame: number): string | null {
  if (frame <= 0 || frame >= plan.length - 1) return 'No cut at the first or last frame: it would leave an empty segment.';
  if (plan.cuts.includes(frame)) return `Frame ${frame} is a cut already.`;
  const lock = plan.locked.find((r) => r.start < frame && frame < r.end);
  return lock ? `No cut at frame ${frame}: ${lockedText(lock)}, so they cannot be cut.` : null;
}

export function withCut(plan: CutPlan, frame: number): CutPlan {
  return { ...plan, cuts: [...plan.cuts, frame].sort((a, b) => a - b) };
}

/** The cut nearest `frame` (the earlier one on a tie), or why it cannot be removed. */
export function nearestCut(plan: CutPlan, frame: number): { cut: number; blocked: string | null } | null {
  if (!plan.cuts.length) return null;
  const cut = plan.cuts.reduce((best, c) => (Math.abs(c - frame) < Math.abs(best - frame) ? c : best));
  const lock = plan.locked.find((r) => r.start === cut || r.end === cut);
  return { cut, blocked: lock ? `The cut at frame ${cut} stays: ${lockedText(lock)}.` : null };
}

export function withoutCut(plan: CutPlan, frame: number): CutPlan {
  return { ...plan, cuts: plan.cuts.filter((c) => c !== frame) };
}

export interface NewSegmentSample {
  segment: EpisodeSegment;
  instruction: string;
}

export interface CutReplacement {
  /** Drafts whose range is no segment any more. */
  remove: string[];
  /** Segments without a sample of exactly their range. */
  make: NewSegmentSample[];
}

const overlap = (a: EpisodeSegment, b: EpisodeSegment) => Math.min(a.end, b.end) - Math.max(a.start, b.start);

/**
 * What Apply does: a draft whose range is still a segment stays (it may carry edits); the other
 * drafts go; each segment no sample covers exactly, and not inside a locked range, gets a new
 * draft with the instruction of the removed draft it overlaps most, else the episode's task.
 */
export function cutReplacement(plan: CutPlan, samples: readonly SegmentSample[], task: string): CutReplacement {
  const segments = segmentsOf(plan);
  const isSegment = (r: EpisodeSegment) => segments.some((s) => s.start === r.start && s.end === r.end);
  const removed = samples.filter((s) => s.status === 'draft' && !isSegment(rangeOf(s)));
  const kept = samples.filter((s) => !removed.includes(s)).map(rangeOf);
  const make = segments
    .filter((seg) => !kept.some((r) => r.start === seg.start && r.end === seg.end))
    .filter((seg) => !plan.locked.some((r) => r.start <= seg.start && seg.end <= r.end))
    .map((segment) => {
      let best: SegmentSample | null = null;
      for (const s of removed) if (overlap(rangeOf(s), segment) > (best ? overlap(rangeOf(best), segment) : 0)) best = s;
      return { segment, instruction: best?.instruction || task };
    });
  return { remove: removed.map((s) => s.id), make };
}
