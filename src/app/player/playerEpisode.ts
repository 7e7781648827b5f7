/**
 * An episode as the player shows it, whichever way it was made (a live recording or an imported
 * simulator/LeRobot/HDF5/rosbag episode): per-step times, state, action and gripper, the end
 * effector, the camera that projects it, the stored frames and (imported) the stored video.
 * The reading itself is the Library's `readStoredEpisode` (rows, frame images, calibration; the
 * MCAP export reads through it too); this adds what the player needs beyond it (actions, gripper,
 * segments, interventions, outcome).
 */
import type { Vec3 } from '../../core/camera/projection';
import { isLiveEpisode, type LiveEpisodeData } from '../../robot/liveEpisode';
import { getAsset } from '../../storage/assets';
import { episodeData, getEpisode, type EpisodeData, type StoredRobotModel } from '../../storage/episodes';
import type { EpisodeRecord } from '../../storage/types';
import { readStoredEpisode } from '../library/episodeMcap';
import type { McapEpisode } from '../../formats/mcap/writer';
import type { EpisodeRobot } from '../../viewer3d/episodeViewer';

export class PlayerEpisodeError extends Error {}

/** Frames [start, end] (inclusive) that make one path, as the importer cut the episode. */
export interface EpisodeSegment {
  start: number;
  end: number;
}

export interface EpisodeOutcome {
  /** Null: nobody knows (the run ended without a verdict). */
  success: boolean | null;
  /** Who decided, or why the run ended, in words ("operator", "e-stop"…); '' when unknown. */
  detail: string;
}

/** The robot to pose in 3D, as the player's 3D view takes it. */
export type PlayerRobot = EpisodeRobot;

export interface PlayerEpisode {
  id: string;
  datasetId: string;
  /** The instruction the episode carried out. */
  task: string;
  /** "sim-dataset episode 0", "live teleop run". */
  label: string;
  length: number;
  /** Seconds since the first step, per step (non-decreasing). */
  times: number[];
  stateNames: string[];
  states: number[][];
  actionNames: string[];
  actions: number[][];
  /** Gripper closure per step, 0 open … 1 closed; null when the episode records none. */
  gripper: number[] | null;
  /** End effector per step, robot base frame (m). */
  eePositions: Vec3[];
  /** 3×4 world → pixels of the camera the frames come from, or null when it is not calibrated. */
  camera: { projection: number[]; width: number; height: number } | null;
  segments: EpisodeSegment[];
  /** Steps under operator control, [start, end) (live recordings). */
  interventions: { start: number; end: number }[];
  /** Null when the record says nothing about how it ended. */
  outcome: EpisodeOutcome | null;
  /** Stored camera images (JPEG/PNG bytes) by step: every frame of a live recording, each sample's first frame of an imported episode. */
  storedFrames: Map<number, Uint8Array>;
  /** The imported episode's video as stored, or null (live recordings; a file too large to keep). */
  video: { assetId: string; fileName: string; fromTimestamp: number; fps: number } | null;
  /** Null when none was stored (an episode imported from end-effector columns, a URDF loaded from a folder in Live). */
  robot: PlayerRobot | null;
}

const rows = (flat: ArrayLike<number>, n: number, width: number): number[][] =>
  Array.from({ length: n }, (_, i) => Array.from({ length: width }, (_, j) => Number(flat[i * width + j])));

/** Seconds from the first step; evenly spaced at `fps` when the stored times cannot be used. */
function stepTimes(timestamps: number[], length: number, fps: number): number[] {
  const t0 = timestamps[0] ?? 0;
  const times = timestamps.slice(0, length).map((t) => t - t0);
  const usable = times.length === length && times.every((t, i) => Number.isFinite(t) && (i === 0 || t >= times[i - 1])) && times[length - 1] > 0;
  return usable || length === 1 ? times : Array.from({ length }, (_, i) => i / (fps > 0 ? fps : 30));
}

