import { describe, expect, it } from 'vitest';
import { projectionFromIntrinsics, type Vec3 } from '../../core/camera/projection';
import { analyzeEpisode, gripperColumn, type AnalyzeOptions } from './analyze';

// Camera 1 m behind the origin (at x = −1) looking along +x (OpenCV axes: x_cam = −y_world, y_cam = −z_world, z_cam = x_world).
const T = [[0, -1, 0, 0], [0, 0, -1, 0], [1, 0, 0, 1], [0, 0, 0, 1]];
const P = projectionFromIntrinsics([[100, 0, 49.5], [0, 100, 49.5], [0, 0, 1]], T);

const base: AnalyzeOptions = {
  projection: P, width: 100, height: 100, gripperSignal: null, gripperAbsolute: true,
  hysteresis: { closeAbove: 0.6, openBelow: 0.4, inverted: false }, segmentation: { kind: 'whole' }, label: 'episode 0',
};

describe('analyzeEpisode', () => {
  // Reach down, grasp, lift and move, release; then a second grasp and release.
  const ee: Vec3[] = [];
  const grip: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t = i / 39;
    ee.push([0, -0.2 + 0.4 * t, 0.1 * Math.sin(t * Math.PI * 2)]);
    grip.push((i >= 8 && i < 18) || (i >= 26 && i < 34) ? 1 : 0);
  }

  it('projects the track, keeps gripper changes and maps the origin to the image centre', () => {
    const r = analyzeEpisode(ee, { ...base, gripperSignal: grip });
    if (!r.ok) throw new Error(r.error);
    expect(r.value.events.map((e) => [e.frame, e.state])).toEqual([[8, 'closed'], [18, 'open'], [26, 'closed'], [34, 'open']]);
    expect(r.value.segments).toEqual([{ start: 0, end: 39 }]);
    const changes = r.value.paths[0].points.filter((p, i, all) => p.gripper !== (i ? all[i - 1].gripper : 'open'));
    expect(changes).toHaveLength(4);
    const mid = analyzeEpisode([[0, 0, 0]], base);
    expect(mid.ok && mid.value.track.normalized[0]).toEqual({ x: 0.5, y: 0.5 });
  });

  it('splits at the release before the second grasp when asked', () => {
    const r = analyzeEpisode(ee, { ...base, gripperSignal: grip, segmentation: { kind: 'gripper' } });
    if (!r.ok) throw new Error(r.error);
    expect(r.value.segments).toEqual([{ start: 0, end: 18 }, { start: 18, end: 39 }]);
    expect(r.value.paths).toHaveLength(2);
  });

  it('refuses a calibration that puts the end effector behind the camera', () => {
    const r = analyzeEpisode(ee.map(([x, y, z]) => [x - 3, y, z] as Vec3), base);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/episode 0: 40 of 40 end-effector points project behind the camera/);
  });

  it('names a frame without an end-effector position', () => {
    const r = analyzeEpisode([[0, 0, 0], [NaN, 0, 0]], base);
    expect(!r.ok && r.error).toMatch(/frame 1/);
  });

  it('finds the gripper column by name', () => {
    expect(gripperColumn(['ee.x', 'ee.y', 'ee.z', 'gripper'])).toBe(3);
    expect(gripperColumn(['a'])).toBeNull();
  });
});

describe('streamed hashing of video files', () => {
  it('gives the same SHA-256 as hashing the bytes at once', async () => {
    const { streamedSha256 } = await import('./importEpisodes');
    const { sha256Hex } = await import('../../storage/hash');
    const bytes = Uint8Array.from({ length: (4 << 20) + 12345 }, (_, i) => (i * 31) & 255);
    expect(await streamedSha256(new Blob([bytes]))).toBe(await sha256Hex(bytes));
  });
});

describe('a bad end-effector value names where it was read from', () => {
  it('a dataset without a state column says so, naming the columns it tried', async () => {
    const { describeEeSource, endEffectorPositions } = await import('./importEpisodes');
    const table = { states: [[], []], actions: [[], []], timestamps: [0, 1], success: null };
    const ee = { kind: 'state' as const, indices: [0, 1, 2] as [number, number, number] };
    const r = analyzeEpisode(endEffectorPositions(table, ee), { ...base, eeSource: describeEeSource(table, ee, []) });
    expect(!r.ok && r.error).toBe("episode 0: the end-effector position of frame 0 is not a number (read from state value 0, state value 1, state value 2, but this episode's state has 0 values (no state column such as observation.state?) — choose the end-effector columns in the import step).");
    const named = { states: [[0.1, NaN, 0.3]], actions: [[]], timestamps: [0], success: null };
    const r2 = analyzeEpisode(endEffectorPositions(named, ee), { ...base, eeSource: describeEeSource(named, ee, ['ee.x', 'ee.y', 'ee.z']) });
    expect(!r2.ok && r2.error).toMatch(/frame 0 is not a number \(read from ee\.x, ee\.y, ee\.z\)/);
  });
});
