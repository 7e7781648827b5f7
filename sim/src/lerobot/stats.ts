/**
 * LeRobot feature statistics for the generator. The rules live once, in the studio's exporter
 * (`src/exporters/lerobot/stats.ts`, pure TS), so simulated and exported datasets agree; this file
 * adds only what the simulator needs on top: stats over raw RGB frames.
 */
import { computeStats, type FeatureStats } from '../../../src/formats/lerobot/stats';

export { aggregateStats, computeStats, nestImageStats, type FeatureStats } from '../../../src/formats/lerobot/stats';

/**
 * Per-channel image stats in [0, 1], shaped [3][1][1] like LeRobot's, from a subsample of pixels of
 * the given RGB frames.
 */
export function imageStats(frames: readonly Uint8Array[], stride = 7): FeatureStats {
  const rows: number[][] = [];
  for (const f of frames) for (let i = 0; i < f.length; i += 3 * stride) rows.push([f[i] / 255, f[i + 1] / 255, f[i + 2] / 255]);
  const s = computeStats(rows);
  s.count = [frames.length];
  return s;
}
