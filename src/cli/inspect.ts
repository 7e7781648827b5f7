/**
 * `inspect`: what the studio's importer sees in a dataset, as one JSON-able object. LeRobot and
 * HDF5 go through the importer's own `inspectDataset` (src/importers/episodes/openSource), bags
 * through `inspectBag` (src/formats/rosbag2); both are mapped onto one shape (docs/CLI.md).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BagError } from '../formats/mcap/bag';
import type { EeChoice } from '../formats/rosbag2/robot';
import { formatIndexRanges, type ColumnRole } from '../importers/episodes/inspection';
import { inspectDataset } from '../importers/episodes/openSource';
import type { DatasetFiles } from '../importers/episodes/source';
import { DatasetError } from '../importers/lerobot/dataset';
import { VideoImportError } from '../video/videoErrors';

export interface CliInspection {
  path: string;
  name: string;
  /** `lerobot`, `robomimic-hdf5`, `rosbag2`, `mcap`; null when the input was refused before the format was known. */
  format: string | null;
  version: string | null;
  fps: number | null;
  episodes: { listed: number; present: number; absent: number[] };
  columns: { key: string; role: ColumnRole; names: string[]; dtype?: string; shape?: number[] }[];
  cameras: { key: string; codec: string | null; width: number; height: number; found: string[]; missing: string[]; episodesWithout: number[] }[];
  /** Bags: every topic with its type and message count; empty for other formats. */
  topics: { name: string; type: string; count: number }[];
  problems: string[];
  /** True when the importer refuses the input (the refusal is the last problem). */
  refused: boolean;
}

/** Errors a reader raises for bad input: their message is what the studio shows. */
export function isInputError(e: unknown): e is Error {
  return e instanceof DatasetError || e instanceof BagError || e instanceof VideoImportError;
}

/** sql.js's WASM as bytes (Node has no fetch for file paths), for .db3 bags. */
export function sqlJsWasm(): Uint8Array {
  const require = createRequire(import.meta.url);
  return new Uint8Array(readFileSync(require.resolve('@foxglove/sql.js/dist/sql-wasm.wasm')));
}

export function emptyInspection(path: string, name: string): CliInspection {
  return { path, name, format: null, version: null, fps: null, episodes: { listed: 0, present: 0, absent: [] }, columns: [], cameras: [], topics: [], problems: [], refused: false };
}

const eeKey = (c: EeChoice) => (c.kind === 'tf' ? `/tf ${c.frame}` : c.kind === 'none' ? '' : c.topic);

async function inspectBagFiles(files: DatasetFiles, out: CliInspection): Promise<void> {
  // Loaded for bags only (MCAP, CDR and zstd decoders): LeRobot inspection starts faster.
  const { inspectBag } = await import('../formats/rosbag2/inspect');
  const bag = await inspectBag(files, { wasmBinary: sqlJsWasm() });
  out.format = bag.format;
  out.version = bag.profile ? `${bag.version} (profile ${bag.profile})` : bag.version;
  out.topics = bag.topics;
  const frames = bag.episodes.reduce((n, e) => n + e.frames, 0);
  const seconds = bag.episodes.reduce((s, e) => s + Number(BigInt(e.endNs) - BigInt(e.startNs)) / 1e9, 0);
  out.fps = frames > bag.episodes.length && seconds > 0 ? Math.round(((frames - bag.episodes.length) / seconds) * 100) / 100 : null;
  out.episodes = { listed: bag.episodes.length, present: bag.episodes.length, absent: [] };
  const ee = bag.eeChoices.find((c) => c.kind !== 'none');
  if (ee) out.columns.push({ key: eeKey(ee), role: 'ee', names: ['ee_x', 'ee_y', 'ee_z'] });
  const g = bag.gripperChoices[0];
  if (g) out.columns.push({ key: g.kind === 'joint' ? `${g.topic} ${g.name}` : g.topic, role: 'gripper', names: ['gripper'] });
  for (const c of bag.cameras) out.columns.push({ key: c.topic, role: 'camera', names: [], dtype: c.type, shape: [c.height, c.width] });
  out.cameras = bag.cameras.map((c) => ({ key: c.topic, codec: /Compressed/.test(c.type) ? 'jpeg/png' : 'raw', width: c.width, height: c.height, found: [c.topic], missing: [], episodesWithout: [] }));
  out.problems = bag.problems;
  // The importer refuses a bag without a camera: there is nothing to make samples from.
  out.refused = bag.cameras.length === 0;
}

/** Inspects `files` (read from `path`); never throws for bad input: the refusal goes into `problems`. */
export async function inspectPath(path: string, files: DatasetFiles, h5?: typeof import('h5wasm')): Promise<CliInspection> {
  const out = emptyInspection(path, files.name);
  try {
    if (!files.get('meta/info.json') && files.paths().some((p) => /(^|\/)metadata\.yaml$|\.(mcap|db3)$/i.test(p))) {
      await inspectBagFiles(files, out);
      return out;
    }
    const found = await inspectDataset(files, h5);
    out.format = found.format;
    out.version = found.version;
    out.fps = found.fps;
    out.episodes = found.episodes;
    out.columns = found.columns.map((c) => ({ key: c.key, role: c.role, names: c.names, dtype: c.dtype, shape: c.shape }));
    out.cameras = found.cameras.map((c) => ({ key: c.key, codec: c.codec, width: c.width, height: c.height, found: c.found, missing: c.missing, episodesWithout: c.episodesWithout }));
    out.problems = found.problems;
  } catch (e) {
    if (!isInputError(e)) throw e;
    out.problems.push(e.message);
    out.refused = true;
  }
  return out;
}

/** The inspection as a person reads it in a terminal. */
export function formatInspection(r: CliInspection): string {
  const lines: string[] = [];
  lines.push(`${r.name}: ${r.format ?? 'not readable'}${r.version ? ` ${r.version}` : ''}${r.fps ? `, ${r.fps} fps` : ''}`);
  if (r.format) {
    const { listed, present, absent } = r.episodes;
    lines.push(`episodes: ${present} on disk of ${listed} listed${absent.length ? ` (absent: ${formatIndexRanges(absent)})` : ''}`);
  }
  if (r.columns.length) {
    lines.push('columns:');
    for (const c of r.columns) {
      const names = c.names.length > 6 ? `${c.names.slice(0, 6).join(', ')}, … (${c.names.length})` : c.names.join(', ');
      lines.push(`  ${c.key}  [${c.role}]${names ? `  ${names}` : ''}`);
    }
  }
  if (r.cameras.length) {
    lines.push('cameras:');
    for (const c of r.cameras) {
      lines.push(`  ${c.key}  ${c.width}×${c.height}, codec ${c.codec ?? 'unknown (no file present)'}, ${c.found.length} found, ${c.missing.length} missing`);
      for (const m of c.missing.slice(0, 5)) lines.push(`    missing: ${m}`);
      if (c.missing.length > 5) lines.push(`    … and ${c.missing.length - 5} more`);
    }
  }
  if (r.topics.length) {
    lines.push('topics:');
    for (const t of r.topics) lines.push(`  ${t.name}  ${t.type}  ${t.count}`);
  }
  if (r.problems.length) {
    lines.push(r.refused ? 'refused:' : 'problems:');
    for (const p of r.problems) lines.push(`  - ${p}`);
  }
  return lines.join('\n');
}
