import type { GripperState } from '../core/path';

/**
 * What a person adds to an imported video (stored in `VideoRecord.annotation`): segments with an
 * instruction, the followed point's keyframes and tracked positions, and gripper events.
 * Pure data + pure operations; frames are 0-based indices, points are in video pixels.
 */

/** A point the user placed (CVAT-style keyframe): tracking restarts from it. */
export interface Keyframe {
  frame: number;
  x: number;
  y: number;
}

export interface TrackedPoint {
  x: number;
  y: number;
  /** False where the forward–backward check failed (occlusion, blur, lost point). */
  reliable: boolean;
}

/** How a segment's point is found: the point tracker follows a clicked point; the hand tracker finds the grasp point on every frame. */
export type SegmentTracker = 'point' | 'hand';

export interface VideoSegment {
  id: string;
  /** Absent on segments made before hand tracking: 'point'. */
  tracker?: SegmentTracker;
  start: number;
  /** Inclusive. */
  end: number;
  instruction: string;
  keyframes: Keyframe[];
  /** `track[f - start]`: the point on frame f, null where not tracked yet. */
  track: (TrackedPoint | null)[];
  /** Hand tracking's thumb–index aperture per frame, like `track` (null: no confident hand or not tracked). */
  aperture?: (number | null)[];
}

export interface GripperEvent {
  frame: number;
  /** State from this frame on. */
  state: GripperState;
}

export interface VideoAnnotation {
  segments: VideoSegment[];
  gripperEvents: GripperEvent[];
}

export const emptyAnnotation = (): VideoAnnotation => ({ segments: [], gripperEvents: [] });

/** Reads a stored annotation, tolerating older or partial records. */
export function readAnnotation(raw: Record<string, unknown> | undefined): VideoAnnotation {
  const segments = Array.isArray(raw?.segments) ? (raw.segments as VideoSegment[]) : [];
  const gripperEvents = Array.isArray(raw?.gripperEvents) ? (raw.gripperEvents as GripperEvent[]) : [];
  return { segments, gripperEvents };
}

export function createSegment(id: string, start: number, end: number, instruction = ''): VideoSegment {
  const [a, b] = start <= end ? [start, end] : [end, start];
  return { id, start: a, end: b, instruction, keyframes: [], track: new Array(b - a + 1).fill(null) };
}

export function segmentAt(annotation: VideoAnnotation, frame: number): VideoSegment | undefined {
  return annotation.segments.find((s) => frame >= s.start && frame <= s.end);
}

export function replaceSegment(annotation: VideoAnnotation, segment: VideoSegment): VideoAnnotation {
  return { ...annotation, segments: annotation.segments.map((s) => (s.id === segment.id ? segment : s)) };
}

/** Sets (or moves) the keyframe on `frame`; the point there is now the user's, reliable. */
export function setKeyframe(segment: VideoSegment, frame: number, x: number, y: number): VideoSegment {
  if (frame < segment.start || frame > segment.end) throw new RangeError(`frame ${frame} is outside the segment ${segment.start}–${segment.end}`);
  const keyframes = [...segment.keyframes.filter((k) => k.frame !== frame), { frame, x, y }].sort((a, b) => a.frame - b.frame);
  const track = segment.track.slice();
  track[frame - segment.start] = { x, y, reliable: true };
  return { ...segment, keyframes, track };
}

export function removeKeyframe(segment: VideoSegment, frame: number): VideoSegment {
  return { ...segment, keyframes: segment.keyframes.filter((k) => k.frame !== frame) };
}

/** A stretch to track: from a keyframe up to (not including) the next keyframe, or the segment end. */
export interface TrackingRun {
  from: number;
  /** Inclusive. */
  to: number;
  x: number;
  y: number;
}

/**
 * The runs that must be (re)tracked. With `changedFrame`, only the run starting at that keyframe
 * (a correction resumes tracking from the correction up to the next keyframe); otherwise all.
 */
