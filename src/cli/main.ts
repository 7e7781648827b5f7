/**
 * Path Studio on the command line, on the studio's own readers and writers (docs/CLI.md):
 *
 *   npm run cli -- inspect PATH [--json]
 *   npm run cli -- convert PATH --to hamster|lerobot --out DIR [--calibration FILE] [--camera KEY] …
 *
 * Exit codes: 0 done; 1 the input was refused (the message is the studio's); 2 bad arguments;
 * 3 an unexpected failure (a bug: the message and stack go to stderr).
 */
import { register } from 'node:module';
import { parseArgs } from 'node:util';
import { openEpisodeSource } from '../importers/episodes/openSource';
import type { Segmentation } from '../importers/episodes/analyze';
import { ExportWriteError } from '../exporters/sink';
import type { ConvertOptions } from './convert';
import { emptyInspection, formatInspection, inspectPath, isInputError } from './inspect';
import { CliInputError, datasetFilesFromDisk } from './nodeFiles';
import type { DatasetFiles } from '../importers/episodes/source';

export const EXIT = { ok: 0, refused: 1, usage: 2, failure: 3 } as const;

const USAGE = `Usage:
  npm run cli -- inspect PATH [--json]
  npm run cli -- convert PATH --to hamster|lerobot --out DIR [--calibration FILE] [--camera KEY]
                 [--episodes 0-9,12] [--segment whole|gripper] [--epsilon 0.05] [--json] [--quiet]
                 hamster only: [--val 0.1 --seed 0]

PATH is a LeRobot dataset folder (v2.0/v2.1/v3.0, the one holding meta/), a robomimic/LIBERO .hdf5
file, or a ROS bag (rosbag2 folder or .mcap). See docs/CLI.md.`;

class UsageError extends Error {}

function parseEpisodes(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\d+)(?:\s*[-–]\s*(\d+))?$/.exec(part);
    if (!m) throw new UsageError(`--episodes “${text}”: give indices and ranges like 0-9,12.`);
    const a = Number(m[1]), b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) throw new UsageError(`--episodes: the range ${part} runs backwards.`);
    for (let i = a; i <= b; i++) out.push(i);
  }
  if (!out.length) throw new UsageError('--episodes is empty.');
  return out;
}

function parseFraction(text: string | undefined, flag: string, fallback: number, max = 1): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!Number.isFinite(v) || v < 0 || v > max) throw new UsageError(`${flag} ${text}: give a number from 0 to ${max}.`);
  return v;
}

/** Node stand-ins for the browser APIs the readers use (frames: convert only), and Vite's `?url` imports. */
async function setUpNode(frames: boolean): Promise<void> {
  register('./viteUrlHook.mjs', import.meta.url);
  if (!frames) return;
  const [{ installNodeImageApis, openVideoFileWithFfmpeg }, { setVideoFileOpener }] = await Promise.all([import('./nodeMedia'), import('../video/videoFrames')]);
  installNodeImageApis();
  setVideoFileOpener(openVideoFileWithFfmpeg);
}

/** h5wasm's Node build, loaded only for HDF5 input (its WASM takes most of a second to compile). */
async function h5wasmFor(files: DatasetFiles): Promise<typeof import('h5wasm') | undefined> {
  if (!files.paths().some((p) => /\.(hdf5|h5)$/i.test(p))) return undefined;
  return (await import('h5wasm/node')) as unknown as typeof import('h5wasm');
}

async function inspectCommand(path: string, json: boolean): Promise<number> {
  let result;
  try {
    const files = await datasetFilesFromDisk(path);
    result = await inspectPath(path, files, await h5wasmFor(files));
  } catch (e) {
    if (!(e instanceof CliInputError)) throw e;
    result = emptyInspection(path, path.split('/').filter(Boolean).pop() ?? path);
    result.problems.push(e.message);
    result.refused = true;
  }
  console.log(json ? JSON.stringify(result, null, 2) : formatInspection(result));
  return result.refused ? EXIT.refused : EXIT.ok;
}

