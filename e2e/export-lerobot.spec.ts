import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkVideoStream, formatProblems } from '../src/formats/lerobot/featureRules';
import { validateLeRobotLayout } from '../src/formats/lerobot/validateLayout';
import { openLeRobotDataset } from '../src/importers/lerobot/dataset';
import { sharedFixture } from '../src/testing/sharedFixtures';
import { makePng, readZippedFolder, OPFS_SAVE_PICKER } from './helpers';

/**
 * LeRobot v3.0 export of a stored episode: the app decodes the episode's video, draws each
 * frame's segment path with the HAMSTER renderer and writes both videos (WebCodecs) + parquet.
 * The zip is read back from OPFS and checked in Node: layout validator, the studio's own LeRobot
 * importer, ffprobe/ffmpeg for the videos.
 */

const W = 160, H = 120, FPS = 10, N = 20;
const tabletop = sharedFixture('video-robot-tabletop');

test.beforeEach(async ({ context }) => {
  await context.addInitScript(OPFS_SAVE_PICKER);
});

test('exports episodes with the path feature and the path-overlay video, readable by the LeRobot importer', async ({ page }) => {
  test.skip(!tabletop.present, tabletop.skipReason);
  const tmp = mkdtempSync(join(tmpdir(), 'ps-lerobot-e2e-'));
  try {
    const mp4 = join(tmp, 'episode.mp4');
    execFileSync('ffmpeg', ['-v', 'error', '-i', tabletop.path('two_obj_compressed.mp4'), '-frames:v', String(N), '-vf', `fps=${FPS},scale=${W}:${H}`, '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-g', '5', mp4]);
    const video = readFileSync(mp4);
    const png = makePng('still.png', 3, W, H);

    await page.goto('/export');
    await page.evaluate(async ({ videoB64, pngB64, W, H, FPS, N }) => {
      const bytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const hex = async (b: Uint8Array<ArrayBuffer>) => Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', b)), (x) => x.toString(16).padStart(2, '0')).join('');
      const v = bytes(videoB64), p = bytes(pngB64);
      const videoId = await hex(v), pngId = await hex(p);
      const open = indexedDB.open('path-studio');
      const db: IDBDatabase = await new Promise((res) => { open.onsuccess = () => res(open.result); });
      const tx = db.transaction(['datasets', 'assets', 'episodes', 'samples'], 'readwrite');
      tx.objectStore('datasets').put({ id: 'ds', name: 'Robot episodes', createdAt: 1, updatedAt: 1 });
      tx.objectStore('assets').put({ id: videoId, blob: new Blob([v], { type: 'video/mp4' }), mime: 'video/mp4', size: v.length, width: W, height: H, createdAt: 1 });
      tx.objectStore('assets').put({ id: pngId, blob: new Blob([p], { type: 'image/png' }), mime: 'image/png', size: p.length, width: W, height: H, createdAt: 1 });
      const states = new Float32Array(N * 4).map((_, i) => (i % 4 === 3 ? (i > 40 ? 1 : 0) : i / 100));
      const actions = new Float32Array(N * 4).map((_, i) => i / 1000);
      const data = {
        kind: 'imported-episode', source: { format: 'lerobot-v3.0', name: 'sim', episodeIndex: 0 }, length: N, fps: FPS,
        stateNames: ['ee.x', 'ee.y', 'ee.z', 'gripper'], actionNames: ['ee.dx', 'ee.dy', 'ee.dz', 'gripper'],
        states, actions, timestamps: new Float64Array(N).map((_, i) => i / FPS), eePositions: new Float32Array(N * 3), eeOrigin: 'state columns',
        frames: [{ camera: 'observation.images.front', videoAssetId: videoId, fileName: 'episode.mp4', fromTimestamp: 0, fps: FPS, width: W, height: H }],
        gripperClosed: new Uint8Array(N), segments: [{ start: 0, end: 9 }, { start: 10, end: 19 }], success: true,
      };
      tx.objectStore('episodes').put({ id: 'ep1', datasetId: 'ds', task: 'pick up the cube', createdAt: 1, data });
      tx.objectStore('episodes').put({ id: 'ep-bad', datasetId: 'ds', task: 'no video kept', createdAt: 2, data: { ...data, frames: [{ ...data.frames[0], videoAssetId: undefined }] } });
      const path = { initialGripper: 'open', points: [{ x: 0.1, y: 0.8, gripper: 'open' }, { x: 0.5, y: 0.3, gripper: 'closed' }, { x: 0.9, y: 0.6, gripper: 'open' }] };
      tx.objectStore('samples').put({ id: 's1', datasetId: 'ds', assetId: pngId, order: 0, instruction: 'pick up the cube', path, status: 'done', source: 'episode',
        provenance: { episodeId: 'ep1', frameStart: 0, frameEnd: 9 }, createdAt: 1, updatedAt: 1 });
      await new Promise((res) => { tx.oncomplete = res; });
      db.close();
    }, { videoB64: video.toString('base64'), pngB64: png.data.toString('base64'), W, H, FPS, N });

    await page.goto('/export?dataset=ds&format=lerobot');
    await expect(page.getByTestId('lerobot-episodes')).toHaveText('1');
    await expect(page.getByTestId('lerobot-path-frames')).toHaveText('10');
    await expect(page.getByText('“no video kept” has no stored video')).toBeVisible();
    await page.getByRole('button', { name: 'Export LeRobot dataset' }).click();
    await expect(page.getByRole('region', { name: 'Export a dataset' }).getByRole('status')).toContainText('Exported 1 episodes, 20 frames', { timeout: 60_000 });

    const folder = await readZippedFolder(page, 'Robot_episodes-lerobot.zip');

    // The layout and lerobot's feature/stats rules (float32 observation.* only, names, stats shapes).
    expect(await validateLeRobotLayout(folder)).toEqual([]);
    const info = JSON.parse(await folder.get('meta/info.json')!.text());
    expect(info.features['observation.images.front'].info['video.codec']).toBe('h264');
    expect(info.features['observation.path_valid']).toEqual({ dtype: 'float32', shape: [1], names: ['path_valid'] });
    expect(info.features['observation.images.front_path_overlay'].dtype).toBe('video');
    const source = await openLeRobotDataset(folder);
    expect(source.episodes).toEqual([expect.objectContaining({ task: 'pick up the cube', length: N })]);
    const table = await source.readEpisode(0);
    expect(table.states[5].map((v) => +v.toFixed(2))).toEqual([0.2, 0.21, 0.22, 0]);

    // The videos: H.264, N frames each, codec / pixel format / size as info.json says (ffprobe);
    // the overlay differs from the camera only where a path exists.
    const decode = async (key: string) => {
      const name = `videos/${key}/chunk-000/file-000.mp4`;
      const file = join(tmp, name.replace(/\//g, '_'));
      writeFileSync(file, Buffer.from(await folder.get(name)!.arrayBuffer()));
      const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=codec_name,pix_fmt,width,height,nb_read_frames', '-of', 'json', file]).toString()).streams[0];
      expect(Number(probe.nb_read_frames)).toBe(N);
      expect(formatProblems(checkVideoStream(key, info.features[key], probe))).toEqual([]);
      return execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 64 << 20 });
    };
    const cam = await decode('observation.images.front');
    const over = await decode('observation.images.front_path_overlay');
    // The range the stream declares is the range it holds: decoded camera frames keep the source's
    // brightness (a full-range flag on limited-range pixels, or the reverse, shifts it by ~8–14 %).
    const original = execFileSync('ffmpeg', ['-v', 'error', '-i', mp4, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 64 << 20 });
    const mean = (b: Buffer) => b.reduce((a, v) => a + v, 0) / b.length;
    expect(Math.abs(mean(cam) - mean(original))).toBeLessThan(3);
    const frameDiff = (i: number) => {
      let d = 0;
      for (let k = i * W * H * 3; k < (i + 1) * W * H * 3; k++) d += Math.abs(cam[k] - over[k]);
      return d / (W * H * 3);
    };
    expect(frameDiff(3)).toBeGreaterThan(2);
    expect(frameDiff(15)).toBeLessThan(1);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
