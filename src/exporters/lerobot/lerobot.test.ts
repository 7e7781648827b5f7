// @vitest-environment node
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { checkFeatureRules, formatProblems } from '../../formats/lerobot/featureRules';
import { openLeRobotDataset } from '../../importers/lerobot/dataset';
import { sharedFixture } from '../../testing/sharedFixtures';
import { LeRobotLayout } from '../../formats/lerobot/layout';
import { videoPath } from '../../formats/lerobot/v3Writer';
import { pathFeature, pathsPerFrame, PATH_POINTS } from '../../formats/lerobot/pathFeature';
import { validateLeRobotLayout, type LayoutFiles } from '../../formats/lerobot/validateLayout';
import { ffmpegPixelFormat } from './videoWriter';

const so101 = sharedFixture('lerobot-so101-v3');

function folder(root: string): LayoutFiles {
  const out = new Map<string, Blob>();
  const walk = (dir: string) => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(root, p).split('\\').join('/'), new Blob([readFileSync(p)]));
    }
  };
  walk(root);
  return { get: (p) => out.get(p), paths: () => [...out.keys()] };
}

const path = { initialGripper: 'open' as const, points: [{ x: 0, y: 0, gripper: 'open' as const }, { x: 1, y: 0, gripper: 'closed' as const }] };

function build(): Map<string, Blob> {
  const layout = new LeRobotLayout({
    fps: 10, robotType: 'test_arm', stateNames: ['ee.x', 'ee.y', 'ee.z', 'gripper'], actionNames: ['ee.dx', 'ee.dy', 'ee.dz', 'gripper'],
    width: 8, height: 6, cameraKey: 'observation.images.front', overlayKey: 'observation.images.front_path_overlay', videoCodec: 'h264', source: { dataset: 'test' },
  });
  const files = new Map<string, Blob>();
  const episode = (task: string, length: number, videoFrom: number) => {
    const paths = pathsPerFrame(length, [{ frameStart: 0, frameEnd: length - 2, path }]);
    layout.addEpisode({
      task, videoFrom, provenance: { source_episode: task },
      states: Array.from({ length }, (_, i) => [i / 10, 0.1, 0.2, i % 2]),
      actions: Array.from({ length }, () => [0.01, 0, 0, 1]),
      paths: paths.map((p) => pathFeature(p)), pathValid: paths.map((p) => p !== null),
      cameraSample: [new Uint8Array(8 * 6 * 4).fill(100)], overlaySample: [new Uint8Array(8 * 6 * 4).fill(200)],
    });
  };
  episode('pick the cube', 5, 0);
  episode('press the button', 3, 0.5);
  const g0 = layout.closeGroup()!;
  files.set(g0.path, new Blob([g0.data as Uint8Array<ArrayBuffer>]));
  episode('pick the cube', 4, 0);
  const g1 = layout.closeGroup()!;
  files.set(g1.path, new Blob([g1.data as Uint8Array<ArrayBuffer>]));
  for (const g of [0, 1]) {
    for (const key of ['observation.images.front', 'observation.images.front_path_overlay']) {
      files.set(videoPath(key, g), new Blob(['mp4']));
      layout.recordVideo(key, 'yuvj420p');
    }
  }
  for (const e of layout.metaEntries()) files.set(e.path, new Blob([e.data as Uint8Array<ArrayBuffer>]));
  return files;
}

describe('path feature', () => {
  it('is fixed-size, resampled, with the gripper as 0/1; zeros without a path', () => {
    const f = pathFeature(path);
    expect(f.length).toBe(PATH_POINTS * 3);
    expect([f[0], f[1], f[2]]).toEqual([0, 0, 0]);
    expect([f[f.length - 3], f[f.length - 1]]).toEqual([1, 1]);
    expect(pathFeature(null).every((v) => v === 0)).toBe(true);
    expect(pathsPerFrame(4, [{ frameStart: 1, frameEnd: 2, path }])).toEqual([null, path, path, null]);
  });
});

