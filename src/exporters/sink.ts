/**
 * Where an export's bytes go. Two sinks:
 * - `fileSink`: the File System Access API (`showSaveFilePicker`) writes straight to disk. Chromium
 *   writes into a hidden swap file and only moves it into place on `close()`, so an aborted export
 *   never leaves a file that looks complete.
 * - `downloadSink`: where that API is missing (Firefox, Safari), chunks are gathered as Blobs —
 *   Chromium keeps large Blob data out of the JS heap and pages it to disk — and handed to the
 *   browser's download when the export finishes. Nothing is downloaded if it is cancelled.
 *
 * `pumpToSink` drains a byte stream into a sink with progress and cancel, and turns write
 * failures (disk full, permission revoked) into one `ExportWriteError` with a message to show.
 */
import { errorMessage } from '../core/errorMessage';

export interface ExportSink {
  /** Human name of the destination, for messages. */
  readonly name: string;
  /**
   * Appends a piece of the file. A Blob, so that stored data (images kept in IndexedDB) goes to
   * the file without passing through the page: the browser copies it on its side.
   */
  write(chunk: Blob): Promise<void>;
  /** Commits the file. */
  close(): Promise<void>;
  /** Discards what was written. Never throws. */
  abort(): Promise<void>;
}

export class ExportWriteError extends Error {
  constructor(message: string, readonly cause?: unknown) {
    super(message);
    this.name = 'ExportWriteError';
  }
}

export class ExportCancelledError extends Error {
  constructor() {
    super('Export cancelled; no file was kept.');
    this.name = 'ExportCancelledError';
  }
}

const errName = (e: unknown) => (typeof e === 'object' && e !== null && 'name' in e ? String((e as { name: unknown }).name) : '');

/** A message a person can act on, for a failed write to `destination`. */
export function describeWriteError(e: unknown, destination: string): ExportWriteError {
  if (e instanceof ExportWriteError) return e;
  const name = errName(e);
  const detail = errorMessage(e);
  if (name === 'QuotaExceededError')
    return new ExportWriteError(`The disk is full: writing "${destination}" stopped and the partial file was discarded. Free some space (or pick another drive) and export again.`, e);
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return new ExportWriteError(`Path Studio is no longer allowed to write "${destination}" (permission was denied or revoked). Export again and allow access, or pick another folder.`, e);
  if (name === 'NotFoundError' || name === 'InvalidStateError')
    return new ExportWriteError(`"${destination}" was moved or deleted while it was being written. Export again.`, e);
  return new ExportWriteError(`Writing "${destination}" failed (${name || 'error'}: ${detail}). The partial file was discarded.`, e);
}

interface SaveFilePickerOptions {
  suggestedName?: string;
  types?: { description: string; accept: Record<string, string[]> }[];
}
type SavePicker = (o: SaveFilePickerOptions) => Promise<FileSystemFileHandle>;

/** True where the browser can write straight to a file the user picks. */
export function canWriteToDisk(): boolean {
  return typeof (globalThis as { showSaveFilePicker?: unknown }).showSaveFilePicker === 'function';
}

/**
 * Asks the user where to save and opens the file for writing. Returns null when the user closes
 * the picker. Must be called from a user gesture (a click).
 */
export async function fileSink(suggestedName: string, mime: string, extension: string): Promise<ExportSink | null> {
  const picker = (globalThis as { showSaveFilePicker?: SavePicker }).showSaveFilePicker!;
  let handle: FileSystemFileHandle;
  try {
    handle = await picker({ suggestedName, types: [{ description: extension.toUpperCase() + ' file', accept: { [mime]: ['.' + extension] } }] });
  } catch (e) {
    if (errName(e) === 'AbortError') return null;
    throw describeWriteError(e, suggestedName);
  }
  let writable: FileSystemWritableFileStream;
  try {
    writable = await handle.createWritable();
  } catch (e) {
    throw describeWriteError(e, handle.name);
  }
  return {
    name: handle.name,
    write: (chunk) => writable.write(chunk),
    close: () => writable.close(),
    abort: async () => {
      await writable.abort().catch(() => undefined);
      // The picker created an empty file; remove it where the browser allows.
      await (handle as { remove?: () => Promise<void> }).remove?.().catch(() => undefined);
    },
  };
}

