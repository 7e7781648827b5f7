import { getSample, updateSample, updateSampleRecovered, type SamplePatch } from '../../storage';
import { RecordValidationError } from '../../storage/schemas';
import { notify } from '../toasts';
import { errorMessage } from '../../core/errorMessage';

/**
 * Autosave with a write-ahead journal. Every change is first written synchronously to
 * localStorage (survives a crash, a reload or a closed tab even when the IndexedDB write had no
 * time to commit), then written to IndexedDB in order; the journal entry goes once the write
 * has landed. On the next start (main.tsx, and again when Annotate opens) `replayJournal` applies
 * whatever never landed.
 */
const JOURNAL_KEY = 'path-studio.annotate.journal.v1';

interface JournalEntry {
  patch: SamplePatch;
  /** When the change was made (ms); a record updated later than this already has it. */
  at: number;
}

type Journal = Record<string, JournalEntry>;

function readJournal(): Journal {
  try {
    return JSON.parse(localStorage.getItem(JOURNAL_KEY) ?? '{}') as Journal;
  } catch {
    return {};
  }
}

function writeJournal(journal: Journal): void {
  try {
    if (Object.keys(journal).length === 0) localStorage.removeItem(JOURNAL_KEY);
    else localStorage.setItem(JOURNAL_KEY, JSON.stringify(journal));
  } catch {
    // A full or disabled localStorage only loses the crash safety net; IndexedDB still gets the write.
  }
}

export class SampleAutosave {
  private readonly queue = new Map<string, SamplePatch>();
  private running: Promise<void> | null = null;
  private listeners = new Set<(state: { pending: number; error: unknown }) => void>();
  private lastError: unknown = null;
  /** The sample whose write is in flight. */
  private writing: string | null = null;

  /** Records the change now (synchronously) and writes it to IndexedDB as soon as possible. */
  save(sampleId: string, patch: SamplePatch): void {
    const merged = { ...this.queue.get(sampleId), ...patch };
    this.queue.set(sampleId, merged);
    const journal = readJournal();
    journal[sampleId] = { patch: { ...journal[sampleId]?.patch, ...merged }, at: Date.now() };
    writeJournal(journal);
    this.running ??= this.drain();
    this.notify();
  }

  /** Resolves once everything saved so far is in IndexedDB. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  get pending(): number {
    return this.queue.size;
  }

  /** An edit of this sample is queued or being written: IndexedDB does not hold it yet. */
  isPending(sampleId: string): boolean {
    return this.queue.has(sampleId) || this.writing === sampleId;
  }

  onChange(listener: (state: { pending: number; error: unknown }) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const l of this.listeners) l({ pending: this.queue.size, error: this.lastError });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.size > 0) {
        const [sampleId, queued] = this.queue.entries().next().value as [string, SamplePatch];
        this.queue.delete(sampleId);
        // Write everything the journal holds for this sample, so a change whose write failed
        // earlier goes in with the next one.
        const patch = readJournal()[sampleId]?.patch ?? queued;
        this.writing = sampleId;
        try {
          await updateSample(sampleId, patch);
          this.lastError = null;
          // Only forget the journal entry if no newer change for this sample is waiting.
          if (!this.queue.has(sampleId)) {
            const journal = readJournal();
            delete journal[sampleId];
            writeJournal(journal);
          }
        } catch (e) {
          // The journal keeps the change: it is written with the next change or on the next start.
          this.lastError = e;
        }
        this.writing = null;
        this.notify();
      }
    } finally {
      this.running = null;
    }
  }
}

/** What a journal replay did: edits applied, and those that could not be (kept, or dropped when they can never be stored). */
export interface JournalReplay {
  applied: number;
  /** Still in the journal, retried on the next start (e.g. the disk is still full). */
  kept: { sampleId: string; error: unknown }[];
  /** Dropped: the edit is not one the database can ever take (it fails the sample schema). */
  dropped: { sampleId: string; error: unknown }[];
}

let replaying: Promise<JournalReplay> | null = null;

/**
 * Applies journaled changes that never reached IndexedDB (crash, reload mid-write). Never throws:
 * an edit that cannot be written stays in the journal for the next start, and the caller shows
 * why — a full disk must not keep the annotator from the samples that are stored. Callers while a
 * replay runs share it: two at once would each write back the journal as they read it.
 */
export function replayJournal(): Promise<JournalReplay> {
  replaying ??= replayNow().finally(() => (replaying = null));
  return replaying;
}

async function replayNow(): Promise<JournalReplay> {
  const journal = readJournal();
  const result: JournalReplay = { applied: 0, kept: [], dropped: [] };
  for (const [sampleId, entry] of Object.entries(journal)) {
    try {
      const record = await getSample(sampleId);
      // A record written in the same millisecond as the edit was journaled has not seen it yet
      // (timestamps are whole milliseconds): the journal's edit goes in.
      if (record && record.updatedAt <= entry.at) {
        await updateSampleRecovered(sampleId, entry.patch);
        result.applied++;
      }
      delete journal[sampleId];
    } catch (error) {
      if (error instanceof RecordValidationError || (error as { cause?: unknown })?.cause instanceof RecordValidationError) {
        delete journal[sampleId];
        result.dropped.push({ sampleId, error });
      } else result.kept.push({ sampleId, error });
    }
  }
  try {
    writeJournal(journal);
  } catch {
    /* localStorage full or gone: the entries stay as they were */
  }
  return result;
}

/** What the user must hear about a replay, in words; null when every edit went in. */
export function describeReplay(replay: JournalReplay): string | null {
  const problems: string[] = [];
  const { kept, dropped } = replay;
  if (kept.length) problems.push(`${kept.length} edit${kept.length > 1 ? 's' : ''} from an earlier visit could not be saved yet (${errorMessage(kept[0].error)}); ${kept.length > 1 ? 'they are' : 'it is'} kept in this browser and saved on the next visit once there is room.`);
  if (dropped.length) problems.push(`${dropped.length} edit${dropped.length > 1 ? 's' : ''} from an earlier visit could not be stored and ${dropped.length > 1 ? 'were' : 'was'} discarded: ${errorMessage(dropped[0].error)}`);
  return problems.join(' ') || null;
}

/** The replay at start-up (main.tsx), whatever screen opens: what could not be saved is told in a toast. */
export async function replayJournalAtStart(): Promise<void> {
  const problem = describeReplay(await replayJournal());
  if (problem) notify({ kind: 'error', message: problem });
}
