import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePath } from '../../../src/core/codec.ts';
import { gripperChangeIndices } from '../../../src/core/path.ts';
import { INFO_FILE, TRAIN_FILE } from '../../../src/formats/hamster/layout.ts';
import { instructionFromPrompt, type SftRecord } from '../../../src/formats/hamster/records.ts';
import { sampleScene } from '../scene/tasks.ts';
import { generateOffDomain } from './generateOffDomain.ts';

const root = mkdtempSync(join(tmpdir(), 'offdomain-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const options = { episodes: 3, seed: 40, tasks: ['pick_place', 'press_button', 'knock_down'] as const, sketch: true };

describe('generateOffDomain', () => {
  it('writes a HAMSTER SFT folder of path-only sketches, byte-identical for the same arguments', async () => {
    const a = join(root, 'a'), b = join(root, 'b');
    const summary = await generateOffDomain({ ...options, tasks: [...options.tasks], out: a });
    expect(summary.written).toBe(3);
    await generateOffDomain({ ...options, tasks: [...options.tasks], out: b });

    const records = JSON.parse(readFileSync(join(a, TRAIN_FILE), 'utf8')) as SftRecord[];
    const info = JSON.parse(readFileSync(join(a, INFO_FILE), 'utf8'));
    expect(records).toHaveLength(3);
    expect(info.counts.train.samples).toBe(3);
    records.forEach((r, i) => {
      const seed = options.seed + i;
      expect(instructionFromPrompt(r.conversations[0].value)).toBe(sampleScene(seed).task.instruction);
      const parsed = parsePath(r.conversations[1].value);
      if (!parsed.ok) throw new Error(parsed.error.message);
      expect(parsed.path.points.length).toBeGreaterThanOrEqual(3);
      expect(parsed.path.points.length).toBeLessThanOrEqual(8);
      // The sketch's events are the expert path's (kept in export_info.json).
      const expert = info.offdomain.samples[i].expert_path as [number, number, boolean][];
      const expertEvents = expert.filter((p, k) => p[2] !== (k > 0 ? expert[k - 1][2] : false)).map((p) => p[2]);
      expect(gripperChangeIndices(parsed.path).map((k) => parsed.path.points[k].gripper === 'closed')).toEqual(expertEvents);
      const jpeg = readFileSync(join(a, r.image));
      expect([...jpeg.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    });
    for (const file of [TRAIN_FILE, INFO_FILE, ...readdirSync(join(a, 'images')).map((f) => `images/${f}`)]) {
      expect(readFileSync(join(b, file)).equals(readFileSync(join(a, file)))).toBe(true);
    }
  }, 60_000);
});
