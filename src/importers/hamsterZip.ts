/**
 * Imports a HAMSTER / VILA SFT zip (the studio's own export, or any zip with a LLaVA-style JSON
 * list and its images) as a new dataset. `parseSftRecords` is the pure part; `importHamsterZip`
 * opens the zip (random access, entries read one at a time), runs each image through the ingest
 * pipeline, and writes the dataset's samples in one transaction. Bad records are listed and skipped.
 */
import { parsePath } from '../core/codec';
import type { Path } from '../core/path';
import { INFO_FILE, mimeFromFileName, TRAIN_FILE, VALIDATION_FILE } from '../formats/hamster/layout';
import { DEFAULT_PROMPT_TEMPLATE, instructionFromPrompt } from '../formats/hamster/records';
import { ZipReader } from '../formats/zip/zipReader';
import { createDatasetWithSamples, type NewSample } from '../storage/samples';
import type { AssetRecord } from '../storage/types';
import type { IngestResponse } from './ingestProtocol';
import { errorMessage } from '../core/errorMessage';

export interface ParsedSftRecord {
  id: string;
  image: string;
  instruction: string;
  path: Path;
}

export interface RecordProblem {
  /** `data.json #3 (id …)` */
  where: string;
  message: string;
}

/** Reads a LLaVA conversation list; each unusable record becomes a problem, never an exception. */
export function parseSftRecords(json: unknown, fileName: string, promptTemplate = DEFAULT_PROMPT_TEMPLATE): { records: ParsedSftRecord[]; problems: RecordProblem[] } {
  const records: ParsedSftRecord[] = [];
  const problems: RecordProblem[] = [];
  if (!Array.isArray(json)) return { records, problems: [{ where: fileName, message: 'is not a JSON list of records' }] };
  json.forEach((r: unknown, i) => {
    const rec = (r ?? {}) as { id?: unknown; image?: unknown; conversations?: unknown };
    const where = `${fileName} #${i + 1}${typeof rec.id === 'string' ? ` (id ${rec.id})` : ''}`;
    const fail = (message: string) => problems.push({ where, message });
    if (typeof rec.image !== 'string' || !rec.image) return fail('has no "image"');
    const turns = Array.isArray(rec.conversations) ? (rec.conversations as { from?: unknown; value?: unknown }[]) : [];
    const human = turns.find((t) => t?.from === 'human');
    const answer = turns.find((t) => t?.from === 'gpt');
    if (typeof human?.value !== 'string' || typeof answer?.value !== 'string') return fail('needs a "human" and a "gpt" turn');
    const instruction = instructionFromPrompt(human.value, promptTemplate);
    if (!instruction) return fail('the instruction could not be found in the prompt (no <quest> tag and the prompt template does not match)');
    const parsed = parsePath(answer.value);
    if (!parsed.ok) return fail(`the answer is not a valid path: ${parsed.error.message}`);
    records.push({ id: typeof rec.id === 'string' ? rec.id : String(i), image: rec.image.replace(/^\.?\//, ''), instruction, path: parsed.path });
  });
  return { records, problems };
}

export interface HamsterImportOptions {
  /** Checks, hashes and thumbnails one image (the ingest worker pool in the app). */
  process: (file: File) => Promise<IngestResponse>;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface HamsterImportReport {
  datasetId: string | null;
  imported: number;
  problems: RecordProblem[];
  cancelled: boolean;
}

/** The JSON files holding records, in the order they are imported. */
function recordFiles(zip: ZipReader): string[] {
  const own = [TRAIN_FILE, VALIDATION_FILE].filter((f) => zip.has(f));
  if (own.length) return own;
  // Other tools' zips: every top-level .json except our info file.
  return zip.entries.map((e) => e.name).filter((n) => !n.includes('/') && n.toLowerCase().endsWith('.json') && n !== INFO_FILE);
}

export async function importHamsterZip(file: File, datasetName: string, opts: HamsterImportOptions): Promise<HamsterImportReport> {
  const zip = await ZipReader.open(file, `"${file.name}"`);
  const files = recordFiles(zip);
  if (!files.length) throw new Error(`"${file.name}" has no data.json (or other .json list of records) at its top level: it is not a HAMSTER / VILA SFT zip.`);
  let template = DEFAULT_PROMPT_TEMPLATE;
  if (zip.has(INFO_FILE)) {
    try {
      const info = JSON.parse(await zip.text(INFO_FILE)) as { options?: { promptTemplate?: unknown } };
      if (typeof info.options?.promptTemplate === 'string') template = info.options.promptTemplate;
    } catch {
      /* an unreadable info file only loses the custom template; <quest> still works */
    }
  }
  const problems: RecordProblem[] = [];
  const records: (ParsedSftRecord & { split: string })[] = [];
  for (const f of files) {
    let json: unknown;
    try {
      json = JSON.parse(await zip.text(f));
    } catch (e) {
      problems.push({ where: f, message: `is not valid JSON (${errorMessage(e)})` });
      continue;
    }
    const r = parseSftRecords(json, f, template);
    problems.push(...r.problems);
    records.push(...r.records.map((x) => ({ ...x, split: f === VALIDATION_FILE ? 'validation' : 'train' })));
  }

  // Each image once, in first-use order.
  const images = [...new Set(records.map((r) => r.image))];
  const assetOf = new Map<string, AssetRecord>();
  const badImage = new Map<string, string>();
  let done = 0;
  opts.onProgress?.(0, images.length);
  for (const name of images) {
    if (opts.signal?.aborted) return { datasetId: null, imported: 0, problems, cancelled: true };
    const entry = zip.get(name);
    if (!entry) badImage.set(name, `image "${name}" is not in the zip`);
    else {
      const blob = await zip.blob(entry, mimeFromFileName(name) ?? '');
      const imageFile = new File([blob], name.split('/').pop()!, { type: blob.type });
      const r = await opts.process(imageFile);
      if (r.ok) assetOf.set(name, { id: r.hash, crc32: r.crc32, blob: imageFile, mime: r.mime, size: r.size, width: r.width, height: r.height, thumbnail: r.thumbnail, createdAt: Date.now() });
      else badImage.set(name, `image "${name}": ${r.error}`);
    }
    opts.onProgress?.(++done, images.length);
  }
  if (opts.signal?.aborted) return { datasetId: null, imported: 0, problems, cancelled: true };

  const samples: NewSample[] = [];
  records.forEach((r, i) => {
    const asset = assetOf.get(r.image);
    if (!asset) return problems.push({ where: `${r.split === 'validation' ? VALIDATION_FILE : 'record'} ${r.id}`, message: badImage.get(r.image) ?? 'image missing' });
    samples.push({
      assetId: asset.id, instruction: r.instruction, path: r.path, status: 'done', source: 'import',
      provenance: { fileName: `${file.name}/${r.image}`, note: `HAMSTER zip record ${r.id} (${r.split}, #${i + 1})` },
    });
  });
  if (!samples.length) return { datasetId: null, imported: 0, problems: problems.length ? problems : [{ where: file.name, message: 'has no records' }], cancelled: false };
  // Dataset and samples in one transaction: a full disk leaves nothing behind, not an empty dataset.
  const { dataset } = await createDatasetWithSamples(datasetName, [...new Map([...assetOf.values()].map((a) => [a.id, a])).values()], samples);
  return { datasetId: dataset.id, imported: samples.length, problems, cancelled: false };
}
