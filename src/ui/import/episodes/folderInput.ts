/** Files of a picked (`<input webkitdirectory>`) or dropped folder, with paths relative to it. */

export interface FolderEntry {
  path: string;
  file: File;
}

/** From an `<input type="file" webkitdirectory>`: every File carries its webkitRelativePath. */
export function entriesFromInput(files: FileList | File[]): FolderEntry[] {
  return Array.from(files).map((f) => ({ path: f.webkitRelativePath || f.name, file: f }));
}

function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  // readEntries returns batches (100 in Chromium) until it returns an empty one.
  return new Promise((resolve, reject) => {
    const out: FileSystemEntry[] = [];
    const next = () => reader.readEntries((batch) => {
      if (!batch.length) resolve(out);
      else { out.push(...batch); next(); }
    }, reject);
    next();
  });
}

async function walk(entry: FileSystemEntry, prefix: string, out: FolderEntry[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ path: prefix + entry.name, file });
  } else if (entry.isDirectory) {
    for (const child of await readAll((entry as FileSystemDirectoryEntry).createReader())) await walk(child, `${prefix}${entry.name}/`, out);
  }
}

/** From a drop: folders are walked recursively (webkitGetAsEntry); plain files keep their names. */
export async function entriesFromDrop(dt: DataTransfer): Promise<FolderEntry[]> {
  const roots = Array.from(dt.items).map((it) => (it.kind === 'file' ? it.webkitGetAsEntry?.() : null));
  const out: FolderEntry[] = [];
  if (roots.some((r) => r)) {
    for (const r of roots) if (r) await walk(r, '', out);
    return out;
  }
  return Array.from(dt.files).map((f) => ({ path: f.name, file: f }));
}
