/**
 * The generator's LeRobot v3.0 dataset, written by the project's one v3.0 writer
 * (src/formats/lerobot/v3Writer.ts, which the studio's export uses too): one camera, whose H.264
 * video (all episodes concatenated, one file group) ffmpeg writes to disk as frames arrive,
 * `next.success` as a bool column, and the camera calibration in info.json under SIM_CALIBRATION_KEY.
 * This class adds only the file system, the frame buffering and that calibration block.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { imageStats } from '../../../src/formats/lerobot/stats.ts';
import { LeRobotV3Writer, videoPath } from '../../../src/formats/lerobot/v3Writer.ts';
import { SIM_CALIBRATION_KEY } from '../../../src/formats/lerobot/info.ts';
import { Mp4Writer } from './video.ts';

/** Extension key in meta/info.json holding the calibration and per-episode provenance. */
export const VIDEO_KEY = 'observation.images.front';
/** Every episode goes into the first file group. */
const GROUP = 0;

export interface DatasetConfig {
  fps: number;
  width: number;
  height: number;
  robotType: string;
  stateNames: string[];
  actionNames: string[];
  /** Intrinsics K (row-major 3×3), fixed for the dataset. */
  intrinsics: number[];
}

export interface EpisodeMeta {
  task: string;
  /** World (base_link) to camera (OpenCV optical frame) 4×4, row-major nested. */
  worldToCamera: number[][];
  /** Free-form provenance: seed, task kind, split, ... */
  info: Record<string, unknown>;
}

interface Frame { state: number[]; action: number[]; success: boolean }

export class LeRobotDatasetWriter {
  private readonly writer: LeRobotV3Writer;
  private readonly video: Mp4Writer;
  private readonly worldToCamera: number[][][] = [];
  private current: { frames: Frame[]; rgb: Uint8Array[] } | null = null;

  constructor(readonly root: string, readonly config: DatasetConfig) {
    const { fps, width, height, robotType, stateNames, actionNames } = config;
    this.writer = new LeRobotV3Writer({
      fps, width, height, robotType, stateNames, actionNames, videoKeys: [VIDEO_KEY], videoCodec: 'h264', createdBy: 'path-studio sim',
      frameFeatures: [{ key: 'next.success', dtype: 'bool', shape: [1], names: null }],
    });
    const videoFile = join(root, videoPath(VIDEO_KEY, GROUP));
    mkdirSync(dirname(videoFile), { recursive: true });
    this.video = new Mp4Writer(videoFile, width, height, fps);
  }

  beginEpisode(): void {
    this.current = { frames: [], rgb: [] };
  }

  async addFrame(rgb: Uint8Array, frame: Frame): Promise<void> {
    if (!this.current) throw new Error('addFrame before beginEpisode');
    this.current.frames.push(frame);
    // Keep a thinned copy for image stats; the video gets every frame.
    if (this.current.frames.length % 5 === 1) this.current.rgb.push(Uint8Array.from(rgb));
    await this.video.write(rgb);
  }

  endEpisode(meta: EpisodeMeta): void {
    const ep = this.current;
    if (!ep || ep.frames.length === 0) throw new Error('episode without frames');
    this.current = null;
    this.writer.addEpisode({
      task: meta.task,
      states: ep.frames.map((f) => f.state),
      actions: ep.frames.map((f) => f.action),
      features: { 'next.success': ep.frames.map((f) => f.success) },
      // Counted over the sampled frames, as lerobot counts image stats.
      videoStats: { [VIDEO_KEY]: imageStats(ep.rgb, 3, ep.rgb.length) },
      // One video file holds every episode, one frame per data row.
      videoFrom: this.writer.frameCount / this.config.fps,
      provenance: meta.info,
    });
    this.worldToCamera.push(meta.worldToCamera);
  }

  get episodeCount(): number { return this.writer.episodeCount; }

  async finish(): Promise<void> {
    await this.video.finish();
    this.writer.recordVideo(VIDEO_KEY, this.video.pixelFormat());
    const entries = [this.writer.closeGroup()!, ...this.writer.metaEntries({ [SIM_CALIBRATION_KEY]: this.calibration() })];
    for (const { path, data } of entries) {
      mkdirSync(dirname(join(this.root, path)), { recursive: true });
      writeFileSync(join(this.root, path), data);
    }
  }

  /** The `path_studio` block: the camera calibration (docs/SIM.md) and each episode's provenance. */
  private calibration(): Record<string, unknown> {
    const { width, height, intrinsics: k } = this.config;
    return {
      version: 1,
      world_frame: 'base_link (robot base; z up; table top at z = 0)',
      state_ee_position: { feature: 'observation.state', indices: [0, 1, 2], frame: 'base_link', point: 'ee_link (gripper palm centre)' },
      cameras: {
        [VIDEO_KEY]: {
          model: 'pinhole', distortion: 'none', width, height,
          K: [[k[0], k[1], k[2]], [k[3], k[4], k[5]], [k[6], k[7], k[8]]],
          pixel_convention: 'OpenCV: u right, v down, pixel centres at integer coordinates ((0, 0) = centre of the top-left pixel)',
          camera_frame: 'OpenCV optical frame: x right, y down, z forward',
          extrinsics: 'world_to_camera: x_cam = T[:3,:3] @ x_world + T[:3,3]; row-major 4x4; world = base_link',
          world_to_camera_per_episode: this.worldToCamera,
        },
      },
      episodes: this.writer.episodeProvenance(),
    };
  }
}
