// @vitest-environment node
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { hamsterPrompt } from '../core/prompt';
import { writeHamsterZip } from '../exporters/hamster/exportHamster';
import { DEFAULT_HAMSTER_OPTIONS, planHamsterExport } from '../exporters/hamster/plan';
import type { ExportSink } from '../exporters/sink';
import { createDataset, listDatasets } from '../storage/datasets';
import { getDb, setDb, StudioDatabase } from '../storage/db';
import { assetKeys, sha256Hex } from '../storage/hash';
import { addSamplesWithAssets, getSamples, querySampleIds } from '../storage/samples';
import { importHamsterZip, parseSftRecords } from './hamsterZip';

let n = 0;
beforeEach(() => setDb(new StudioDatabase(`hz-${n++}`)));

const process = async (f: File) => {
  const keys = await assetKeys(f);
  return { id: 0, ok: true as const, hash: keys.id, crc32: keys.crc32, mime: f.type, size: f.size, width: 8, height: 6, thumbnail: new Blob(['t']) };
};
const answer = '<ans>[(0.10, 0.20), (0.30, 0.40), <action>Close Gripper</action>]</ans>';

describe('parseSftRecords', () => {
  it('reads instruction and path; lists bad records', () => {
    const r = parseSftRecords([
      { id: 'a', image: 'images/a.jpg', conversations: [{ from: 'human', value: '<image>\n' + hamsterPrompt('pick the cup') }, { from: 'gpt', value: answer }] },
      { id: 'b', image: 'images/b.jpg', conversations: [{ from: 'human', value: 'hi' }] },
      { id: 'c', image: 'images/c.jpg', conversations: [{ from: 'human', value: '<quest>x</quest>' }, { from: 'gpt', value: 'no idea' }] },
      { id: 'd', conversations: [] },
    ], 'data.json');
    expect(r.records).toEqual([{ id: 'a', image: 'images/a.jpg', instruction: 'pick the cup', path: { initialGripper: 'open', points: [{ x: 0.1, y: 0.2, gripper: 'open' }, { x: 0.3, y: 0.4, gripper: 'closed' }] } }]);
    expect(r.problems.map((p) => p.where)).toEqual(['data.json #2 (id b)', 'data.json #3 (id c)', 'data.json #4 (id d)']);
    expect(parseSftRecords({}, 'x.json').problems[0].message).toMatch(/not a JSON list/);
  });
});

describe('importHamsterZip', () => {
  it('re-imports the studio export as a dataset with the same instructions, paths and images', async () => {
    const d = await createDataset('src');
    const blobs = ['A', 'B'].map((s) => new Blob([`image ${s}`], { type: 'image/png' }));
    const assets = await Promise.all(blobs.map(async (b) => ({ id: await sha256Hex(b), blob: b, mime: 'image/png', size: b.size, width: 8, height: 6, createdAt: 1 })));
    const path = { initialGripper: 'open' as const, points: [{ x: 0.25, y: 0.5, gripper: 'open' as const }, { x: 0.75, y: 0.5, gripper: 'closed' as const }] };
    await addSamplesWithAssets(d.id, assets, [
      { assetId: assets[0].id, source: 'image', instruction: 'pick A', path, status: 'done' },
      { assetId: assets[1].id, source: 'image', instruction: 'pick B', path, status: 'reviewed' },
    ]);
    const options = { ...DEFAULT_HAMSTER_OPTIONS, validationFraction: 0.5, promptTemplate: 'Please {instruction} now.' };
    const chunks: Blob[] = [];
    const sink: ExportSink = { name: 'x.zip', write: async (c) => void chunks.push(c), close: async () => {}, abort: async () => {} };
    await writeHamsterZip(await planHamsterExport(d.id, options), options, sink);
    const zip = new File(chunks, 'export.zip');

    const report = await importHamsterZip(zip, 'round trip', { process });
    expect(report.problems).toEqual([]);
    expect(report.imported).toBe(2);
    const back = (await getSamples(await querySampleIds(report.datasetId!))).map((s) => s!);
    expect(back.map((s) => s.instruction).sort()).toEqual(['pick A', 'pick B']);
    expect(back.every((s) => JSON.stringify(s.path) === JSON.stringify(path))).toBe(true);
    for (const s of back) {
      const a = await getDb().assets.get(s.assetId);
      expect(assets.map((x) => x.id)).toContain(a!.id);
    }
  });

  it('refuses a zip without records and leaves no dataset behind', async () => {
    const { makeZip } = await import('client-zip');
    const bytes = await new Response(makeZip([{ name: 'readme.txt', input: 'hi' }])).blob();
    await expect(importHamsterZip(new File([bytes], 'other.zip'), 'x', { process })).rejects.toThrow(/no data.json/);
    await expect(importHamsterZip(new File([bytes.slice(0, 20)], 'cut.zip'), 'x', { process })).rejects.toThrow(/truncated|not a ZIP/);
    expect(await listDatasets()).toEqual([]);
  });

  it('a full disk leaves no dataset behind, not even an empty one', async () => {
    const d = await createDataset('src');
    const b = new Blob(['image A'], { type: 'image/png' });
    const asset = { id: await sha256Hex(b), blob: b, mime: 'image/png', size: b.size, width: 8, height: 6, createdAt: 1 };
    await addSamplesWithAssets(d.id, [asset], [{ assetId: asset.id, source: 'image', instruction: 'pick A', path: { initialGripper: 'open', points: [{ x: 0.5, y: 0.5, gripper: 'open' }] }, status: 'done' }]);
    const chunks: Blob[] = [];
    const sink: ExportSink = { name: 'x.zip', write: async (c) => void chunks.push(c), close: async () => {}, abort: async () => {} };
    await writeHamsterZip(await planHamsterExport(d.id, DEFAULT_HAMSTER_OPTIONS), DEFAULT_HAMSTER_OPTIONS, sink);
    const zip = new File(chunks, 'export.zip');
    const before = await getDb().datasets.count();
    // The disk fills while the samples are written; every later write fails too (as a full disk does).
    const full = (() => Dexie.Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'))) as never;
    const db = getDb();
    const spies = [vi.spyOn(db.samples, 'bulkAdd').mockImplementation(full), vi.spyOn(db.datasets, 'update').mockImplementation(full)];
    await expect(importHamsterZip(zip, 'will not fit', { process })).rejects.toThrow(/full|quota|space/i);
    spies.forEach((spy) => spy.mockRestore());
    expect(await db.datasets.count()).toBe(before);
  });
});
