/**
 * Episode player benchmark in headless Chromium against the production build: a 2,000-step live
 * recording (640×480 JPEG per step, a calibrated camera, the end effector circling in front of it)
 * is seeded into IndexedDB, opened in the player with its plots and 3D view on, and scrubbed from
 * end to end and back for a few seconds, one slider move per animation frame as a dragging hand
 * makes them. `player.scrub.fps` counts the camera frames actually drawn per second meanwhile.
 *
 * PLAYER_BENCH_PROFILE=1 also records a CPU profile of the page (CDP Profiler) while scrubbing and
 * prints where its time went.
 */
import { cpus } from 'node:os';
import { report } from '../report';
import { baseUrl, launchChromium, newBenchContext } from './browser';

const STEPS = 2000;
const FPS = 30;
const SCRUB_MS = 5000;
const WIDTH = 640, HEIGHT = 480;

type Vec = [number, number, number];
const sub = (a: Vec, b: Vec): Vec => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const cross = (a: Vec, b: Vec): Vec => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const unit = (a: Vec): Vec => { const n = Math.hypot(...a); return [a[0] / n, a[1] / n, a[2] / n]; };

/** Base → OpenCV optical frame of a camera at `eye` looking at `target` (z up), row-major 4×4 as nested rows. */
function lookAt(eye: Vec, target: Vec): number[][] {
  const f = unit(sub(target, eye));
  const right = unit(cross(f, [0, 0, 1]));
  const down = cross(f, right);
  const t = [right, down, f].map((r) => -(r[0] * eye[0] + r[1] * eye[1] + r[2] * eye[2]));
  return [[...right, t[0]], [...down, t[1]], [...f, t[2]], [0, 0, 0, 1]];
}

/** The end effector at step i: two slow loops in front of the robot, gripper closing half-way. */
function endEffector(i: number): Vec {
  const a = (2 * Math.PI * 2 * i) / STEPS;
  return [0.35 + 0.1 * Math.sin(a), 0.15 * Math.cos(a), 0.1 + 0.05 * Math.sin(2 * a)];
}

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }

