/**
 * Finds a file a dataset's metadata names when it is not at the templated path: by the longest tail
 * of its path that matches exactly one file in the picked folder (`videos/chunk-000/cam/ep_0.mp4`
 * is found as `video/chunk-000/cam/ep_0.mp4`). A tail that matches several files is not guessed,
 * files under `meta/` are never taken, and a tail must keep `mustContain` (a camera's key) so one
 * camera's file is never taken for another's.
 */
import type { DatasetFiles } from './source';

export interface Located {
  /** Where the file is in the folder. */
  path: string;
  /** True when it was not at the path the metadata gives. */
  moved: boolean;
}

export type Locator = (path: string, mustContain?: string) => Located | null;

export function makeLocator(files: DatasetFiles): Locator {
  const byBase = new Map<string, string[]>();
  for (const p of files.paths()) {
    if (p.startsWith('meta/')) continue;
    const base = p.slice(p.lastIndexOf('/') + 1);
    const list = byBase.get(base);
    if (list) list.push(p); else byBase.set(base, [p]);
  }
  return (path, mustContain) => {
    if (files.get(path)) return { path, moved: false };
    const parts = path.split('/');
    const candidates = byBase.get(parts[parts.length - 1]);
    if (!candidates) return null;
    // Longest tail first: drop leading folders one by one.
    for (let drop = 1; drop < parts.length; drop++) {
      if (mustContain && !parts.slice(drop).includes(mustContain)) return null;
      const tail = parts.slice(drop).join('/');
      const hits = candidates.filter((c) => c === tail || c.endsWith(`/${tail}`));
      if (hits.length === 1) return { path: hits[0], moved: true };
      if (hits.length > 1) return null;
    }
    return null;
  };
}
