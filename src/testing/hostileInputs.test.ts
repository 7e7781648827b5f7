// @vitest-environment node
/**
 * The hostile-input suite: bad input of every kind the studio reads — crafted backups (hashes
 * recomputed, so only the record types betray them), robot messages, robot profiles, model cards,
 * image headers, HAMSTER records — each case asserting that it is refused with a specific message
 * (never a generic JavaScript error), that nothing crashes, and that the database is unchanged
 * (table counts and a hash of every record). It prints the totals the issue asks for.
 * The browser-side cases (decompression bombs, damaged videos, a frozen robot, a PNG-op peer) are
 * in e2e/ and the unit tests next to their code; this file is the breadth.
 */
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { makeZip } from 'client-zip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackupArchive } from '../exporters/backup/backupZip';
import { importHamsterZip, parseSftRecords } from '../importers/hamsterZip';
import { sniffImage } from '../core/imageSniff';
import { parseModelCard } from '../inference/modelCard';
import { parseCameraInfo, parseCompressedImage, parseDepthImage, parseJointState, parseTfMessage } from '../robot/messages';
import { validateProfile } from '../robot/profile';
import { backupEntries, restoreBackup } from '../storage/backup';
import { createDataset } from '../storage/datasets';
import { getDb, setDb, StudioDatabase } from '../storage/db';
import { assetKeys, sha256Hex } from '../storage/hash';
import { addSamplesWithAssets } from '../storage/samples';
import { craftBackup } from './craftedBackup';
import { errorMessage } from '../core/errorMessage';

