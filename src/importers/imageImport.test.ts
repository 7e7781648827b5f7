// @vitest-environment node
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { StudioDatabase, getDb, setDb } from '../storage/db';
import { createDataset, softDeleteDataset } from '../storage/datasets';
import { addSamplesWithAssets } from '../storage/samples';
import { importImages } from './imageImport';
import type { IngestResponse } from './ingestProtocol';

let dbCounter = 0;
beforeEach(() => {
  setDb(new StudioDatabase(`image-import-${dbCounter++}`));
});

const files = (n: number, prefix = 'f') => Array.from({ length: n }, (_, i) => new File([`${prefix}${i}`], `${prefix}${i}.png`, { type: 'image/png' }));

/** The ingest workers' answer without decoding: the file name stands in for the hash. */
async function fakeIngest(file: File): Promise<IngestResponse> {
  await new Promise((r) => setTimeout(r, 0));
  return { ok: true, hash: `h-${file.name}`, crc32: 0, mime: 'image/png', size: file.size, width: 4, height: 3, thumbnail: new Blob(['t']) };
}

describe('importImages', () => {
  it('stores every image and its sample, in drop order', async () => {
    const d = await createDataset('d');
    const report = await importImages(d.id, files(150), { process: fakeIngest });
    expect(report).toMatchObject({ imported: 150, cancelled: false });
    expect(await getDb().assets.count()).toBe(150);
    const samples = await getDb().samples.where('datasetId').equals(d.id).sortBy('order');
    expect(samples.map((s) => s.provenance.fileName)).toEqual(files(150).map((f) => f.name));
  });

  it('a cancelled import stores nothing', async () => {
    const d = await createDataset('d');
    const controller = new AbortController();
    let processed = 0;
    const report = await importImages(d.id, files(300), {
      process: async (f) => {
        if (++processed === 200) controller.abort();
        return fakeIngest(f);
      },
      signal: controller.signal,
    });
    expect(report.cancelled).toBe(true);
    expect(await getDb().samples.count()).toBe(0);
    expect(await getDb().assets.count()).toBe(0);
  });

  it('a failed final write stores nothing and leaves the images other samples use', async () => {
    const d = await createDataset('d');
    const other = await createDataset('other');
    const [shared] = files(1);
    const first = await fakeIngest(shared);
    if (!first.ok) throw new Error('unreachable');
    await addSamplesWithAssets(other.id, [{ id: first.hash, blob: shared, mime: 'image/png', size: shared.size, width: 4, height: 3, createdAt: 0 }], [{ assetId: first.hash, source: 'image' }]);
    let processed = 0;
    const attempt = importImages(d.id, files(100), {
      process: async (f) => {
        // The dataset is deleted while the import runs: its samples cannot be written.
        if (++processed === 90) await softDeleteDataset(d.id);
        return fakeIngest(f);
      },
    });
    await expect(attempt).rejects.toThrow(/no longer exists/);
    expect((await getDb().assets.toArray()).map((a) => a.id)).toEqual([first.hash]);
  });
});
