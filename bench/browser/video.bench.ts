/**
 * Video benchmark in headless Chromium against the production build:
 * - decoding a 1080p H.264 clip with WebCodecs through mediabunny (every frame, closed at once),
 *   printed beside ffmpeg's own decode rate of the same file (all threads, and one thread);
 * - tracking one point through a 30 s 720p clip in the tracking worker (decode + OpenCV.js LK
 *   with the forward–backward check), as a multiple of real time.
 * Clips are made with ffmpeg in a temp folder. The machine's cores are shared: figures are
 * pessimistic.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeSyntheticVideo } from '../../src/testing/syntheticVideo';
import { report } from '../report';
import { baseUrl, launchChromium, newBenchContext } from './browser';

const dir = mkdtempSync(join(tmpdir(), 'ps-bench-video-'));

function make1080p(): string {
  const file = join(dir, 'clip-1080p.mp4');
  if (!existsSync(file)) {
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=s=1920x1080:r=30:d=10', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', file]);
  }
  return file;
}

/** ffmpeg's decode rate (frames/s) of the same file, discarding the frames. */
function ffmpegDecodeFps(file: string, threads?: number): number {
  const args = ['-v', 'error', ...(threads ? ['-threads', String(threads)] : []), '-i', file, '-f', 'null', '-'];
  const frames = Number(execFileSync('ffprobe', ['-v', 'error', '-count_packets', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim());
  const t0 = performance.now();
  execFileSync('ffmpeg', args);
  return frames / ((performance.now() - t0) / 1000);
}

async function main() {
  const clip1080 = make1080p();
  const clip720 = makeSyntheticVideo({ width: 1280, height: 720, frames: 900, speed: 1, wobble: 40, codec: 'h264' }, dir);
  const files: Record<string, string> = { 'clip-1080p.mp4': clip1080, 'clip-720p.mp4': clip720.file };

  const browser = await launchChromium();
  try {
    const context = await newBenchContext(browser);
    await context.route('**/bench-video/*', (route) => route.fulfill({ path: files[route.request().url().split('/').pop()!], contentType: 'video/mp4' }));
    const page = await context.newPage();
    await page.goto(`${baseUrl}/import/video`);
    await page.waitForFunction(() => '__pathStudioVideo' in globalThis);

    const decode = await page.evaluate(async () => {
      const blob = await (await fetch('/bench-video/clip-1080p.mp4')).blob();
      const hook = (globalThis as unknown as { __pathStudioVideo: import('../../src/video/benchHook').VideoAutomation }).__pathStudioVideo;
      await hook.decodeAll(blob); // warm-up: decoder start-up, caches
      return hook.decodeAll(blob);
    });
    const browserFps = decode.frames / decode.seconds;
    const ffmpegFps = ffmpegDecodeFps(clip1080);
    const ffmpegFps1 = ffmpegDecodeFps(clip1080, 1);
    report({ metric: 'video.decode.1080p.h264', value: Math.round(browserFps), unit: 'frames/s', target: '≥ 120 frames/s', note: `${decode.frames} frames ${decode.width}×${decode.height}; ffmpeg on the same file: ${Math.round(ffmpegFps)} frames/s (all threads), ${Math.round(ffmpegFps1)} frames/s (1 thread); shared CPU` });
    report({ metric: 'video.decode.1080p.ffmpeg', value: Math.round(ffmpegFps), unit: 'frames/s', note: `ffmpeg -f null, all threads; 1 thread: ${Math.round(ffmpegFps1)}` });

    const start = clip720.truth[0];
    const tracked = await page.evaluate(async ({ x, y }) => {
      const blob = await (await fetch('/bench-video/clip-720p.mp4')).blob();
      const hook = (globalThis as unknown as { __pathStudioVideo: import('../../src/video/benchHook').VideoAutomation }).__pathStudioVideo;
      return hook.trackThrough(blob, x, y);
    }, start);
    const realTime = tracked.frames / 30;
    report({ metric: 'video.track.720p.30s', value: Number((realTime / tracked.seconds).toFixed(2)), unit: '× real time', target: '≥ 5× real time', note: `${tracked.frames} frames in ${tracked.seconds.toFixed(1)} s wall (worker start and OpenCV.js load included); ${Math.round(tracked.workerFps)} frames/s once loaded = ${(tracked.workerFps / 30).toFixed(1)}× real time; ${tracked.unreliable} frames flagged; shared CPU` });
  } finally {
    await browser.close();
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
