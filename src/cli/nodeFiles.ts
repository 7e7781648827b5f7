/**
 * A path on disk as the studio's `DatasetFiles` (what a dropped folder or file is in the browser):
 * every file under a folder by its '/'-separated path, each one a lazy `Blob` from `fs.openAsBlob`
 * (nothing is read until a reader slices it, so a 50 GB dataset costs one stat per file).
 */
import { openAsBlob, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { DatasetFiles } from '../importers/episodes/source';

/** Where each Blob handed out lives on disk (ffmpeg reads the file itself). */
const onDisk = new WeakMap<Blob, string>();

export function diskPathOf(blob: Blob): string | undefined {
  return onDisk.get(blob);
}

export class CliInputError extends Error {}

function walk(root: string, rel: string, out: string[]): void {
  for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue; // .git, .cache, editors' files: never part of a dataset
    const p = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) walk(root, p, out);
    else if (entry.isFile()) out.push(p);
  }
}

/** The folder (or single file) at `path`; throws CliInputError when there is nothing there. */
export async function datasetFilesFromDisk(path: string): Promise<DatasetFiles> {
  const abs = resolve(path);
  let st;
  try {
    st = statSync(abs);
  } catch {
    throw new CliInputError(`“${path}” does not exist. Give the dataset's root folder (the one holding meta/), an .hdf5 file, or a ROS bag folder or .mcap file.`);
  }
  const root = st.isDirectory() ? abs : resolve(abs, '..');
  const paths: string[] = [];
  if (st.isDirectory()) walk(abs, '', paths);
  else paths.push(basename(abs));
  if (!paths.length) throw new CliInputError(`“${path}” is an empty folder.`);
  const blobs = new Map<string, Blob>();
  await Promise.all(paths.map(async (p) => {
    const file = join(root, p);
    const blob = await openAsBlob(file);
    onDisk.set(blob, file);
    blobs.set(p, blob);
  }));
  paths.sort();
  return { name: basename(abs), get: (p) => blobs.get(p), paths: () => paths };
}