/** Gathers the pieces (Blobs: their bytes stay out of the JS heap) and starts a download when closed. */
export function downloadSink(fileName: string, mime: string, deliver = triggerDownload): ExportSink {
  const parts: Blob[] = [];
  return {
    name: fileName,
    write: async (chunk) => void parts.push(chunk),
    close: async () => {
      deliver(new Blob(parts, { type: mime }), fileName);
      parts.length = 0;
    },
    abort: async () => {
      parts.length = 0;
    },
  };
}

function triggerDownload(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has taken its own reference by now; give it a minute before releasing.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Opens the best sink this browser offers; null when the user closed the picker. */
export async function openSink(fileName: string, mime: string, extension: string): Promise<ExportSink | null> {
  return canWriteToDisk() ? fileSink(fileName, mime, extension) : downloadSink(fileName, mime);
}

/** Bytes gathered per write to the sink. */
const WRITE_BLOCK = 4 << 20;

export interface PumpOptions {
  signal?: AbortSignal;
  onBytes?: (written: number) => void;
}

/**
 * Drains `stream` into `sink` and commits it. On cancel or any failure the sink is aborted (no
 * complete-looking file is left) and the stream is cancelled, then the error is rethrown:
 * `ExportCancelledError`, `ExportWriteError` for the sink's own failures, or the producer's error.
 */
export async function pumpToSink(stream: ReadableStream<Uint8Array | Blob>, sink: ExportSink, { signal, onBytes }: PumpOptions = {}): Promise<number> {
  const reader = stream.getReader();
  let written = 0;
  // Zip streams arrive in small pieces (headers, descriptors) between large ones; each write to a
  // file is a round trip to the browser process, so pieces are gathered into writes of about
  // WRITE_BLOCK. Bytes are copied into one block, sealed into a Blob (which copies them, so the
  // block is free again at once); Blobs join as they are. One write is in flight while the next
  // is gathered.
  const block = new Uint8Array(WRITE_BLOCK);
  let filled = 0;
  let parts: Blob[] = [];
  let gathered = 0;
  let inflight: Promise<void> | null = null;
  let failure: unknown = null;
  const settle = async () => {
    if (inflight) await inflight;
    inflight = null;
    if (failure) throw describeWriteError(failure, sink.name);
  };
  const seal = () => {
    if (!filled) return;
    parts.push(new Blob([block.subarray(0, filled)]));
    filled = 0;
  };
  const flush = async () => {
    seal();
    if (!parts.length) return;
    await settle();
    const piece = parts.length === 1 ? parts[0] : new Blob(parts);
    parts = [];
    gathered = 0;
    inflight = sink.write(piece).then(
      () => { written += piece.size; onBytes?.(written); },
      (e: unknown) => { failure = e; },
    );
  };
  try {
    for (;;) {
      if (signal?.aborted) throw new ExportCancelledError();
      const { done, value } = await reader.read();
      if (done) break;
      if (signal?.aborted) throw new ExportCancelledError();
      if (value instanceof Blob) {
        seal();
        parts.push(value);
        gathered += value.size;
        if (gathered >= WRITE_BLOCK) await flush();
        continue;
      }
      let at = 0;
      while (at < value.byteLength) {
        const n = Math.min(value.byteLength - at, WRITE_BLOCK - filled);
        block.set(value.subarray(at, at + n), filled);
        filled += n;
        gathered += n;
        at += n;
        if (gathered >= WRITE_BLOCK) await flush(); // the block is full at the latest
      }
    }
    await flush();
    await settle();
    if (signal?.aborted) throw new ExportCancelledError();
    try {
      await sink.close();
    } catch (e) {
      throw describeWriteError(e, sink.name);
    }
    return written;
  } catch (e) {
    await (inflight as Promise<void> | null); // never rejects: failures are kept in `failure`
    await reader.cancel(e).catch(() => undefined);
    await sink.abort();
    throw e;
  } finally {
    reader.releaseLock();
  }
}
