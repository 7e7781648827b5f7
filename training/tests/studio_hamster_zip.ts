/**
 * Makes a HAMSTER/VILA zip with the studio's own exporter, for the trainer's smoke test: the samples
 * (image file, instruction, path) go into a Library dataset (the studio's storage layer, on
 * fake-indexeddb), then `planHamsterExport` + `writeHamsterZip` write the zip exactly as the Export
 * section does.
 *
 *   npx tsx training/tests/studio_hamster_zip.ts SAMPLES.json OUT.zip
 *
 * SAMPLES.json: [{ "image": "frame.jpg", "width": 256, "height": 256, "instruction": "…",
 *                  "path": [[x, y, closed], …] }]   (image paths relative to the JSON file)
 */
import 'fake-indexeddb/auto';
import { open, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Path } from '../../src/core/path.ts';
import { writeHamsterZip } from '../../src/exporters/hamster/exportHamster.ts';
import { DEFAULT_HAMSTER_OPTIONS, planHamsterExport } from '../../src/exporters/hamster/plan.ts';
import type { ExportSink } from '../../src/exporters/sink.ts';
import { createDataset } from '../../src/storage/datasets.ts';
import { setDb, StudioDatabase } from '../../src/storage/db.ts';
import { sha256Hex } from '../../src/storage/hash.ts';
import { addSamplesWithAssets } from '../../src/storage/samples.ts';
import type { AssetRecord } from '../../src/storage/types.ts';

interface SampleIn {
  image: string;
  width: number;
  height: number;
  instruction: string;
  path: [number, number, boolean][];
}

async function fileSink(file: string): Promise<ExportSink> {
  const handle = await open(file, 'w');
  return {
    name: file,
    write: async (chunk) => { await handle.write(new Uint8Array(await chunk.arrayBuffer())); },
    close: () => handle.close(),
    abort: () => handle.close().catch(() => undefined),
  };
}

async function main(): Promise<void> {
  const [samplesFile, out] = process.argv.slice(2);
  if (!samplesFile || !out) throw new Error('usage: studio_hamster_zip.ts SAMPLES.json OUT.zip');
  const samples = JSON.parse(await readFile(samplesFile, 'utf8')) as SampleIn[];
  setDb(new StudioDatabase('trainer-smoke'));
  const dataset = await createDataset('trainer smoke');
  const assets: AssetRecord[] = [];
  for (const s of samples) {
    const blob = new Blob([await readFile(resolve(dirname(samplesFile), s.image))], { type: 'image/jpeg' });
    assets.push({ id: await sha256Hex(blob), blob, mime: 'image/jpeg', size: blob.size, width: s.width, height: s.height, createdAt: Date.now() });
  }
  await addSamplesWithAssets(dataset.id, assets, samples.map((s, i) => {
    const path: Path = { initialGripper: 'open', points: s.path.map(([x, y, closed]) => ({ x, y, gripper: closed ? 'closed' : 'open' })) };
    return { assetId: assets[i].id, source: 'image', instruction: s.instruction, path, status: 'done', provenance: { fileName: s.image } };
  }));
  const options = { ...DEFAULT_HAMSTER_OPTIONS, decimals: 3 };
  const plan = await planHamsterExport(dataset.id, options);
  const bytes = await writeHamsterZip(plan, options, await fileSink(out));
  console.log(`wrote ${out}: ${plan.summary.train.samples} samples, ${bytes} bytes`);
}

main().catch((err) => { console.error(err instanceof Error ? err.message : err); process.exit(1); });
