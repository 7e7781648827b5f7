/**
 * The headless CLI (src/cli, docs/CLI.md): `npx tsx bench/node/cli.bench.ts`.
 * - `inspect --json` of a 1,000-episode LeRobot v3.0 dataset's metadata (written by the simulator's
 *   LeRobot writer, two 32² frames per episode), as a whole process and the inspection alone;
 *   and where that time goes: the same process started as `node --import tsx` (no tsx parent
 *   process, no npx) and the start-up alone (`node --import tsx` on an empty module);
 * - `convert --to hamster` and `convert --to lerobot` of CLI_BENCH_EPISODES (default 200)
 *   simulator episodes, generated here by the simulator's generator (or CLI_BENCH_DATASET, an
 *   existing dataset folder), in episodes/s.
 * Each runs the command as a separate process (`npx tsx src/cli/main.ts`), as a user would. The
 * CPU model (`lscpu` "Model name"), core count and load average are printed with the figures.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { report } from '../report';
import { generate } from '../../sim/src/generate';
import { ACTION_NAMES, STATE_NAMES } from '../../sim/src/episode';
import { LeRobotDatasetWriter } from '../../sim/src/lerobot/dataset';
import { datasetFilesFromDisk } from '../../src/cli/nodeFiles';
import { inspectPath } from '../../src/cli/inspect';

const EPISODES = Number(process.env.CLI_BENCH_EPISODES ?? 200);

const NPX_TSX = ['npx', 'tsx'];
const NODE_TSX = ['node', '--import', 'tsx'];

function cli(args: string[], launcher = NPX_TSX): { seconds: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(launcher[0], [...launcher.slice(1), 'src/cli/main.ts', ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`cli ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { seconds, stdout: r.stdout };
}

function timed(cmd: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} exited ${r.status}: ${r.stderr}`);
  return (performance.now() - t0) / 1000;
}

const best = (runs: number[]) => Math.min(...runs);
const listed = (runs: number[]) => runs.map((s) => s.toFixed(2)).join(', ');

/** The machine, printed with the figures: lscpu's model name (os.cpus() where lscpu is missing), cores, load. */
function machine(): string {
  const lscpu = spawnSync('lscpu', [], { encoding: 'utf8' }).stdout ?? '';
  const model = /^Model name:\s*(.+)$/m.exec(lscpu)?.[1].trim() ?? cpus()[0]?.model ?? 'unknown CPU';
  return `${model}, ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`;
}

async function thousandEpisodeMetadata(root: string): Promise<void> {
  const w = new LeRobotDatasetWriter(root, {
    fps: 10, width: 32, height: 32, robotType: 'bench', stateNames: STATE_NAMES, actionNames: ACTION_NAMES,
    intrinsics: [40, 0, 16, 0, 40, 16, 0, 0, 1],
  });
  const rgb = new Uint8Array(32 * 32 * 3).fill(90);
  const worldToCamera = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 1], [0, 0, 0, 1]];
  for (let e = 0; e < 1000; e++) {
    w.beginEpisode();
    for (let i = 0; i < 2; i++) await w.addFrame(rgb, { state: STATE_NAMES.map((_, k) => e * 0.001 + k + i), action: ACTION_NAMES.map(() => 0), success: i === 1 });
    w.endEpisode({ task: `task ${e % 7}`, worldToCamera, info: { seed: e } });
  }
  await w.finish();
}

