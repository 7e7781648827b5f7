import Dexie from 'dexie';
import { getDb } from './db';
import type { AssetRecord } from './types';

/**
 * Where an image that is not stored here can come from: a shared dataset whose images stay on the
 * team server until they are shown (src/app/team registers it). Storage knows no server; it asks.
 */
export interface AssetSource {
  /** Fetches the image into storage; true when it is stored now. */
  fetch(assetId: string): Promise<boolean>;
  /** Its thumbnail alone, for tiles (not stored); undefined when there is none. */
  thumbnail(assetId: string): Promise<Blob | undefined>;
}

let source: AssetSource | null = null;

export function setAssetSource(next: AssetSource | null): void {
  source = next;
}

/** The image, fetched first when it is not here but its team server has it. */
export async function getAsset(id: string): Promise<AssetRecord | undefined> {
  const asset = await getDb().assets.get(id);
  if (asset || !source) return asset;
  return (await source.fetch(id).catch(() => false)) ? getDb().assets.get(id) : undefined;
}

/** Thumbnail (or the full image when no thumbnail was made) for grids. */
export async function getThumbnailBlob(assetId: string): Promise<Blob | undefined> {
  const a = await getDb().assets.get(assetId);
  if (a || !source) return a?.thumbnail ?? a?.blob;
  return source.thumbnail(assetId).catch(() => undefined);
}

/**
 * Which of these assets are stored, from the primary key alone: reading the records would
 * deserialize each one (with its Blob handles), which an import of 1,000 images paid for twice.
 * Inside a transaction it reads in that transaction.
 */
export async function storedAssetIds(ids: readonly string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  return new Set((await getDb().assets.where(':id').anyOf([...ids]).primaryKeys()) as string[]);
}

/** How many of the images a dataset's samples show are stored here (a shared dataset's may be on its server only). */
export async function imageAvailability(datasetId: string): Promise<{ here: number; total: number }> {
  const keys = await getDb().samples.where('[datasetId+assetId]').between([datasetId, Dexie.minKey], [datasetId, Dexie.maxKey]).uniqueKeys();
  const ids = keys.map((k) => (k as unknown as [string, string])[1]);
  return { here: (await storedAssetIds(ids)).size, total: ids.length };
}
