// @vitest-environment node
import 'fake-indexeddb/auto';
import { unzipSync, strFromU8 } from 'fflate';
import { beforeEach, describe, expect, it } from 'vitest';
import { parsePath } from '../../core/codec';
import { hamsterHumanTurn, hamsterPrompt } from '../../core/prompt';
import { createDataset } from '../../storage/datasets';
import { setDb, StudioDatabase } from '../../storage/db';
import { crc32 } from '../../core/crc32';
import { assetKeys } from '../../storage/hash';
import { addSamplesWithAssets, type NewSample } from '../../storage/samples';
import type { AssetRecord } from '../../storage/types';
import type { Path } from '../../core/path';
import { ExportCancelledError, ExportWriteError, type ExportSink } from '../sink';
import { ZipReader } from '../../formats/zip/zipReader';
import { auditSample } from './audit';
import { writeHamsterZip } from './exportHamster';
import { DEFAULT_HAMSTER_OPTIONS, planHamsterExport, type HamsterExportOptions } from './plan';
import { DEFAULT_PROMPT_TEMPLATE, fillPrompt, instructionFromPrompt } from '../../formats/hamster/records';
import { validationImages } from './split';

let n = 0;
beforeEach(() => setDb(new StudioDatabase(`hamster-${n++}`)));

const path = (pts: [number, number, 'open' | 'closed'][]): Path => ({ initialGripper: 'open', points: pts.map(([x, y, gripper]) => ({ x, y, gripper })) });
const pick = path([[0.1, 0.2, 'open'], [0.3, 0.4, 'closed'], [0.7, 0.6, 'open']]);

/** An image as ingest stores it (with its CRC-32), or as stored before the CRC was kept. */
async function asset(content: string, withCrc = true): Promise<AssetRecord> {
  const blob = new Blob([content], { type: 'image/jpeg' });
  const keys = await assetKeys(blob);
  return { id: keys.id, ...(withCrc ? { crc32: keys.crc32 } : {}), blob, mime: 'image/jpeg', size: blob.size, width: 640, height: 480, createdAt: 1000 };
}

class MemorySink implements ExportSink {
  name = 'memory.zip';
  parts: Blob[] = [];
  closed = false;
  aborted = false;
  constructor(private failAfter = Infinity, private error?: Error) {}
  async write(c: Blob) {
    if (this.parts.reduce((s, x) => s + x.size, 0) + c.size > this.failAfter) throw this.error;
    this.parts.push(c);
  }
  async close() { this.closed = true; }
  async abort() { this.aborted = true; this.parts = []; }
  async bytes() {
    return new Uint8Array(await new Blob(this.parts).arrayBuffer());
  }
}

async function seed() {
  const d = await createDataset('kitchen');
  const assets = await Promise.all(['img-a', 'img-b', 'img-c', 'img-d'].map((content, i) => asset(content, i !== 1)));
  const samples: NewSample[] = [
    { assetId: assets[0].id, source: 'image', instruction: 'pick the red cube', path: pick, status: 'reviewed', provenance: { fileName: 'a.jpg' } },
    { assetId: assets[0].id, source: 'image', instruction: 'push the cube left', path: path([[0.5, 0.5, 'open'], [0.2, 0.5, 'open']]), status: 'done', provenance: { fileName: 'a.jpg' } },
    { assetId: assets[1].id, source: 'video', instruction: 'open the drawer', path: pick, status: 'done', provenance: { fileName: 'b.jpg' } },
    { assetId: assets[2].id, source: 'image', instruction: 'no path yet', path: null, status: 'done', provenance: { fileName: 'c.jpg' } },
    { assetId: assets[2].id, source: 'image', instruction: 'broken', path: path([[1.5, 0.2, 'open'], [0.1, 0.1, 'open']]), status: 'done', provenance: { fileName: 'c.jpg' } },
    { assetId: assets[3].id, source: 'image', instruction: 'draft only', path: pick, status: 'draft', provenance: { fileName: 'd.jpg' } },
  ];
  await addSamplesWithAssets(d.id, assets, samples);
  return { d, assets };
}

const opts = (o: Partial<HamsterExportOptions> = {}): HamsterExportOptions => ({ ...DEFAULT_HAMSTER_OPTIONS, ...o });