async function inspectFigures(tmp: string): Promise<void> {
  const root = join(tmp, 'v3-1000');
  await thousandEpisodeMetadata(root);
  const runs: number[] = [], direct: number[] = [], startup: number[] = [];
  const empty = join(tmp, 'empty.mts');
  writeFileSync(empty, 'export {};\n');
  for (let i = 0; i < 3; i++) {
    const { seconds, stdout } = cli(['inspect', root, '--json']);
    const r = JSON.parse(stdout) as { episodes: { listed: number; present: number } };
    if (r.episodes.listed !== 1000 || r.episodes.present !== 1000) throw new Error(`inspect saw ${r.episodes.present}/${r.episodes.listed} episodes`);
    runs.push(seconds);
    direct.push(cli(['inspect', root, '--json'], NODE_TSX).seconds);
    startup.push(timed([...NODE_TSX, empty]));
  }
  console.log(`machine: ${machine()}`);
  report({ metric: 'cli.inspect.v3_1000ep.process', value: +best(runs).toFixed(2), unit: 's', target: '< 2 s', note: `npx tsx src/cli/main.ts inspect --json, whole process incl. npx and tsx start; best of 3 (${listed(runs)}); ${machine()}` });
  report({ metric: 'cli.inspect.v3_1000ep.process_node_import_tsx', value: +best(direct).toFixed(2), unit: 's', note: `node --import tsx src/cli/main.ts inspect --json: no npx, no tsx parent process; best of 3 (${listed(direct)})` });
  report({ metric: 'cli.startup.node_import_tsx', value: +best(startup).toFixed(2), unit: 's', note: `node --import tsx on an empty module: Node + tsx's loader, before any project module; best of 3 (${listed(startup)})` });
  const files = await datasetFilesFromDisk(root);
  const t0 = performance.now();
  await inspectPath(root, files);
  report({ metric: 'cli.inspect.v3_1000ep.inspection', value: +((performance.now() - t0) / 1000).toFixed(3), unit: 's', note: 'inspectPath alone (meta/ parquet + video sniff), in process' });
}

async function convertFigures(tmp: string): Promise<void> {
  let dataset = process.env.CLI_BENCH_DATASET;
  if (!dataset) {
    dataset = join(tmp, 'sim');
    const g = await generate({ episodes: EPISODES, seed: 0, tasks: ['pick_place', 'press_button', 'knock_down'], out: dataset });
    console.log(`generated ${g.episodes} episodes (${g.frames} frames) in ${g.seconds.toFixed(0)} s`);
  }
  const out = join(tmp, 'out');
  const { seconds, stdout } = cli(['convert', dataset, '--to', 'hamster', '--out', out, '--json', '--quiet']);
  const r = JSON.parse(stdout) as { episodes: number; samples: number; bytes: number; seconds: number };
  report({ metric: `cli.convert.hamster.sim${r.episodes}`, value: +(r.episodes / seconds).toFixed(1), unit: 'episodes/s', target: '≥ 10', note: `${r.episodes} episodes → ${r.samples} samples, ${(r.bytes / 1e6).toFixed(1)} MB zip in ${seconds.toFixed(1)} s (whole process; conversion alone ${r.seconds} s = ${(r.episodes / r.seconds).toFixed(1)} episodes/s); ${machine()}` });
  const lr = cli(['convert', dataset, '--to', 'lerobot', '--out', out, '--json', '--quiet']);
  const l = JSON.parse(lr.stdout) as { episodes: number; frames: number; bytes: number; seconds: number };
  report({ metric: `cli.convert.lerobot.sim${l.episodes}`, value: +(l.episodes / lr.seconds).toFixed(1), unit: 'episodes/s', note: `${l.episodes} episodes, ${l.frames} frames (${(l.frames / lr.seconds).toFixed(0)} frames/s: decoded, overlay drawn, two H.264 videos encoded by ffmpeg) → ${(l.bytes / 1e6).toFixed(1)} MB LeRobot v3.0 folder in ${lr.seconds.toFixed(1)} s (whole process; conversion alone ${l.seconds} s = ${(l.episodes / l.seconds).toFixed(1)} episodes/s); ${machine()}` });
}

async function main(): Promise<void> {
  console.log(`machine: ${machine()}`);
  const tmp = mkdtempSync(join(tmpdir(), 'cli-bench-'));
  try {
    await inspectFigures(tmp);
    await convertFigures(tmp);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
