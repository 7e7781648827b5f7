/**
 * A live-recorded episode (src/robot/liveEpisode.ts: one JPEG asset per control step) seen the way
 * the LeRobot exporter sees every episode: per-frame rows of state and action, the frames to encode
 * and the path of each frame. The path comes from the run itself (each path the run followed covers
 * the steps from `atStep` until the next one); a teleop run without one falls back to the paths of
 * its Library sample, as imported episodes do. Pure: no storage, no DOM.
 */
import { isLiveEpisode, type LiveEpisodeData } from '../../robot/liveEpisode';
import type { SegmentPath } from '../../formats/lerobot/pathFeature';

export interface LiveExportRows {
  length: number;
  fps: number;
  stateNames: string[];
  actionNames: string[];
  states: number[][];
  actions: number[][];
  /** Per frame: the asset id of its image; a step recorded without a frame repeats its neighbour's. */
  frameAssetIds: string[];
  /** Paths recorded with the run (empty for a teleop run: the caller uses the Library's). */
  segments: SegmentPath[];
  camera?: { width: number; height: number };
  provenance: Record<string, unknown>;
}

/** Null with a reason when the record is not a live episode the exporter can use. */
export function liveExportRows(data: Record<string, unknown>): { rows: LiveExportRows } | { skip: string } | null {
  if (!isLiveEpisode(data)) return null;
  const d = data as LiveEpisodeData;
  const length = d.states.length;
  if (!length) return { skip: 'was recorded without a single step' };
  if (!d.frames.some(Boolean)) return { skip: 'has no camera frames' };
  if (d.actions.length !== length || d.frames.length !== length) return { skip: `is inconsistent (${length} states, ${d.actions.length} actions, ${d.frames.length} frames)` };
  return {
    rows: {
      length,
      fps: d.fps,
      stateNames: d.stateNames,
      actionNames: d.actionNames,
      states: d.states,
      actions: d.actions,
      frameAssetIds: fillFrames(d.frames),
      segments: pathSegments(d, length),
      camera: d.camera ? { width: d.camera.width, height: d.camera.height } : undefined,
      provenance: {
        source: 'live',
        mode: d.mode,
        robot: d.robot.name,
        models: d.models ?? null,
        success: d.success,
        outcome_by: d.outcomeBy,
        end_reason: d.endReason ?? null,
        complete: d.status === 'complete',
        // Steps under operator control: [start, end) in frame indices of this episode.
        interventions: d.interventions.map((s) => ({ start: s.start, end: s.end ?? length })),
        teleop_frames: d.sources.map((s, i) => (s === 'teleop' ? i : -1)).filter((i) => i >= 0).length,
      },
    },
  };
}

/** Steps without a frame take the previous frame (or the first one for leading gaps). */
function fillFrames(frames: string[]): string[] {
  const first = frames.find(Boolean)!;
  let last = first;
  return frames.map((f) => (f ? (last = f) : last));
}

function pathSegments(d: LiveEpisodeData, length: number): SegmentPath[] {
  const entries = [...d.paths].sort((a, b) => a.atStep - b.atStep || a.version - b.version);
  return entries.map((p, i) => ({
    frameStart: Math.max(0, p.atStep),
    frameEnd: (entries[i + 1]?.atStep ?? length) - 1,
    path: p.path,
  })).filter((s) => s.frameEnd >= s.frameStart && s.path.points.length > 0);
}