describe('LeRobot v3.0 layout', () => {
  it.skipIf(!so101.present)('the validator accepts the real lerobot fixture (so it checks what lerobot writes)', async () => {
    expect(await validateLeRobotLayout(folder(so101.path()), { requireVideos: false })).toEqual([]);
  });

  it('follows lerobot\'s feature rules: only float32 observation.* features, names, stats shapes', async () => {
    const files = build();
    const info = JSON.parse(await files.get('meta/info.json')!.text());
    const stats = JSON.parse(await files.get('meta/stats.json')!.text());
    expect(formatProblems(checkFeatureRules(info.features, stats, { fps: info.fps }))).toEqual([]);
    expect(info.features['observation.path_valid']).toEqual({ dtype: 'float32', shape: [1], names: ['path_valid'] });
    expect(info.features['observation.images.front'].info['video.pix_fmt']).toBe('yuvj420p');
    // The column holds 0/1 floats where the frame has / lacks a path (episode 0: 5 frames, path on frames 0…3).
    const rows = await parquetReadObjects({ file: await files.get('data/chunk-000/file-000.parquet')!.arrayBuffer() });
    expect(rows.slice(0, 5).map((r) => r['observation.path_valid'])).toEqual([1, 1, 1, 1, 0]);
    expect(stats['observation.path_valid'].mean[0]).toBeCloseTo(9 / 12, 9);
  });

  it('refuses video files of one key in two pixel formats', () => {
    const layout = new LeRobotLayout({ fps: 10, robotType: 'x', stateNames: ['a'], actionNames: ['b'], width: 2, height: 2, cameraKey: 'c', overlayKey: 'o', videoCodec: 'h264', source: {} });
    layout.recordVideo('c', 'yuvj420p');
    expect(() => layout.recordVideo('c', 'yuv420p')).toThrow('two pixel formats');
  });

  it('writes a layout the validator accepts and the studio importer reads back', async () => {
    const files = build();
    const view: LayoutFiles = { get: (p) => files.get(p), paths: () => [...files.keys()] };
    expect(await validateLeRobotLayout(view)).toEqual([]);
    const info = JSON.parse(await files.get('meta/info.json')!.text());
    expect(info.total_episodes).toBe(3);
    expect(info.total_frames).toBe(12);
    expect(info.features['observation.path'].shape).toEqual([PATH_POINTS * 3]);
    expect(info.features['observation.images.front_path_overlay'].dtype).toBe('video');

    const source = await openLeRobotDataset({ name: 'export', ...view });
    expect(source.episodes.map((e) => [e.task, e.length])).toEqual([['pick the cube', 5], ['press the button', 3], ['pick the cube', 4]]);
    expect(source.cameras.map((c) => c.key).sort()).toEqual(['observation.images.front', 'observation.images.front_path_overlay']);
    const ep = await source.readEpisode(2);
    expect(ep.states[3].map((v) => +v.toFixed(4))).toEqual([0.3, 0.1, 0.2, 1]);
    expect(ep.timestamps).toEqual([0, 0.1, 0.2, 0.3].map(Math.fround));
  });

  it('the validator finds broken layouts', async () => {
    const files = build();
    files.delete(videoPath('observation.images.front_path_overlay', 1));
    files.delete('meta/stats.json');
    const problems = await validateLeRobotLayout({ get: (p) => files.get(p), paths: () => [...files.keys()] });
    expect(problems).toContain('videos/observation.images.front_path_overlay/chunk-000/file-001.mp4 (meta/episodes episode 2) is missing');
    expect(problems).toContain('meta/stats.json is missing');
  });
});

describe('pixel format names (as ffprobe reports them)', () => {
  it('H.264 full range is yuvj420p, limited yuv420p; VP9/AV1 keep yuv… and carry depth and chroma', () => {
    expect(ffmpegPixelFormat('avc', 'avc1.42001f', true)).toBe('yuvj420p');
    expect(ffmpegPixelFormat('avc', 'avc1.640028', false)).toBe('yuv420p');
    expect(ffmpegPixelFormat('avc', 'avc1.6e0028', false)).toBeNull(); // High 10: depth not in the codec string
    expect(ffmpegPixelFormat('vp9', 'vp09.00.10.08', true)).toBe('yuv420p');
    expect(ffmpegPixelFormat('vp9', 'vp09.02.10.10.03', false)).toBe('yuv444p10le');
    expect(ffmpegPixelFormat('av1', 'av01.0.04M.08', false)).toBe('yuv420p');
    expect(ffmpegPixelFormat('av1', 'av01.0.04M.10.1', false)).toBe('gray10le');
  });
});
