/** Test-time episode datasets: a small simulator dataset and broken variants of it (Node side). */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SIM_CAMERA = 'observation.images.front';

/** Generates a sim dataset (a few episodes; ~5–15 s on this machine). */
export function generateSimDataset(episodes = 3, seed = 1): string {
  const dir = mkdtempSync(join(tmpdir(), 'ps-e2e-sim-'));
  execFileSync('npx', ['tsx', 'sim/src/generate.ts', '--episodes', String(episodes), '--seed', String(seed), '--out', join(dir, 'sim-dataset'), '--max-steps', '70'], { stdio: 'pipe' });
  return join(dir, 'sim-dataset');
}

/** A copy of `src` under a new temp folder named `name`, for breaking it on purpose. */
export function copyDataset(src: string, name: string): string {
  const dst = join(mkdtempSync(join(tmpdir(), 'ps-e2e-bad-')), name);
  cpSync(src, dst, { recursive: true });
  return dst;
}

export function removeTemp(dir: string) {
  rmSync(join(dir, '..'), { recursive: true, force: true });
}

export interface SimInfo {
  K: number[][];
  width: number;
  height: number;
  worldToCamera: number[][][];
}

export function readSimCalibration(dir: string): SimInfo {
  const info = JSON.parse(readFileSync(join(dir, 'meta/info.json'), 'utf8'));
  const cam = info.path_studio.cameras[SIM_CAMERA];
  return { K: cam.K, width: cam.width, height: cam.height, worldToCamera: cam.world_to_camera_per_episode };
}

export function editInfo(dir: string, edit: (info: Record<string, unknown>) => void) {
  const p = join(dir, 'meta/info.json');
  const info = JSON.parse(readFileSync(p, 'utf8'));
  edit(info);
  writeFileSync(p, JSON.stringify(info, null, 2));
}

/** Pixel of a world point (OpenCV, pixel centres at integers) with the sim's documented formula. */
export function projectSim(cal: SimInfo, episode: number, p: number[]): { u: number; v: number; z: number } {
  const T = cal.worldToCamera[episode];
  const c = [0, 1, 2].map((r) => T[r][0] * p[0] + T[r][1] * p[1] + T[r][2] * p[2] + T[r][3]);
  return { u: (cal.K[0][0] * c[0]) / c[2] + cal.K[0][2], v: (cal.K[1][1] * c[1]) / c[2] + cal.K[1][2], z: c[2] };
}

/** observation.state rows of one episode, read with hyparquet in Node. */
export async function simStates(dir: string, episode: number): Promise<number[][]> {
  const { parquetReadObjects } = await import('hyparquet');
  const b = readFileSync(join(dir, 'data/chunk-000/file-000.parquet'));
  const rows = await parquetReadObjects({ file: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength), columns: ['observation.state', 'episode_index', 'frame_index'] });
  return rows.filter((r) => Number(r.episode_index) === episode).sort((a, b) => Number(a.frame_index) - Number(b.frame_index)).map((r) => (r['observation.state'] as number[]).map(Number));
}

/** Frame `index` of a video file (counting from 0 across the whole file) as RGB, decoded by ffmpeg. */
export function ffmpegFrame(videoPath: string, index: number, width: number, height: number): Buffer {
  const out = execFileSync('ffmpeg', ['-v', 'error', '-i', videoPath, '-vf', `select=eq(n\\,${index})`, '-vframes', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { maxBuffer: 1 << 26 });
  if (out.length !== width * height * 3) throw new Error(`ffmpeg gave ${out.length} bytes for frame ${index}`);
  return out;
}

/** Global index (in the concatenated video) of an episode's first frame: the sum of earlier lengths. */
export async function episodeFirstIndex(dir: string, episode: number): Promise<number> {
  let n = 0;
  for (let e = 0; e < episode; e++) n += (await simStates(dir, e)).length;
  return n;
}
