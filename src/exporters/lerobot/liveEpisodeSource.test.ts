// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { Path } from '../../core/path';
import { LIVE_EPISODE_FORMAT, type LiveEpisodeData } from '../../robot/liveEpisode';
import { liveExportRows } from './liveEpisodeSource';
import { pathsPerFrame } from '../../formats/lerobot/pathFeature';

const path = (x: number): Path => ({ initialGripper: 'open', points: [{ x, y: 0.2, gripper: 'open' }, { x: 0.9, y: 0.8, gripper: 'closed' }] });

function episode(over: Partial<LiveEpisodeData> = {}): Record<string, unknown> {
  const n = 6;
  const d: LiveEpisodeData = {
    format: LIVE_EPISODE_FORMAT, status: 'complete', mode: 'model', instruction: 'put the red cube in the blue bowl', robot: { name: 'sim', url: 'ws://x' },
    fps: 10, stateNames: ['ee.x', 'ee.y', 'ee.z', 'gripper'], actionNames: ['ee.dx', 'ee.dy', 'ee.dz', 'gripper'],
    camera: { width: 256, height: 192, K: [[1, 0, 0], [0, 1, 0], [0, 0, 1]] },
    frames: ['', 'a', 'a', '', 'b', 'c'],
    states: Array.from({ length: n }, (_, i) => [i, 0, 0, 0]),
    actions: Array.from({ length: n }, (_, i) => [0, i, 0, 1]),
    timestamps: Array.from({ length: n }, (_, i) => i / 10),
    sources: ['policy', 'policy', 'teleop', 'teleop', 'policy', 'policy'],
    latencyMs: Array(n).fill(10),
    paths: [{ version: 2, source: 'planner', atStep: 4, path: path(0.5) }, { version: 1, source: 'operator', atStep: 0, path: path(0.1) }],
    interventions: [{ start: 2, end: 4 }, { start: 5, end: null }],
    success: true, outcomeBy: 'robot', startedAt: 0, endReason: 'task succeeded',
    ...over,
  };
  return d as unknown as Record<string, unknown>;
}

describe('live episodes for the LeRobot exporter', () => {
  it('gives per-frame rows, frames without gaps, the paths the run followed and the interventions', () => {
    const r = liveExportRows(episode());
    if (!r || !('rows' in r)) throw new Error('expected rows');
    const { rows } = r;
    expect(rows.length).toBe(6);
    expect(rows.frameAssetIds).toEqual(['a', 'a', 'a', 'a', 'b', 'c']);
    expect(rows.states[3]).toEqual([3, 0, 0, 0]);
    expect(rows.actions[5]).toEqual([0, 5, 0, 1]);
    // The operator's path covers steps 0–3, the re-plan from step 4 on.
    const perFrame = pathsPerFrame(rows.length, rows.segments);
    expect(perFrame.map((p) => p?.points[0].x)).toEqual([0.1, 0.1, 0.1, 0.1, 0.5, 0.5]);
    expect(rows.provenance).toMatchObject({ source: 'live', mode: 'model', success: true, interventions: [{ start: 2, end: 4 }, { start: 5, end: 6 }], teleop_frames: 2 });
    expect(rows.camera).toEqual({ width: 256, height: 192 });
  });

  it('a teleop run without paths leaves the frames without a path (the Library sample fills in)', () => {
    const r = liveExportRows(episode({ mode: 'teleop', paths: [] }));
    expect(r && 'rows' in r && r.rows.segments).toEqual([]);
  });

  it('skips what cannot be exported, with the reason; other records are not live episodes', () => {
    expect(liveExportRows(episode({ states: [], actions: [], frames: [], timestamps: [], sources: [], latencyMs: [] }))).toEqual({ skip: 'was recorded without a single step' });
    expect(liveExportRows(episode({ frames: ['', '', '', '', '', ''] }))).toEqual({ skip: 'has no camera frames' });
    expect(liveExportRows(episode({ actions: [[0, 0, 0, 0]] }))).toMatchObject({ skip: expect.stringContaining('inconsistent') });
    expect(liveExportRows({ kind: 'imported-episode' })).toBeNull();
  });
});