describe('audit', () => {
  it('skips unusable samples and warns about suspicious ones', () => {
    expect(auditSample({ instruction: 'x', path: null }).skip).toBe('no_path');
    expect(auditSample({ instruction: 'x', path: path([]) }).skip).toBe('empty_path');
    expect(auditSample({ instruction: 'x', path: path([[Number.NaN, 0, 'open']]) }).skip).toBe('invalid_coordinates');
    expect(auditSample({ instruction: ' ', path: pick }).skip).toBe('no_instruction');
    expect(auditSample({ instruction: 'x', path: pick })).toEqual({ warnings: [] });
    expect(auditSample({ instruction: 'x', path: path([[0.1, 0.1, 'open']]) }).warnings).toEqual(['single_point', 'no_gripper_event']);
  });
});

describe('split', () => {
  it('holds out whole images, deterministically per seed', () => {
    const ids = Array.from({ length: 100 }, (_, i) => `asset-${i}`);
    const a = validationImages([...ids, ...ids], 0.2, 7);
    expect(a.size).toBe(20);
    expect(validationImages(ids, 0.2, 7)).toEqual(a);
    expect(validationImages(ids, 0.2, 8)).not.toEqual(a);
    expect(validationImages(ids, 0, 7).size).toBe(0);
  });
});

describe('prompt template', () => {
  it('defaults to the HAMSTER prompt and reads the instruction back', () => {
    expect(fillPrompt(DEFAULT_PROMPT_TEMPLATE, 'pick the cup')).toBe(hamsterPrompt('pick the cup'));
    expect(instructionFromPrompt('<image>\n' + hamsterPrompt('pick the cup'))).toBe('pick the cup');
    expect(instructionFromPrompt('<image>\nDo: wipe the table. Answer with a path.', 'Do: {instruction}. Answer with a path.')).toBe('wipe the table');
  });
});

