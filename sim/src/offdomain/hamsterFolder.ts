/**
 * Path-only episodes as a HAMSTER / VILA SFT folder (docs/EXPORT.md): `data.json` (LLaVA records
 * with HAMSTER's prompt and `<ans>` path, built by the studio's src/formats/hamster), the images
 * under `images/<sha256>.jpg`, and `export_info.json`. It is the layout of the studio's HAMSTER zip,
 * unzipped: the planner trainer reads it as is (`train.py planner --vila DIR`).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Path } from '../../../src/core/path.ts';
import { HAMSTER_FORMAT, imageFileName, IMAGE_DIR, INFO_FILE, TRAIN_FILE } from '../../../src/formats/hamster/layout.ts';
import { DEFAULT_PROMPT_TEMPLATE, sftRecord, type SftRecord } from '../../../src/formats/hamster/records.ts';

export interface HamsterFolderOptions {
  /** Digits of each coordinate in the answer. */
  decimals?: number;
}

export class HamsterFolderWriter {
  private readonly records: SftRecord[] = [];
  private readonly images = new Set<string>();
  private readonly decimals: number;

  constructor(private readonly root: string, options: HamsterFolderOptions = {}) {
    this.decimals = options.decimals ?? 3;
    mkdirSync(join(root, IMAGE_DIR), { recursive: true });
  }

  get samples(): number { return this.records.length; }

  /** Writes the JPEG now; the record goes into data.json at `finish`. */
  add(id: string, jpeg: Uint8Array, instruction: string, path: Path): void {
    const image = imageFileName(createHash('sha256').update(jpeg).digest('hex'), 'image/jpeg');
    if (!this.images.has(image)) writeFileSync(join(this.root, image), jpeg);
    this.images.add(image);
    this.records.push(sftRecord(id, image, instruction, path, { decimals: this.decimals, simplifyEpsilon: null, promptTemplate: DEFAULT_PROMPT_TEMPLATE }));
  }

  /** data.json and export_info.json (the export's fields, then `extra`: what made the data). */
  finish(skipped: { id: string; reason: string }[], extra: Record<string, unknown>): void {
    writeFileSync(join(this.root, TRAIN_FILE), '[' + this.records.map((r, i) => (i ? ',\n' : '\n') + JSON.stringify(r)).join('') + '\n]\n');
    const info = {
      format: HAMSTER_FORMAT,
      version: 1,
      generator: 'Path Studio sim (sim/src/offdomain)',
      files: { train: TRAIN_FILE, validation: null, images: IMAGE_DIR },
      options: { decimals: this.decimals, simplifyEpsilon: null, promptTemplate: DEFAULT_PROMPT_TEMPLATE },
      counts: { train: { samples: this.records.length, images: this.images.size }, validation: { samples: 0, images: 0 }, images: this.images.size, skipped: skipped.length },
      skipped,
      ...extra,
    };
    writeFileSync(join(this.root, INFO_FILE), JSON.stringify(info, null, 2) + '\n');
  }
}