export function trackingRuns(segment: VideoSegment, changedFrame?: number): TrackingRun[] {
  const runs: TrackingRun[] = [];
  segment.keyframes.forEach((k, i) => {
    const next = segment.keyframes[i + 1];
    const to = next ? next.frame - 1 : segment.end;
    if (changedFrame === undefined || k.frame === changedFrame) runs.push({ from: k.frame, to, x: k.x, y: k.y });
  });
  return runs.filter((r) => r.to >= r.from);
}

/** Forgets tracked points on frames `from`..`to` (before re-tracking them); keyframes stay. */
export function clearTrack(segment: VideoSegment, from: number, to: number): VideoSegment {
  const keyed = new Set(segment.keyframes.map((k) => k.frame));
  const track = segment.track.map((p, i) => {
    const f = segment.start + i;
    return f >= from && f <= to && !keyed.has(f) ? null : p;
  });
  return { ...segment, track };
}

/** Moves a segment's start or end; points and keyframes outside the new range are dropped. */
export function resizeSegment(segment: VideoSegment, start: number, end: number): VideoSegment {
  const [a, b] = start <= end ? [start, end] : [end, start];
  const track = Array.from({ length: b - a + 1 }, (_, i) => segment.track[a + i - segment.start] ?? null);
  const aperture = segment.aperture && Array.from({ length: b - a + 1 }, (_, i) => segment.aperture?.[a + i - segment.start] ?? null);
  return { ...segment, start: a, end: b, track, ...(aperture && { aperture }), keyframes: segment.keyframes.filter((k) => k.frame >= a && k.frame <= b) };
}

/** Stores tracked points; a keyframe's own point is never overwritten. */
export function applyTrackedPoints(segment: VideoSegment, points: { frame: number; point: TrackedPoint }[]): VideoSegment {
  const keyed = new Set(segment.keyframes.map((k) => k.frame));
  const track = segment.track.slice();
  for (const { frame, point } of points) {
    if (frame < segment.start || frame > segment.end || keyed.has(frame)) continue;
    track[frame - segment.start] = point;
  }
  return { ...segment, track };
}

/** Frame of the next (+1) or previous (−1) keyframe from `frame`, if any (R / E). */
export function adjacentKeyframe(segment: VideoSegment, frame: number, direction: 1 | -1): number | undefined {
  const frames = segment.keyframes.map((k) => k.frame);
  return direction > 0 ? frames.find((f) => f > frame) : [...frames].reverse().find((f) => f < frame);
}

export function unreliableFrames(segment: VideoSegment): number[] {
  return segment.track.flatMap((p, i) => (p && !p.reliable ? [segment.start + i] : []));
}

/** Toggles a gripper event on `frame`: adding it, changing its state, or removing the same one. */
export function toggleGripperEvent(annotation: VideoAnnotation, frame: number, state: GripperState): VideoAnnotation {
  const existing = annotation.gripperEvents.find((e) => e.frame === frame);
  const others = annotation.gripperEvents.filter((e) => e.frame !== frame);
  const gripperEvents = existing?.state === state ? others : [...others, { frame, state }].sort((a, b) => a.frame - b.frame);
  return { ...annotation, gripperEvents };
}

/** The events on frames `from`..`to` replaced by `events` (the hand tracker's, for its segment). */
export function replaceGripperEvents(annotation: VideoAnnotation, from: number, to: number, events: GripperEvent[]): VideoAnnotation {
  const kept = annotation.gripperEvents.filter((e) => e.frame < from || e.frame > to);
  return { ...annotation, gripperEvents: [...kept, ...events].sort((a, b) => a.frame - b.frame) };
}

/** Gripper state on `frame`: the latest event at or before it, `open` before any event. */
export function gripperStateAt(events: GripperEvent[], frame: number): GripperState {
  let state: GripperState = 'open';
  for (const e of events) if (e.frame <= frame) state = e.state;
  return state;
}