async function convertCommand(path: string, v: Record<string, string | boolean | undefined>): Promise<number> {
  const to = v.to as string | undefined;
  if (to !== 'hamster' && to !== 'lerobot') throw new UsageError(`--to ${to ?? '(missing)'}: give --to hamster (HAMSTER/VILA SFT zip) or --to lerobot (LeRobot v3.0 folder).`);
  if (typeof v.out !== 'string') throw new UsageError(`--out DIR is required: the folder the ${to === 'hamster' ? 'zip' : 'dataset folder'} is written into.`);
  if (to === 'lerobot' && (v.val !== undefined || v.seed !== undefined)) throw new UsageError('--val and --seed split a HAMSTER zip; a LeRobot dataset is written whole (--to hamster for a split).');
  const { convertToHamster, readCalibrationFile, ImportError } = await import('./convert');
  const segment = (v.segment as string | undefined) ?? 'whole';
  if (segment !== 'whole' && segment !== 'gripper') throw new UsageError(`--segment ${segment}: give whole (one sample per episode) or gripper (a new sample after each release).`);
  const options: ConvertOptions = {
    out: v.out,
    camera: v.camera as string | undefined,
    episodes: typeof v.episodes === 'string' ? parseEpisodes(v.episodes) : undefined,
    calibration: typeof v.calibration === 'string' ? readCalibrationFile(v.calibration) : undefined,
    segmentation: { kind: segment } as Segmentation,
    epsilon: parseFraction(v.epsilon as string | undefined, '--epsilon', 0.05),
    validationFraction: parseFraction(v.val as string | undefined, '--val', 0),
    seed: v.seed === undefined ? 0 : Number(v.seed),
    onEpisode: (done, total) => { if (!v.quiet && (done % 50 === 0 || done === total)) process.stderr.write(`converted ${done}/${total} episodes\n`); },
  };
  if (!Number.isInteger(options.seed)) throw new UsageError(`--seed ${String(v.seed)}: give an integer.`);
  const files = await datasetFilesFromDisk(path);
  const source = await openEpisodeSource(files, {}, await h5wasmFor(files));
  const refusal = (e: unknown) => {
    throw e instanceof ImportError ? new CliInputError(e.message) : e;
  };
  try {
    const t0 = performance.now();
    const seconds = () => (performance.now() - t0) / 1000;
    if (to === 'lerobot') {
      const { convertToLeRobot } = await import('./convertLeRobot');
      const report = await convertToLeRobot(source, options).catch(refusal);
      const s = seconds();
      if (v.json) console.log(JSON.stringify({ ...report, seconds: +s.toFixed(2) }, null, 2));
      else {
        console.log(`${report.folder}: LeRobot v3.0, ${report.episodes} episodes, ${report.frames} frames (${report.framesWithPath} with a path), ${(report.bytes / 1e6).toFixed(1)} MB in ${s.toFixed(1)} s`);
        for (const p of [...source.problems, ...report.problems]) console.log(`  - ${p}`);
      }
      return EXIT.ok;
    }
    const report = await convertToHamster(source, options).catch(refusal);
    const s = seconds();
    if (v.json) console.log(JSON.stringify({ ...report, seconds: +s.toFixed(2) }, null, 2));
    else {
      console.log(`${report.file}: ${report.samples} samples (${report.images} images) from ${report.episodes} episodes, ${(report.bytes / 1e6).toFixed(1)} MB in ${s.toFixed(1)} s`);
      for (const p of [...source.problems, ...report.problems]) console.log(`  - ${p}`);
    }
    return EXIT.ok;
  } finally {
    source.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
        to: { type: 'string' }, out: { type: 'string' }, calibration: { type: 'string' }, camera: { type: 'string' },
        episodes: { type: 'string' }, segment: { type: 'string' }, epsilon: { type: 'string' }, val: { type: 'string' }, seed: { type: 'string' },
      },
    });
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  const [command, path, ...extra] = parsed.positionals;
  if (parsed.values.help || !command) {
    console.log(USAGE);
    return command || parsed.values.help ? EXIT.ok : EXIT.usage;
  }
  try {
    if (!path) throw new UsageError(`${command} needs a PATH.`);
    if (extra.length) throw new UsageError(`unexpected argument${extra.length > 1 ? 's' : ''}: ${extra.join(' ')} (one PATH at a time).`);
    await setUpNode(command === 'convert');
    if (command === 'inspect') return await inspectCommand(path, !!parsed.values.json);
    if (command === 'convert') return await convertCommand(path, parsed.values);
    throw new UsageError(`unknown command “${command}”: inspect or convert.`);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`${e.message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    if (e instanceof CliInputError || e instanceof ExportWriteError || isInputError(e)) {
      console.error(e.message);
      return EXIT.refused;
    }
    console.error(e instanceof Error ? e.stack ?? e.message : String(e));
    return EXIT.failure;
  }
}

process.exitCode = await main(process.argv.slice(2));
