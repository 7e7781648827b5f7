/**
 * A backup altered as an attacker would: the first record of a table changed, and every size and
 * SHA-256 in the manifest recomputed, so only the record's content can betray it. Used by the
 * restore tests and the hostile-input suite.
 */
import { makeZip } from 'client-zip';
import { sha256Hex } from '../storage/hash';

export interface ArchiveEntry {
  path: string;
  data: Uint8Array;
}

export async function craftBackup(
  original: readonly ArchiveEntry[],
  table: string | null,
  change: (record: Record<string, unknown>) => void = () => {},
  changeManifest: (manifest: Record<string, unknown>) => void = () => {},
): Promise<Blob> {
  const entries = original.map((e) => ({ ...e }));
  const manifestEntry = entries.pop()!;
  const manifest = JSON.parse(new TextDecoder().decode(manifestEntry.data));
  for (const e of entries.filter((x) => table !== null && x.path.startsWith(`tables/${table}/`))) {
    const lines = new TextDecoder().decode(e.data).trim().split('\n').map((l) => JSON.parse(l));
    change(lines[0]);
    e.data = new TextEncoder().encode(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const m = manifest.entries.find((x: { path: string }) => x.path === e.path);
    m.size = e.data.byteLength;
    m.sha256 = await sha256Hex(e.data);
  }
  changeManifest(manifest);
  entries.push({ path: manifestEntry.path, data: new TextEncoder().encode(JSON.stringify(manifest)) });
  return new Response(makeZip(entries.map((e) => ({ name: e.path, input: e.data })))).blob();
}
