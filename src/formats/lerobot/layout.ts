/**
 * The studio export's LeRobot v3.0 dataset, written by the project's one v3.0 writer (v3Writer.ts,
 * which the simulator's generator uses too): on top of action, state and one camera it adds the
 * path features (`observation.path`, `observation.path_valid`, pathFeature.ts), the path-overlay
 * video and the `path_studio_export` key in info.json.
 *
 * Pure (no DOM, no storage): the exporter feeds it frame rows and video facts and gets file bytes
 * back, one file group at a time (see v3Writer.ts).
 */
import { PATH_FEATURE, PATH_POINTS, PATH_VALID_FEATURE, PATH_VALID_NAME, pathFeatureNames } from './pathFeature';
import { imageStats } from './stats';
import { LeRobotV3Writer, type FrameFeature, type LeRobotV3Config } from './v3Writer';

/**
 * Extension key in info.json (lerobot ignores unknown keys). Not the simulator's `path_studio` key:
 * that one promises a camera calibration (K + per-episode extrinsics) which exported episodes
 * carry only as a 3×4 projection, if at all.
 */
export const EXPORT_KEY = 'path_studio_export';

const PATH_FEATURES: FrameFeature[] = [
  { key: PATH_FEATURE, dtype: 'float32', shape: [PATH_POINTS * 3], names: pathFeatureNames() },
  // float32, not bool: lerobot normalizes every observation.* feature (src/formats/lerobot/featureRules.ts).
  { key: PATH_VALID_FEATURE, dtype: 'float32', shape: [1], names: [PATH_VALID_NAME] },
];

/** The export's dataset: the writer's common fields (videoCodec: another than `h264` only where the browser cannot encode H.264), plus its two videos and where the episodes came from. */
export interface LeRobotConfig extends Pick<LeRobotV3Config, 'fps' | 'robotType' | 'stateNames' | 'actionNames' | 'width' | 'height' | 'videoCodec'> {
  /** The camera video and the path-overlay video keys, e.g. observation.images.front and observation.images.front_path_overlay. */
  cameraKey: string;
  overlayKey: string;
  source: Record<string, unknown>;
}

export interface EpisodeRows {
  task: string;
  states: ArrayLike<number>[];
  actions: ArrayLike<number>[];
  paths: Float32Array[];
  pathValid: boolean[];
  /** A few RGBA frames of each video for image stats. */
  cameraSample: Uint8Array[];
  overlaySample: Uint8Array[];
  /** Start time of the episode inside its video file, seconds. */
  videoFrom: number;
  provenance: Record<string, unknown>;
}

type Entry = { path: string; data: Uint8Array };

export class LeRobotLayout {
  private readonly writer: LeRobotV3Writer;

  constructor(readonly config: LeRobotConfig) {
    const { fps, robotType, stateNames, actionNames, width, height, videoCodec, cameraKey, overlayKey } = config;
    this.writer = new LeRobotV3Writer({
      fps, robotType, stateNames, actionNames, width, height, videoCodec,
      videoKeys: [cameraKey, overlayKey], frameFeatures: PATH_FEATURES, createdBy: 'path-studio exporter',
    });
  }

  /** See LeRobotV3Writer.recordVideo. */
  recordVideo(key: string, pixFmt: string): void { this.writer.recordVideo(key, pixFmt); }

  get currentGroup(): number { return this.writer.currentGroup; }
  get episodeCount(): number { return this.writer.episodeCount; }
  get frameCount(): number { return this.writer.frameCount; }

  addEpisode(ep: EpisodeRows): void {
    const length = ep.states.length;
    this.writer.addEpisode({
      task: ep.task, states: ep.states, actions: ep.actions, videoFrom: ep.videoFrom, provenance: ep.provenance,
      features: { [PATH_FEATURE]: ep.paths, [PATH_VALID_FEATURE]: ep.pathValid.map((v) => (v ? 1 : 0)) },
      videoStats: { [this.config.cameraKey]: imageStats(ep.cameraSample, 4, length), [this.config.overlayKey]: imageStats(ep.overlaySample, 4, length) },
    });
  }

  /** Writes the current group's data parquet and starts the next group. Null when it is empty. */
  closeGroup(): Entry | null { return this.writer.closeGroup(); }

  /** meta/info.json, meta/stats.json, meta/tasks.parquet and meta/episodes (call after the last group is closed). */
  metaEntries(): Entry[] {
    const { cameraKey, overlayKey, source } = this.config;
    return this.writer.metaEntries({
      [EXPORT_KEY]: {
        version: 1,
        exported_by: 'Path Studio',
        source,
        path_feature: {
          feature: PATH_FEATURE,
          points: PATH_POINTS,
          layout: '[x0, y0, closed0, x1, y1, closed1, …]: the path of the segment the frame belongs to, resampled by arc length; x, y in [0, 1] of the image (origin top-left, y down); closed = 1 where the gripper is closed after the waypoint',
          valid_feature: PATH_VALID_FEATURE,
        },
        path_overlay_video: {
          feature: overlayKey,
          of: cameraKey,
          drawing: 'HAMSTER overlay (jet-coloured polyline, gripper-change circles) drawn on each camera frame with the frame\'s segment path; frames without a path are the plain camera frame',
        },
        episodes: this.writer.episodeProvenance(),
      },
    });
  }
}
