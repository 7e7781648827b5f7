import { getDb } from './db';
import type { AssetRecord } from './types';

export async function getAsset(id: string): Promise<AssetRecord | undefined> {
  return getDb().assets.get(id);
}

/** Thumbnail (or the full image when no thumbnail was made) for grids. */
export async function getThumbnailBlob(assetId: string): Promise<Blob | undefined> {
  const a = await getDb().assets.get(assetId);
  return a?.thumbnail ?? a?.blob;
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