describe('HAMSTER zip export', () => {
  it('summarises, skips broken samples and writes LLaVA records with the images', async () => {
    const { d, assets } = await seed();
    const plan = await planHamsterExport(d.id, opts());
    expect(plan.summary.total).toBe(6);
    expect(plan.summary.byStatus).toEqual({ draft: 1, done: 4, reviewed: 1, rejected: 0 });
    expect(plan.summary.bySource.video).toBe(1);
    expect(plan.summary.included).toBe(3);
    expect(plan.summary.skipped.map((s) => [s.fileName, s.reason])).toEqual([['c.jpg', 'no_path'], ['c.jpg', 'invalid_coordinates']]);
    expect(plan.summary.warnings.map((w) => w.warning)).toEqual(['no_gripper_event']);

    const sink = new MemorySink();
    const progress: number[] = [];
    await writeHamsterZip(plan, opts(), sink, { onProgress: (w) => progress.push(w) });
    expect(sink.closed).toBe(true);
    expect(progress.length).toBeGreaterThan(0);
    const files = unzipSync(await sink.bytes());
    expect(Object.keys(files).sort()).toEqual(['data.json', 'export_info.json', `images/${assets[0].id}.jpg`, `images/${assets[1].id}.jpg`].sort());
    const data = JSON.parse(strFromU8(files['data.json']));
    expect(data).toHaveLength(3);
    expect(data[0].conversations[0]).toEqual({ from: 'human', value: hamsterHumanTurn('pick the red cube') }); // what server.py makes of HAMSTER's client request
    expect(data[0].conversations[1]).toEqual({ from: 'gpt', value: '<ans>[(0.10, 0.20), (0.30, 0.40), <action>Close Gripper</action>, (0.70, 0.60), <action>Open Gripper</action>]</ans>' });
    expect(data[0].image).toBe(`images/${assets[0].id}.jpg`);
    expect(strFromU8(files[data[0].image])).toBe('img-a'); // passed through with its CRC-32 from ingest
    expect(strFromU8(files[data[2].image])).toBe('img-b'); // read and checksummed
    expect(Object.fromEntries((await ZipReader.open(new Blob(sink.parts))).entries.map((e) => [e.name, e.crc32]))).toEqual(Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, crc32(bytes)])));
    const info = JSON.parse(strFromU8(files['export_info.json']));
    expect(info.skipped).toHaveLength(2);
    expect(info.options.decimals).toBe(2);
  });

  it('filters by source and instruction text as well as status; the summary counts what will be written', async () => {
    const { d } = await seed();
    const byVideo = await planHamsterExport(d.id, opts({ statuses: ['done'], sources: ['video'] }));
    expect(byVideo.summary.included).toBe(1);
    expect(byVideo.samples.map((s) => s.assetId)).toHaveLength(1);
    const byText = await planHamsterExport(d.id, opts({ statuses: ['done', 'reviewed'], task: 'CUBE' }));
    expect(byText.summary.included).toBe(2); // "pick the red cube" (reviewed) and "push the cube left" (done)
    const sink = new MemorySink();
    await writeHamsterZip(byText, opts({ task: 'CUBE' }), sink);
    const files = unzipSync(await sink.bytes());
    expect(JSON.parse(strFromU8(files['data.json'])).map((r: { conversations: { value: string }[] }) => r.conversations[0].value.includes('cube'))).toEqual([true, true]);
    expect(JSON.parse(strFromU8(files['export_info.json'])).options.task).toBe('CUBE');
  });

  it('applies statuses, decimals, simplification, custom prompts and the image split', async () => {
    const { d } = await seed();
    const o = opts({ statuses: ['done'], decimals: 3, simplifyEpsilon: 0.05, validationFraction: 0.5, seed: 1, promptTemplate: 'Task: {instruction}' });
    const plan = await planHamsterExport(d.id, o);
    expect(plan.summary.included).toBe(2);
    const sink = new MemorySink();
    await writeHamsterZip(plan, o, sink);
    const files = unzipSync(await sink.bytes());
    const train = JSON.parse(strFromU8(files['data.json']));
    const val = JSON.parse(strFromU8(files['val.json']));
    expect(train.length + val.length).toBe(2);
    expect(train.length).toBe(1);
    const trainImages = new Set(train.map((r: { image: string }) => r.image));
    expect(val.every((r: { image: string }) => !trainImages.has(r.image))).toBe(true);
    const all = [...train, ...val];
    const push = all.find((r) => r.conversations[0].value.includes('push'));
    expect(push.conversations[0].value).toBe('<image>\nTask: push the cube left');
    expect(push.conversations[1].value).toBe('<ans>[(0.500, 0.500), (0.200, 0.500)]</ans>');
    const parsed = parsePath(all[0].conversations[1].value);
    expect(parsed.ok).toBe(true);
  });

  it('resizes images larger than the maximum side', async () => {
    const { d } = await seed();
    const o = opts({ maxImageSide: 320 });
    const plan = await planHamsterExport(d.id, o);
    const sizes: number[] = [];
    const sink = new MemorySink();
    await writeHamsterZip(plan, o, sink, { resize: async (_b, mime, w, h, max) => { sizes.push(max); return new Blob([`small ${w}x${h}`], { type: mime }); } });
    const files = unzipSync(await sink.bytes());
    expect(sizes).toEqual([320, 320]);
    expect(Object.entries(files).filter(([k]) => k.startsWith('images/')).every(([, v]) => strFromU8(v) === 'small 640x480')).toBe(true);
  });

  it('a disk-full error mid-export stops with a clear message and discards the file', async () => {
    const { d } = await seed();
    const plan = await planHamsterExport(d.id, opts());
    const full = Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
    const sink = new MemorySink(200, full);
    const err = await writeHamsterZip(plan, opts(), sink).catch((e) => e);
    expect(err).toBeInstanceOf(ExportWriteError);
    expect(err.message).toMatch(/disk is full/);
    expect(sink.aborted).toBe(true);
    expect(sink.closed).toBe(false);
  });

  it('cancelling discards the file', async () => {
    const { d } = await seed();
    const plan = await planHamsterExport(d.id, opts());
    const ctl = new AbortController();
    const sink = new MemorySink();
    const err = await writeHamsterZip(plan, opts(), sink, { signal: ctl.signal, onProgress: () => ctl.abort() }).catch((e) => e);
    expect(err).toBeInstanceOf(ExportCancelledError);
    expect(sink.aborted).toBe(true);
    expect(sink.closed).toBe(false);
  });
});
