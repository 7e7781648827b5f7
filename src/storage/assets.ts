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