/** What a message must never look like: the runtime talking, not the studio. */
const GENERIC = /is not a function|Cannot read propert|undefined \(reading|Unexpected token|\[object Object\]|^Error$|is not defined|Maximum call stack|NaN is not|Invalid time value/;

const totals = { cases: 0, crashes: 0, databaseChanges: 0, genericMessages: 0 };

/** Counts one case: `message` is what the user would read (null = the input was refused silently, e.g. a dropped robot message). */
function record(message: string | null, crashed = false): void {
  totals.cases++;
  if (crashed) totals.crashes++;
  if (message !== null && GENERIC.test(message)) totals.genericMessages++;
}

/** Table counts and a hash of every record (Blobs by content): "the database is unchanged". */
async function databaseFingerprint(): Promise<string> {
  const db = getDb();
  const norm = async (v: unknown): Promise<unknown> => {
    if (v instanceof Blob) return `blob:${await sha256Hex(v)}`;
    if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
    if (v instanceof Date) return `date:${v.getTime()}`;
    if (Array.isArray(v)) return Promise.all(v.map(norm));
    if (v && typeof v === 'object') return Object.fromEntries(await Promise.all(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(async ([k, x]) => [k, await norm(x)])));
    return v;
  };
  const out: Record<string, unknown> = {};
  for (const t of db.tables) out[t.name] = { count: await t.count(), records: await Promise.all((await t.toArray()).map(norm)) };
  return sha256Hex(new TextEncoder().encode(JSON.stringify(out)));
}

const backupZipEntries: { path: string; data: Uint8Array }[] = [];
let fingerprint = '';

beforeAll(async () => {
  setDb(new StudioDatabase('hostile-inputs'));
  const d = await createDataset('kitchen');
  const blob = (s: string) => new Blob([s], { type: 'image/png' });
  const a = { id: await sha256Hex(blob('img-a')), blob: blob('img-a'), thumbnail: blob('thumb'), mime: 'image/png', size: 5, width: 4, height: 3, createdAt: 1 };
  await addSamplesWithAssets(d.id, [a], [{ assetId: a.id, source: 'image', instruction: 'pick', path: { initialGripper: 'open', points: [{ x: 0.1, y: 0.2, gripper: 'closed' }] }, status: 'done', provenance: { fileName: 'a.png' } }]);
  const db = getDb();
  await db.episodes.add({ id: 'e1', datasetId: d.id, task: 'pick', createdAt: 3, data: { states: [[1, 2]] } });
  await db.models.add({ id: 'm1', name: 'planner', role: 'planner', onnx: new Blob(['onnx']), card: { inputs: [] }, createdAt: 4 });
  await db.runs.add({ id: 'r1', modelIds: ['m1'], metrics: { success: 0.5 }, createdAt: 5 });
  await db.videos.add({ id: 'v1', datasetId: d.id, assetId: a.id, name: 'v.mp4', codec: 'avc1', width: 4, height: 3, fps: 30, frameCount: 10, durationSeconds: 0.33, annotation: {}, createdAt: 6, updatedAt: 6 });
  await db.calibrations.add({ id: 'c1', datasetId: d.id, camera: 'front', projection: Array.from({ length: 12 }, (_, i) => i), width: 4, height: 3, source: 'manual', createdAt: 7 });
  for await (const e of backupEntries()) backupZipEntries.push(e);
  fingerprint = await databaseFingerprint();
});

afterAll(() => {
  console.log(`hostile inputs: ${totals.cases} cases, ${totals.crashes} crashes, ${totals.databaseChanges} database changes, ${totals.genericMessages} generic messages`);
});

// ---------------------------------------------------------------------------------------------
// Crafted backups: every field of every table set to what it must not be, hashes recomputed.

const WRONG = {
  date: { $date: 0 }, number: 42, text: 'x', nothing: null, list: [], object: { a: 1 }, nan: { $number: 'NaN' },
} as const;
type Wrong = keyof typeof WRONG;

/** Per table: its fields, with the wrong values each must refuse (a text field takes any text, so 'text' is not wrong for it). */
const FIELDS: Record<string, Record<string, Wrong[]>> = {
  datasets: { id: ['number', 'nothing', 'object'], name: ['date', 'number', 'nothing', 'list', 'object'], createdAt: ['text', 'date', 'nan', 'nothing'], updatedAt: ['text', 'nan'], deletedAt: ['text', 'date'] },
  assets: { blob: ['text', 'number', 'object'], mime: ['number', 'object'], size: ['text', 'nan'], width: ['text', 'nan'], height: ['text', 'list'], thumbnail: ['text', 'number'], createdAt: ['text'] },
  samples: {
    datasetId: ['number', 'nothing'], assetId: ['number', 'object'], order: ['text', 'nan'], instruction: ['number', 'date', 'object'],
    path: ['text', 'number', 'list', 'date'], status: ['number', 'text'], source: ['text', 'nothing'], provenance: ['text', 'nothing', 'number'],
    review: ['text', 'number'], prelabeled: ['text', 'number'], createdAt: ['text'], updatedAt: ['nan'],
  },
  episodes: { datasetId: ['number'], task: ['number', 'object', 'date'], data: ['text', 'nothing', 'number', 'list'], createdAt: ['text'] },
  models: { name: ['number', 'date'], role: ['text', 'number'], onnx: ['text', 'object', 'nothing'], card: ['text', 'list', 'nothing'], createdAt: ['nan'] },
  runs: { modelIds: ['text', 'object', 'number'], episodeId: ['number', 'object'], metrics: ['text', 'list'], createdAt: ['text'] },
  videos: { name: ['number'], codec: ['object'], width: ['text'], height: ['nan'], fps: ['text'], frameCount: ['text'], durationSeconds: ['nan'], annotation: ['text', 'list'], createdAt: ['text'], updatedAt: ['date'] },
  calibrations: { camera: ['number'], projection: ['text', 'object', 'list'], width: ['text'], height: ['nan'], source: ['text', 'number'], rmsPx: ['text'], createdAt: ['text'] },
};

/** Path-level mutations of a sample: the shapes a hand-edited or hostile backup could carry. */
const PATHS: [string, unknown][] = [
  ['points as text', { initialGripper: 'open', points: 'x' }],
  ['a point with text x', { initialGripper: 'open', points: [{ x: '0.1', y: 0.2, gripper: 'open' }] }],
  ['a point with NaN y', { initialGripper: 'open', points: [{ x: 0.1, y: { $number: 'NaN' }, gripper: 'open' }] }],
  ['a point with Infinity x', { initialGripper: 'open', points: [{ x: { $number: 'Infinity' }, y: 0.2, gripper: 'open' }] }],
  ['gripper "half"', { initialGripper: 'open', points: [{ x: 0.1, y: 0.2, gripper: 'half' }] }],
  ['initialGripper missing', { points: [] }],
  ['a point that is a list', { initialGripper: 'open', points: [[0.1, 0.2]] }],
  ['a point without y', { initialGripper: 'open', points: [{ x: 0.1, gripper: 'open' }] }],
];

const craftedBackup = (table: string, change: (r: Record<string, unknown>) => void) => craftBackup(backupZipEntries, table, change);

async function expectRefusedRestore(zip: Blob, message: RegExp): Promise<void> {
  let text: string;
  let crashed = false;
  try {
    await restoreBackup(await openBackupArchive(zip));
    text = 'restored';
  } catch (e) {
    text = errorMessage(e);
    crashed = !(e instanceof Error) || e.name === 'TypeError' || e.name === 'RangeError';
  }
  const changed = (await databaseFingerprint()) !== fingerprint;
  if (changed) totals.databaseChanges++;
  record(text, crashed);
  expect(text).toMatch(message);
  expect(text).toContain('Nothing was restored');
  expect(changed).toBe(false);
}

describe('crafted backups are refused whole, naming table and field; the database is unchanged', () => {
  const cases = Object.entries(FIELDS).flatMap(([table, fields]) => Object.entries(fields).flatMap(([field, wrongs]) => wrongs.map((w) => [table, field, w] as const)));
  it.each(cases)('%s.%s = %s', async (table, field, wrong) => {
    const zip = await craftedBackup(table, (r) => { r[field] = WRONG[wrong]; });
    await expectRefusedRestore(zip, new RegExp(`The backup's ${table} table has a record this studio cannot use \\(.*${field.replace('.', '\\.')}`));
  });
  it.each(Object.keys(FIELDS).map((t) => [t]))('a %s record without its key', async (table) => {
    await expectRefusedRestore(await craftedBackup(table, (r) => { delete r.id; }), /id is missing/);
  });
  it.each(PATHS)('a sample path with %s', async (_what, path) => {
    await expectRefusedRestore(await craftedBackup('samples', (r) => { r.path = path; }), /samples table .*path/);
  });
  it.each([
    ['a manifest without its database section', (m: Record<string, unknown>) => { delete m.database; }, /does not say which database it holds/],
    ['a manifest with tables as a list', (m: Record<string, unknown>) => { m.tables = []; }, /manifest\.json is incomplete|no table claims it/],
    ['a manifest with entries as text', (m: Record<string, unknown>) => { m.entries = 'all'; }, /manifest\.json is incomplete/],
    ['a manifest from a newer studio', (m: Record<string, unknown>) => { m.version = 99; }, /newer Path Studio/],
    ['a manifest of another program', (m: Record<string, unknown>) => { m.format = 'other'; }, /not a Path Studio backup/],
    ['a manifest naming an unknown table', (m: Record<string, unknown>) => { m.tables = { ...(m.tables as object), secrets: { records: 0, files: [] } }; }, /table "secrets" this studio does not know/],
  ] as const)('%s', async (_what, change, message) => {
    const zip = await craftBackup(backupZipEntries, null, undefined, change);
    let text = '';
    try {
      await restoreBackup(await openBackupArchive(zip));
    } catch (e) {
      text = errorMessage(e);
    }
    const changed = (await databaseFingerprint()) !== fingerprint;
    if (changed) totals.databaseChanges++;
    record(text);
    expect(text).toMatch(message);
    expect(changed).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// A hostile robot: malformed messages are dropped (null), never thrown into the page.

const HOSTILE_VALUES: unknown[] = [undefined, null, 0, -1, NaN, Infinity, 'text', '', [], [null], {}, { toString: 42 }, { valueOf: () => { throw new Error('boom'); } }, new Array(5), { __proto__: null }, true, Symbol.iterator];

describe('a hostile robot peer: every malformed message is dropped, none throws', () => {
  const parsers = { parseCompressedImage, parseCameraInfo, parseDepthImage, parseJointState, parseTfMessage };
  const shapes = (v: unknown): unknown[] => [
    v, { data: v }, { header: v, data: v, format: v }, { name: v, position: v }, { name: ['a', 'b'], position: [1] },
    { transforms: v }, { transforms: [v] }, { transforms: [{ header: { frame_id: 'a' }, child_frame_id: 'b', transform: { translation: v, rotation: v } }] },
    { width: v, height: v, k: v, K: v }, { width: 1e9, height: 1e9, encoding: '32FC1', data: v },
  ];
  const cases = Object.entries(parsers).flatMap(([name, parse]) => HOSTILE_VALUES.flatMap((v) => shapes(v).map((m) => [name, parse, m] as const)));
  it(`${cases.length} malformed messages across ${Object.keys(parsers).length} topics`, () => {
    for (const [, parse, message] of cases) {
      let crashed = false;
      try {
        (parse as (m: unknown) => unknown)(message);
      } catch {
        crashed = true;
      }
      record(null, crashed);
      expect(crashed).toBe(false);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Profiles, model cards, image headers, HAMSTER records: refused with words, never a crash.

describe('robot profiles, model cards, images and HAMSTER records', () => {
  const profile = { name: 'r', url: 'ws://r:9090', topics: {}, limits: { maxLinear: 0.2, maxAngular: 0.5 }, maxMessageBytes: 4096 };
  const badProfiles: unknown[] = [
    null, 'x', [], {}, { ...profile, url: 'http://x' }, { ...profile, url: 42 }, { ...profile, name: '' }, { ...profile, limits: { maxLinear: 50, maxAngular: 1 } },
    { ...profile, limits: null }, { ...profile, maxMessageBytes: 3 }, { ...profile, topics: { image: 'not a ros name!' } }, { ...profile, topics: { twist: '' } },
    { ...profile, motionTimeoutMs: 10 }, { ...profile, motionTimeoutMs: 'soon' }, { ...profile, silenceStopMs: 100, motionTimeoutMs: 500 }, { ...profile, silenceStopMs: 99_999 },
  ];
  it.each(badProfiles.map((p, i) => [i, p]))('profile %i is refused with its problems listed', (_i, p) => {
    const r = validateProfile(p);
    const text = r.ok ? '' : r.errors.join('; ');
    record(text);
    expect(r.ok).toBe(false);
    expect(text).not.toMatch(GENERIC);
  });

  const card = JSON.parse(readFileSync(new URL('../../public/models/planner/card.json', import.meta.url), 'utf8'));
  const badCards: [string, unknown][] = [
    ['not an object', 'card'], ['a list', []], ['no schema', { ...card, schema: undefined }], ['another schema', { ...card, schema: 'x/9' }],
    ['no name', { ...card, name: '' }], ['role "boss"', { ...card, role: 'boss' }], ['inputs as text', { ...card, inputs: 'image' }],
    ['an input without a name', { ...card, inputs: [{ shape: [1] }] }], ['a float64 input', { ...card, inputs: [{ name: 'a', dtype: 'float64', shape: [1] }] }],
    ['a negative dimension', { ...card, inputs: [{ name: 'a', shape: [-1] }] }], ['outputs as a number', { ...card, outputs: 3 }],
  ];
  it.each(badCards)('model card: %s', (_what, c) => {
    let crashed = false, text = '';
    try {
      const r = parseModelCard(c);
      text = r.ok ? '' : r.error;
      expect(r.ok).toBe(false);
    } catch (e) {
      crashed = !(e instanceof Error && e.name === 'AssertionError');
      if (!crashed) throw e;
    }
    record(text, crashed);
    expect(crashed).toBe(false);
  });

  const images: [string, number[]][] = [
    ['empty', []], ['text', [...'hello world, not an image'].map((c) => c.charCodeAt(0))], ['a GIF', [0x47, 0x49, 0x46, 0x38, 0x39, 0x61]],
    ['a PDF', [0x25, 0x50, 0x44, 0x46, 0x2d]], ['a zip', [0x50, 0x4b, 0x03, 0x04]], ['half a PNG signature', [0x89, 0x50, 0x4e]],
    ['random bytes', Array.from({ length: 32 }, (_, i) => (i * 73) & 255)], ['an MP4', [0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70]],
  ];
  it.each(images)('image header: %s', (_what, bytes) => {
    const r = sniffImage(new Uint8Array(bytes), 'file.png');
    const text = r.ok ? '' : r.reason;
    record(text);
    expect(r.ok).toBe(false);
    expect(text).toMatch(/“file\.png” is (empty|not a PNG, JPEG or WebP image)/);
  });

  const sft: [string, unknown][] = [
    ['not a list', { a: 1 }], ['a record that is text', ['x']], ['no conversations', [{ id: 'a', image: 'a.jpg' }]],
    ['conversations as text', [{ id: 'a', image: 'a.jpg', conversations: 'hi' }]], ['no answer', [{ id: 'a', image: 'a.jpg', conversations: [{ from: 'human', value: '<quest>x</quest>' }] }]],
    ['an answer without points', [{ id: 'a', image: 'a.jpg', conversations: [{ from: 'human', value: '<quest>x</quest>' }, { from: 'gpt', value: '<ans>[]</ans>' }] }]],
    ['a point out of range', [{ id: 'a', image: 'a.jpg', conversations: [{ from: 'human', value: '<quest>x</quest>' }, { from: 'gpt', value: '<ans>[(7, 9)]</ans>' }] }]],
    ['a value that is an object', [{ id: 'a', image: 'a.jpg', conversations: [{ from: 'human', value: { text: 'x' } }, { from: 'gpt', value: 1 }] }]],
  ];
  it.each(sft)('HAMSTER records: %s', (_what, json) => {
    let crashed = false;
    let problems: { message: string }[] = [];
    try {
      problems = parseSftRecords(json, 'data.json').problems;
    } catch {
      crashed = true;
    }
    for (const p of problems) record(p.message);
    if (!problems.length) record('', crashed);
    expect(crashed).toBe(false);
    expect(problems.length).toBeGreaterThan(0);
  });

  const zips: [string, () => Promise<Blob>, RegExp][] = [
    ['an empty file', async () => new Blob([]), /empty|not a ZIP|truncated/],
    ['a zip without data.json', async () => new Response(makeZip([{ name: 'readme.txt', input: 'hi' }])).blob(), /no data\.json/],
    ['a zip whose data.json is not JSON', async () => new Response(makeZip([{ name: 'data.json', input: '{oops' }])).blob(), /data\.json/],
    ['a zip whose records name missing images', async () => new Response(makeZip([{ name: 'data.json', input: JSON.stringify([{ id: 'a', image: 'images/a.jpg', conversations: [{ from: 'human', value: '<quest>x</quest>' }, { from: 'gpt', value: '<ans>[(0.1, 0.2)]</ans>' }] }]) }])).blob(), /./],
    ['a cut zip', async () => (await new Response(makeZip([{ name: 'data.json', input: '[]'.repeat(1000) }])).blob()).slice(0, 30), /truncated|not a ZIP/],
  ];
  it.each(zips)('HAMSTER zip: %s — refused or reported, no dataset left behind', async (_what, make, message) => {
    const process = async (f: File) => {
      const keys = await assetKeys(f);
      return { id: 0, ok: true as const, hash: keys.id, crc32: keys.crc32, mime: 'image/png', size: f.size, width: 8, height: 6, thumbnail: new Blob(['t']) };
    };
    let text: string;
    let datasetId: string | null = null;
    try {
      const report = await importHamsterZip(new File([await make()], 'x.zip'), 'hostile', { process });
      text = report.problems.map((p) => `${p.where} ${p.message}`).join(' ');
      datasetId = report.datasetId;
    } catch (e) {
      text = errorMessage(e);
    }
    const changed = datasetId !== null || (await databaseFingerprint()) !== fingerprint;
    if (changed) totals.databaseChanges++;
    record(text);
    expect(text).toMatch(message);
    expect(text).not.toMatch(GENERIC);
    expect(changed).toBe(false);
  });
});

describe('totals', () => {
  it('at least 150 cases, no crash, no database change, no generic message', () => {
    expect(totals.cases).toBeGreaterThanOrEqual(150);
    expect(totals).toMatchObject({ crashes: 0, databaseChanges: 0, genericMessages: 0 });
  });
});
