import { useEffect, useState } from 'react';
import { getThumbnailBlob } from '../../app/library/sampleQueries';

/**
 * Object URLs for thumbnails, kept in a small LRU so scrolling back is instant and memory stays
 * bounded (URLs are revoked when evicted).
 */
const MAX_URLS = 600;
const cache = new Map<string, string>();

function remember(assetId: string, url: string) {
  cache.set(assetId, url);
  while (cache.size > MAX_URLS) {
    const [oldest, oldUrl] = cache.entries().next().value as [string, string];
    cache.delete(oldest);
    URL.revokeObjectURL(oldUrl);
  }
}

export function useThumbnailUrl(assetId: string | undefined): string | undefined {
  const [url, setUrl] = useState<string | undefined>(() => (assetId ? cache.get(assetId) : undefined));
  useEffect(() => {
    if (!assetId) return;
    const hit = cache.get(assetId);
    if (hit) {
      setUrl(hit);
      return;
    }
    let live = true;
    void getThumbnailBlob(assetId).then((blob) => {
      if (!blob || !live) return;
      const u = cache.get(assetId) ?? URL.createObjectURL(blob);
      remember(assetId, u);
      setUrl(u);
    });
    return () => {
      live = false;
    };
  }, [assetId]);
  return url;
}
