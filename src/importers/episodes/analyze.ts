/**
 * The pure heart of "episode → samples": end-effector track → pixels (with the behind-the-camera
 * check), gripper states with hysteresis, segments and one simplified path per segment.
 */
import { describeBehindCamera, projectTrack, type ProjectedTrack, type Vec3 } from '../../core/camera/projection';
import type { GripperState, Path } from '../../core/path';
import { gripperStates, type GripperEvent, type HysteresisOptions } from './gripperEvents';
import { pathForSegment } from './makePath';
import { segmentsFromCuts, suggestCuts, type Segment } from './segments';

export type Segmentation = { kind: 'whole' } | { kind: 'gripper' } | { kind: 'cuts'; cuts: number[] };

export interface AnalyzeOptions {
  projection: number[];
  width: number;
  height: number;
  /** Raw gripper signal per frame, or null when the dataset has none (all open). */
  gripperSignal: number[] | null;
  /** The signal already measures closure 0 … 1 (no rescaling by its range). */
  gripperAbsolute: boolean;
  hysteresis: HysteresisOptions;
  segmentation: Segmentation;
  epsilon?: number;
  /** For messages: "episode 3". */
  label: string;
  /** For messages: where the end-effector positions were read from (column names). */
  eeSource?: string;
}

export interface EpisodeAnalysis {
  track: ProjectedTrack;
  states: GripperState[];
  events: GripperEvent[];
  segments: Segment[];
  paths: Path[];
}

export type AnalyzeResult = { ok: true; value: EpisodeAnalysis } | { ok: false; error: string };

export function analyzeEpisode(ee: readonly Vec3[], opts: AnalyzeOptions): AnalyzeResult {
  const n = ee.length;
  if (n === 0) return { ok: false, error: `${opts.label} has no frames.` };
  const bad = ee.findIndex((p) => !p.every(Number.isFinite));
  if (bad >= 0) return { ok: false, error: `${opts.label}: the end-effector position of frame ${bad} is not a number${opts.eeSource ? ` (read from ${opts.eeSource})` : ''}.` };
  const track = projectTrack(opts.projection, ee, opts.width, opts.height);
  if (track.behind.length) return { ok: false, error: describeBehindCamera(track.behind.length, n, opts.label) };
  const { states, events } = opts.gripperSignal
    ? gripperStates(opts.gripperSignal, opts.hysteresis, opts.gripperAbsolute)
    : { states: new Array<GripperState>(n).fill('open'), events: [] };
  const cuts = opts.segmentation.kind === 'cuts' ? opts.segmentation.cuts : opts.segmentation.kind === 'gripper' ? suggestCuts(events, n) : [];
  const segments = segmentsFromCuts(n, cuts);
  const paths = segments.map((s) => pathForSegment(track.normalized, states, s, { epsilon: opts.epsilon }));
  return { ok: true, value: { track, states, events, segments, paths } };
}

/** Index of the gripper column among state names (first one mentioning "gripper"), or null. */
export function gripperColumn(stateNames: readonly string[]): number | null {
  const i = stateNames.findIndex((n) => /gripper/i.test(n));
  return i >= 0 ? i : null;
}
