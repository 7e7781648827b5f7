/**
 * What every episode dataset reader (LeRobot v2.1/v3.0, robomimic/LIBERO HDF5) gives the importer
 * and the episode browser: episodes with tasks and lengths, per-frame states/actions, camera frames
 * and any calibration the dataset itself carries.
 */
import type { Projection } from '../../core/camera/projection';
import type { BagFacts } from '../rosbag/facts';
import type { DatasetInspection } from './inspection';

/** A dropped or picked folder: files by path relative to the dataset root ('/'-separated). */
export interface DatasetFiles {
  name: string;
  get(path: string): Blob | undefined;
  paths(): string[];
}

export interface CameraDescription {
  key: string;
  width: number;
  height: number;
  codec: string | null;
  /** Files of this camera that the dataset lists but the folder lacks. */
  missingFiles: string[];
  /** Episodes without frames from this camera (their file is missing); the others are readable. */
  episodesWithoutFrames?: number[];
}

export interface EpisodeSummary {
  index: number;
  task: string;
  length: number;
  success?: boolean;
}

export interface EpisodeTable {
  states: number[][];
  actions: number[][];
  timestamps: number[];
  /** Per-frame success flag when the dataset has one (`next.success`). */
  success: boolean[] | null;
  /** Per-frame end-effector position stored in the dataset itself (robomimic `robot0_eef_pos`). */
  eePositions?: number[][];
}

/** Frames of one episode from one camera. */
export interface FrameReader {
  /** The file the frames come from (for messages). */
  fileName: string;
  /** Time of the episode's first frame inside the file (v3 concatenates episodes), seconds. */
  fromTimestamp: number;
  /** Frame i of the episode as a bitmap (caller closes it). */
  frame(index: number): Promise<ImageBitmap>;
  /** Many frames in increasing order; cheaper than one by one for video. */
  frames(indices: number[]): AsyncGenerator<{ index: number; bitmap: ImageBitmap }>;
}

export interface MetadataCalibration {
  projection: Projection;
  width: number;
  height: number;
  /** Where it came from, for the UI ("simulator metadata", "robomimic camera_info"…). */
  origin: string;
}

export interface EpisodeSource {
  format: 'lerobot-v3.0' | 'lerobot-v2.1' | 'lerobot-v2.0' | 'robomimic-hdf5' | 'rosbag2' | 'mcap';
  name: string;
  fps: number;
  robotType: string | null;
  stateNames: string[];
  actionNames: string[];
  cameras: CameraDescription[];
  episodes: EpisodeSummary[];
  /** Non-fatal problems (missing videos…), each naming the file. */
  problems: string[];
  /** What the reader found (episodes on disk, columns and roles, camera files), as the import screen shows it. */
  inspection?: DatasetInspection;
  /** ROS bags: topics, role choices found and the plan read (src/importers/rosbag). */
  bag?: BagFacts;
  /** Index of the gripper value in the state vector when a column has the gripper role. */
  gripperStateIndex?: number | null;
  /** Indices into the state vector holding the end-effector xyz, when the dataset says so. */
  eeStateIndices: [number, number, number] | null;
  /** True when the gripper state column measures closure 0 (open) … 1 (closed). */
  gripperIsClosure01: boolean;
  calibration(camera: string, episode: number): MetadataCalibration | null;
  readEpisode(index: number): Promise<EpisodeTable>;
  /** Null when the camera's frames are missing. Throws a clear error for undecodable video. */
  frameReader(episode: number, camera: string): Promise<FrameReader | null>;
  close(): void;
}

/** Builds DatasetFiles from (relative path, file) pairs, dropping the common top folder. */
export function datasetFilesFromEntries(entries: { path: string; file: Blob }[], fallbackName = 'dataset'): DatasetFiles {
  const clean = entries.map((e) => ({ path: e.path.replace(/^\/+/, '').replace(/\\/g, '/'), file: e.file }));
  const tops = new Set(clean.map((e) => e.path.split('/')[0]));
  // A picked folder "ds" gives paths "ds/meta/info.json": the dataset root is "ds".
  const hasInfoAtRoot = clean.some((e) => e.path === 'meta/info.json');
  const strip = !hasInfoAtRoot && tops.size === 1 && clean.every((e) => e.path.includes('/'));
  const name = strip ? [...tops][0] : fallbackName;
  const map = new Map(clean.map((e) => [strip ? e.path.slice(e.path.indexOf('/') + 1) : e.path, e.file]));
  return { name, get: (p) => map.get(p), paths: () => [...map.keys()] };
}