/** Self time per function and per script file (a chunk: uPlot, the overlay, the player…), largest first. */
function selfTime(profile: { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[] }, n = 20): string[] {
  const byNode = new Map<number, number>();
  const deltas = profile.timeDeltas ?? [];
  (profile.samples ?? []).forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (deltas[i + 1] ?? 0)));
  const byFn = new Map<string, number>(), byFile = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const us = byNode.get(node.id) ?? 0;
    total += us;
    const f = node.callFrame;
    const file = f.url ? f.url.split('/').pop()!.replace(/-[\w-]{8}\.js$/, '.js') : f.functionName || '(native)';
    byFile.set(file, (byFile.get(file) ?? 0) + us);
    const key = `${f.functionName || '(anonymous)'} ${f.url ? f.url.split('/').pop() + ':' + (f.lineNumber + 1) : ''}`.trim();
    byFn.set(key, (byFn.get(key) ?? 0) + us);
  }
  const lines = (m: Map<string, number>, k: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k)
    .map(([key, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${key}`);
  return ['by function:', ...lines(byFn, n), 'by script file (native calls made from JS count as JS):', ...lines(byFile, 10)];
}

async function main() {
  const browser = await launchChromium();
  try {
    const context = await newBenchContext(browser);
    const page = await context.newPage();
    // The studio opens (and so creates) its database before the seed writes into it.
    await page.goto(`${baseUrl}/library`);
    await page.waitForFunction(async () => (await indexedDB.databases()).some((d) => d.name === 'path-studio'));
    const camera = { width: WIDTH, height: HEIGHT, K: [[520, 0, WIDTH / 2], [0, 520, HEIGHT / 2], [0, 0, 1]], worldToCamera: lookAt([0.95, -0.1, 0.45], [0.35, 0, 0.08]) };
    const states = Array.from({ length: STEPS }, (_, i) => [...endEffector(i), i >= STEPS / 2 ? 1 : 0]);
    const seedStart = Date.now();
    const episodeId = await page.evaluate(async ({ states, camera, fps, width, height }) => {
      const open = indexedDB.open('path-studio');
      const db: IDBDatabase = await new Promise((res, rej) => { open.onsuccess = () => res(open.result); open.onerror = () => rej(open.error); });
      // A camera-like frame per step: a shaded backdrop, a moving blob and the step number (every JPEG differs).
      const canvas = new OffscreenCanvas(width, height);
      const g = canvas.getContext('2d')!;
      const frames: Blob[] = [];
      for (let i = 0; i < states.length; i++) {
        const grad = g.createLinearGradient(0, 0, width, height);
        grad.addColorStop(0, `hsl(${(i / 4) % 360}, 35%, 55%)`);
        grad.addColorStop(1, '#3a3f4b');
        g.fillStyle = grad;
        g.fillRect(0, 0, width, height);
        g.fillStyle = '#f5b84d';
        g.beginPath();
        g.arc(width / 2 + 200 * Math.sin(i / 50), height / 2 + 120 * Math.cos(i / 70), 30, 0, Math.PI * 2);
        g.fill();
        g.fillStyle = '#fff';
        g.font = '32px sans-serif';
        g.fillText(`step ${i}`, 20, 50);
        frames.push(await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 }));
      }
      const datasetId = 'bench-player', id = 'bench-player-episode', now = Date.now();
      await new Promise<void>((res, rej) => {
        const tx = db.transaction(['datasets', 'assets', 'episodes'], 'readwrite');
        tx.objectStore('datasets').put({ id: datasetId, name: 'player bench', createdAt: now, updatedAt: now });
        frames.forEach((blob, i) => tx.objectStore('assets').put({ id: `bench-frame-${i}`, blob, mime: 'image/jpeg', size: blob.size, width, height, createdAt: now }));
        const n = states.length;
        tx.objectStore('episodes').put({
          id, datasetId, task: 'circle twice in front of the camera', createdAt: now,
          data: {
            format: 'path-studio/live-episode@1', status: 'complete', mode: 'model', instruction: 'circle twice in front of the camera',
            robot: { name: 'bench', url: 'ws://localhost:0' }, fps, stateNames: ['ee.x', 'ee.y', 'ee.z', 'gripper'], actionNames: ['ee.dx', 'ee.dy', 'ee.dz', 'gripper'], camera,
            frames: frames.map((_, i) => `bench-frame-${i}`), states,
            actions: states.map((s, i) => [0, 1, 2].map((j) => (states[Math.min(n - 1, i + 1)][j] - s[j]) * fps).concat(s[3])),
            timestamps: states.map((_, i) => i / fps), sources: states.map(() => 'policy'), latencyMs: states.map(() => 20),
            paths: [], interventions: [{ start: 600, end: 800 }], success: true, outcomeBy: 'operator', startedAt: now, endedAt: now + (n / fps) * 1000, endReason: 'stopped',
          },
        });
        tx.oncomplete = () => res();
        tx.onerror = () => rej(tx.error);
      });
      db.close();
      return id;
    }, { states, camera, fps: FPS, width: WIDTH, height: HEIGHT });
    const seedSeconds = (Date.now() - seedStart) / 1000;

    const openStart = Date.now();
    await page.goto(`${baseUrl}/player/${episodeId}`);
    await page.getByTestId('player-canvas').waitFor({ timeout: 120_000 });
    const openSeconds = (Date.now() - openStart) / 1000;
    // Plots and the 3D view are up before the scrub starts.
    for (const id of ['plot-state', 'plot-action', 'plot-gripper']) await page.getByTestId(id).locator('canvas').first().waitFor();
    await page.locator('[data-testid=player-3d][data-marker-frame]').waitFor({ timeout: 60_000 });
    const software = await page.evaluate(() => {
      const gl = document.createElement('canvas').getContext('webgl2');
      const info = gl?.getExtension('WEBGL_debug_renderer_info');
      return gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : 'no WebGL';
    });

    const cdp = await context.newCDPSession(page);
    // The main thread's busy time by kind (Chromium's counters, seconds): where a frame's time goes.
    await cdp.send('Performance.enable');
    const busy = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.filter((m) => /Duration$/.test(m.name)).map((m) => [m.name, m.value]));
    const busyBefore = await busy();
    const profiling = !!process.env.PLAYER_BENCH_PROFILE;
    if (profiling) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    }
    // Scrub: one slider move per animation frame, end to end and back, for SCRUB_MS. A frame is
    // shown when an animation frame finds the canvas on a step it did not show at the last one.
    const result = await page.evaluate(async (ms) => {
      const slider = document.querySelector('[data-testid=player-scrubber]') as HTMLInputElement;
      const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      const view = document.querySelector('[data-testid=player-3d]') as HTMLElement;
      const imageStep = () => document.querySelector('[data-testid=player-canvas]')?.getAttribute('data-image-step');
      const last = Number(slider.max);
      let shown = 0, markerMoves = 0, animationFrames = 0, longest = 0;
      let image = imageStep(), marker = view.dataset.markerFrame;
      const started = performance.now();
      let previous = started;
      await new Promise<void>((done) => {
        const step = (now: number) => {
          animationFrames++;
          longest = Math.max(longest, now - previous);
          previous = now;
          if (imageStep() !== image) { shown++; image = imageStep(); }
          if (view.dataset.markerFrame !== marker) { markerMoves++; marker = view.dataset.markerFrame; }
          // Twice across (there and back) in the time given.
          const phase = (((now - started) / ms) * 2) % 2;
          setValue.call(slider, String(Math.round((phase < 1 ? phase : 2 - phase) * last)));
          slider.dispatchEvent(new Event('input', { bubbles: true }));
          if (now - started < ms) requestAnimationFrame(step);
          else done();
        };
        requestAnimationFrame(step);
      });
      const seconds = (performance.now() - started) / 1000;
      return { seconds, shown: shown / seconds, animationFrames: animationFrames / seconds, markerMoves: markerMoves / seconds, longest };
    }, SCRUB_MS);
    const busyAfter = await busy();
    const msPerShown = (name: string) => ((busyAfter[name] - busyBefore[name]) * 1000) / (result.shown * result.seconds);
    const mainThread = `main thread per frame shown: ${msPerShown('TaskDuration').toFixed(1)} ms busy (script ${msPerShown('ScriptDuration').toFixed(1)}, layout ${msPerShown('LayoutDuration').toFixed(1)}, style ${msPerShown('RecalcStyleDuration').toFixed(1)})`;
    if (profiling) {
      const { profile } = await cdp.send('Profiler.stop');
      console.log(`page CPU profile of the scrub (self time):\n${selfTime(profile as never).join('\n')}`);
    }
    report({
      metric: 'player.scrub.fps', value: +result.shown.toFixed(1), unit: 'frames/s', target: '≥ 30',
      note: `${STEPS}-step live recording (${WIDTH}×${HEIGHT} JPEG per step), plots + 3D view on (${software}); ${result.animationFrames.toFixed(0)} animation frames/s, 3D marker moved ${result.markerMoves.toFixed(0)}/s, longest frame ${result.longest.toFixed(0)} ms; ${mainThread}; opened in ${openSeconds.toFixed(1)} s (seeded in ${seedSeconds.toFixed(0)} s); ${cpus().length} cores, ${cpus()[0]?.model ?? ''}`,
    });
  } finally {
    await browser.close();
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
