import type { Path } from '../core/path';

/** Records stored in IndexedDB (docs/ARCHITECTURE.md, Storage). Binary data is always a Blob. */

export interface DatasetRecord {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  /** Set while a delete can still be undone; purged for good afterwards. */
  deletedAt?: number;
}

/** An image (or other binary) stored once per content hash. */
export interface AssetRecord {
  /** SHA-256 of the bytes, hex: identical files share one asset. */
  id: string;
  blob: Blob;
  mime: string;
  size: number;
  width: number;
  height: number;
  /** Small JPEG/WebP preview for grids, made off the main thread at ingest. */
  thumbnail?: Blob;
  /**
   * CRC-32 of `blob`, computed at ingest: a ZIP export writes the Blob to the file without
   * reading it. Absent on assets stored before it existed and on recorded live frames (not
   * computed beside the control loop); those are read and checksummed when exported.
   */
  crc32?: number;
  createdAt: number;
}

export const SAMPLE_STATUSES = ['draft', 'done', 'reviewed', 'rejected'] as const;
export type SampleStatus = (typeof SAMPLE_STATUSES)[number];

export const SAMPLE_SOURCES = ['image', 'video', 'episode', 'model', 'import'] as const;
export type SampleSource = (typeof SAMPLE_SOURCES)[number];

export interface SampleProvenance {
  /** Original file name for uploads, or a description of where the sample came from. */
  fileName?: string;
  videoAssetId?: string;
  episodeId?: string;
  frameStart?: number;
  frameEnd?: number;
  note?: string;
}

export interface SampleReview {
  verdict: 'approved' | 'rejected';
  comment: string;
  at: number;
}

/** One (image, instruction, path) triple; one image may carry several samples. */
export interface SampleRecord {
  id: string;
  datasetId: string;
  assetId: string;
  /** Position in the dataset's queue (monotonic, not necessarily dense). */
  order: number;
  instruction: string;
  path: Path | null;
  status: SampleStatus;
  source: SampleSource;
  provenance: SampleProvenance;
  review?: SampleReview;
  /** True while the path came from a model and no person has touched it. */
  prelabeled?: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface EpisodeRecord {
  id: string;
  datasetId: string;
  task: string;
  /** Arbitrary per-episode payload (frames as asset ids, states, actions, calibration, success). */
  data: Record<string, unknown>;
  createdAt: number;
}

export interface ModelRecord {
  id: string;
  name: string;
  role: 'planner' | 'policy';
  onnx: Blob;
  card: Record<string, unknown>;
  createdAt: number;
}

export interface RunRecord {
  id: string;
  modelIds: string[];
  episodeId?: string;
  metrics: Record<string, unknown>;
  createdAt: number;
}

/** An imported video: the file is an asset (stored once); frames are decoded on demand. */
export interface VideoRecord {
  id: string;
  datasetId: string;
  /** Asset holding the original file bytes. */
  assetId: string;
  name: string;
  codec: string;
  width: number;
  height: number;
  fps: number;
  frameCount: number;
  durationSeconds: number;
  /** Segments, tracks, keyframes and gripper events: owned by the video importer. */
  annotation: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

/** A camera calibration, reusable across episodes of a dataset (docs/CAMERAS.md). */
export interface CalibrationRecord {
  id: string;
  datasetId: string;
  /** Camera key, e.g. `observation.images.front`. */
  camera: string;
  /** 3×4 projection, row-major, world (robot base) → pixels. */
  projection: number[];
  width: number;
  height: number;
  source: 'metadata' | 'clicks' | 'manual';
  /** Reprojection errors in pixels when estimated from clicks. */
  rmsPx?: number;
  leaveOneOutPx?: number;
  createdAt: number;
}