function common(record: EpisodeRecord, m: McapEpisode, length: number, fps: number) {
  return {
    id: record.id,
    datasetId: record.datasetId,
    task: record.task,
    length,
    times: stepTimes(m.timestamps, length, fps),
    stateNames: m.stateNames,
    states: m.states,
    eePositions: (m.eePositions ?? []).map((p) => [p[0], p[1], p[2]] as Vec3),
    camera: m.camera ?? null,
    storedFrames: new Map(m.frames.map((f) => [f.step, f.data])),
  };
}

/** A live recording's arm joints are its `<joint>.pos` state columns (radians, as /joint_states sends them). */
function liveRobot(d: LiveEpisodeData): PlayerRobot | null {
  if (!d.robotModel) return null;
  const columns = d.stateNames.flatMap((name, i) => (name.endsWith('.pos') ? [i] : []));
  return {
    urdf: d.robotModel.urdf, meshes: new Map(), tip: d.robotModel.tip,
    joints: columns.map((i) => d.stateNames[i].slice(0, -'.pos'.length)),
    values: d.states.map((s) => columns.map((i) => s[i])),
  };
}

/** An imported episode's robot, with its mesh files read back from the assets. */
async function storedRobot(r: StoredRobotModel, length: number): Promise<PlayerRobot> {
  const entries = Object.entries(r.meshes);
  const assets = await Promise.all(entries.map(([, assetId]) => getAsset(assetId)));
  const meshes = new Map(entries.flatMap(([path], i) => (assets[i] ? [[path, assets[i].blob] as const] : [])));
  return { urdf: r.urdf, meshes, tip: r.tip, joints: r.joints, values: rows(r.values, length, r.joints.length) };
}

function fromLive(record: EpisodeRecord, d: LiveEpisodeData, m: McapEpisode): PlayerEpisode {
  const length = d.states.length;
  const gripperColumn = d.stateNames.indexOf('gripper');
  const incomplete = d.status === 'recording';
  return {
    ...common(record, m, length, d.fps),
    label: `live ${d.mode} run${incomplete ? ' (incomplete)' : ''}`,
    actionNames: d.actionNames,
    actions: d.actions,
    gripper: gripperColumn >= 0 ? d.states.map((s) => s[gripperColumn]) : null,
    segments: [{ start: 0, end: length - 1 }],
    interventions: d.interventions.map((s) => ({ start: s.start, end: s.end ?? length })),
    outcome: incomplete && d.success === null ? null : { success: d.success, detail: [d.outcomeBy ? `by the ${d.outcomeBy}` : '', d.endReason ?? ''].filter(Boolean).join(', ') },
    video: null,
    robot: liveRobot(d),
  };
}

function fromImported(record: EpisodeRecord, d: EpisodeData, m: McapEpisode, robot: PlayerRobot | null): PlayerEpisode {
  const frames = d.frames[0];
  return {
    ...common(record, m, d.length, d.fps),
    label: `${d.source.name} episode ${d.source.episodeIndex}`,
    actionNames: d.actionNames,
    actions: rows(d.actions, d.length, d.actionNames.length),
    gripper: Array.from(d.gripperClosed),
    segments: d.segments.length ? d.segments : [{ start: 0, end: d.length - 1 }],
    interventions: [],
    outcome: d.success === undefined ? null : { success: d.success, detail: '' },
    video: frames?.videoAssetId ? { assetId: frames.videoAssetId, fileName: frames.fileName, fromTimestamp: frames.fromTimestamp, fps: frames.fps || d.fps } : null,
    robot,
  };
}

/** The episode for the player; null when there is no episode with this id. */
export async function loadPlayerEpisode(episodeId: string): Promise<PlayerEpisode | null> {
  const record = await getEpisode(episodeId);
  if (!record) return null;
  const live = isLiveEpisode(record.data) ? (record.data as LiveEpisodeData) : null;
  const imported = episodeData(record);
  if (!live && !imported) throw new PlayerEpisodeError('This episode was written in a layout the studio does not know, so it cannot be replayed.');
  if (!(live ? live.states.length : imported!.length)) throw new PlayerEpisodeError('This episode has no steps: there is nothing to replay.');
  const { episode } = await readStoredEpisode(episodeId);
  if (live) return fromLive(record, live, episode);
  return fromImported(record, imported!, episode, imported!.robot ? await storedRobot(imported!.robot, imported!.length) : null);
}
