/**
 * Storage failures the user can act on. Everything the storage layer throws on a failed write
 * goes through `toStorageError`, so the UI shows one clear message and the database stays as it was
 * (each multi-row write is one transaction).
 */
import { errorMessage } from '../core/errorMessage';

export class StorageFullError extends Error {
  readonly code = 'storage-full';
  constructor(public readonly detail?: string) {
    super(
      'The browser has no more storage space for Path Studio. Nothing from this change was saved. ' +
        'Free space by deleting datasets you no longer need (or export them first), or allow the site more storage in the browser settings, then try again.',
    );
    this.name = 'StorageFullError';
  }
}

export class StorageWriteError extends Error {
  readonly code = 'write-failed';
  constructor(message: string, public readonly cause?: unknown) {
    super(message);
    this.name = 'StorageWriteError';
  }
}

function errorName(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'name' in e ? String((e as { name: unknown }).name) : undefined;
}

/** Dexie wraps the real cause: a full quota arrives as AbortError whose `inner` is QuotaExceededError. */
export function isQuotaError(e: unknown): boolean {
  const seen = new Set<unknown>();
  let cur: unknown = e;
  while (cur && typeof cur === 'object' && !seen.has(cur)) {
    seen.add(cur);
    const name = errorName(cur);
    if (name === 'QuotaExceededError' || name === 'StorageFullError') return true;
    const c = cur as { inner?: unknown; cause?: unknown; failures?: unknown[] };
    if (Array.isArray(c.failures) && c.failures.some(isQuotaError)) return true;
    cur = c.inner ?? c.cause;
  }
  return false;
}

export function toStorageError(e: unknown, what: string): Error {
  if (e instanceof StorageFullError || e instanceof StorageWriteError) return e;
  if (isQuotaError(e)) return new StorageFullError(String((e as Error)?.message ?? ''));
  return new StorageWriteError(`Could not ${what}: ${errorMessage(e)}. Nothing was changed.`, e);
}

/** Runs a write and normalizes its failure. */
export async function guardedWrite<T>(what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    throw toStorageError(e, what);
  }
}
