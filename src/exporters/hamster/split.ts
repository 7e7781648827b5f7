/**
 * Train/validation split by source image: every sample of one image lands in the same split, so
 * no image leaks from training into validation. Deterministic for a seed: images are ordered by
 * a seeded FNV-1a hash of their asset id and the first `round(n × fraction)` go to validation.
 */

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Asset ids that go to validation. */
export function validationImages(assetIds: Iterable<string>, fraction: number, seed: number): Set<string> {
  const unique = [...new Set(assetIds)];
  if (!(fraction > 0)) return new Set();
  const count = Math.min(unique.length, Math.round(unique.length * Math.min(1, fraction)));
  const ranked = unique.map((id) => ({ id, h: fnv1a(`${seed}:${id}`) })).sort((a, b) => a.h - b.h || (a.id < b.id ? -1 : 1));
  return new Set(ranked.slice(0, count).map((r) => r.id));
}
