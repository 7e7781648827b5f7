/**
 * The project backup as one ZIP (entries from storage/backup.ts, stored uncompressed by
 * zip/zipWriter and streamed to the sink), and the reader side used by restore.
 */
import { backupEntries, BackupError, type BackupArchive, type BackupProgress } from '../../storage/backup';
import { pumpToSink, type ExportSink } from '../sink';
import { ZipFormatError, ZipReader } from '../../formats/zip/zipReader';
import { makeStoredZip } from '../../formats/zip/zipWriter';

export interface BackupWriteOptions {
  signal?: AbortSignal;
  onProgress?: (p: BackupProgress & { bytes: number }) => void;
}

export function backupFileName(now = new Date()): string {
  return `path-studio-backup-${now.toISOString().slice(0, 19).replace(/[:T]/g, '-')}.zip`;
}

/** Streams the whole database into `sink` as a backup ZIP; returns the bytes written. */
export async function writeBackupZip(sink: ExportSink, { signal, onProgress }: BackupWriteOptions = {}): Promise<number> {
  let last: BackupProgress = { table: '', records: 0, totalRecords: 0 };
  let bytes = 0;
  async function* files() {
    const now = new Date();
    for await (const e of backupEntries((p) => { last = p; onProgress?.({ ...p, bytes }); }, signal)) {
      yield { name: e.path, data: e.data, lastModified: now };
    }
  }
  return pumpToSink(makeStoredZip(files()), sink, {
    signal,
    onBytes: (n) => {
      bytes = n;
      onProgress?.({ ...last, bytes });
    },
  });
}

/** Opens a backup file for restore; a file that is not a complete ZIP is refused here. */
export async function openBackupArchive(file: Blob, label = 'The backup'): Promise<BackupArchive> {
  let zip: ZipReader;
  try {
    zip = await ZipReader.open(file, label);
  } catch (e) {
    if (e instanceof ZipFormatError) throw new BackupError(`${e.message} Nothing was restored.`, e.entry);
    throw e;
  }
  return {
    names: () => zip.entries.map((e) => e.name),
    size: (name) => zip.get(name)?.size,
    blob: (name, type) => zip.blob(name, type),
  };
}
