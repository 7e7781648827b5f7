/**
 * Team scale, the browser side (docs/BENCHMARKS.md "Team"): joining a 100,000-sample shared dataset.
 * `npm run bench team` (or `BENCH_BASE_URL=… npx tsx bench/browser/team.bench.ts` against a running
 * `vite preview` of an automation build).
 *
 * The embedded team server (scripts/teamServer.mjs, its own process, a temporary data folder) is
 * seeded directly: the dataset published as sharing does (database, security object, rules,
 * catalogue entry: `TeamServer.publish`), then TEAM_PULL_SAMPLES (100,000) sample documents, the
 * dataset document and eight small JPEGs the samples share, in the engine's document format
 * (src/team/docs.ts) through `_bulk_docs`. Then a fresh headless Chromium profile signs in through
 * Settings → Team as an annotator and clicks Join, as a person would; the figure is the time from
 * that click to the dataset's Library page counting every sample (the join message, then the
 * Library opened on the dataset).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { freePort } from '../freePort';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { report } from '../report';
import { baseUrl, launchChromium, newBenchContext } from './browser';
import { fetchAs, startTeamServer, type TeamServerProcess } from '../../src/testing/teamServerProcess';
import { assetToDoc, datasetToDoc, sampleToDoc, type Stamp } from '../../src/team/docs';
import { datasetDbName, TeamServer } from '../../src/team/server';
import { sha256Hex } from '../../src/storage/hash';
import type { AssetRecord, SampleRecord } from '../../src/storage/types';

const SAMPLES = Number(process.env.TEAM_PULL_SAMPLES ?? 100_000);
const TIMEOUT_MS = Number(process.env.TEAM_PULL_TIMEOUT_SECONDS ?? 900) * 1000;
const ADMIN = { name: 'lead', password: 'lead-bench-pw' };
const USER = { name: 'puller', password: 'puller-bench-pw' };
const NAME = 'Team pull bench';
const count = SAMPLES.toLocaleString('en-US');
const metric = SAMPLES === 100_000 ? 'team.pull100k.seconds' : `team.pull${SAMPLES}.seconds`;

function machine(): string {
  const lscpu = spawnSync('lscpu', [], { encoding: 'utf8' }).stdout ?? '';
  const model = /^Model name:\s*(.+)$/m.exec(lscpu)?.[1].trim() ?? cpus()[0]?.model ?? 'unknown CPU';
  return `${model}, ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`;
}

/** Eight 160×120 JPEGs of different colours (ffmpeg), as asset records with their bytes. */
async function images(dir: string): Promise<{ record: AssetRecord; bytes: Buffer }[]> {
  return Promise.all(Array.from({ length: 8 }, async (_, i) => {
    const file = join(dir, `img${i}.jpg`);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `color=c=0x${(0x203040 + i * 0x1c1408).toString(16).padStart(6, '0')}:s=160x120`, '-frames:v', '1', file]);
    const bytes = readFileSync(file);
    const blob = new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' });
    return { record: { id: await sha256Hex(blob), blob, mime: 'image/jpeg', size: bytes.length, width: 160, height: 120, createdAt: 1000, thumbnail: blob }, bytes };
  }));
}

async function seed(server: TeamServerProcess, dir: string): Promise<{ datasetId: string; seconds: number }> {
  const t0 = Date.now();
  const asAdmin = fetchAs(`${ADMIN.name}:${ADMIN.password}`);
  const datasetId = randomUUID();
  const db = datasetDbName(datasetId);
  // As sharing does: the database with its security object and rules, and the catalogue entry.
  await new TeamServer(server.url, asAdmin).publish({ id: datasetId, name: NAME, db, sharedBy: ADMIN.name, sharedAt: Date.now(), samples: SAMPLES });
  const stamp: Stamp = { changedBy: ADMIN.name, changedAt: Date.now() };
  const bulk = async (docs: object[]) => {
    const res = await asAdmin(`${server.url}${db}/_bulk_docs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ docs }) });
    const body = (await res.json()) as { error?: string; reason?: string }[] | { error: string; reason: string };
    const failed = Array.isArray(body) ? body.filter((r) => r.error) : [body];
    if (!res.ok || failed.length) throw new Error(`seeding ${db}: HTTP ${res.status}, ${failed.length} refused: ${JSON.stringify(failed.slice(0, 2))}`);
  };
  const imgs = await images(dir);
  await bulk([
    datasetToDoc({ id: datasetId, name: NAME, createdAt: stamp.changedAt, updatedAt: stamp.changedAt }, stamp),
    ...imgs.map(({ record, bytes }) => assetToDoc(record, stamp, bytes.toString('base64'), bytes.toString('base64'))),
  ]);
  const statuses = ['draft', 'done'] as const;
  for (let from = 0; from < SAMPLES; from += 5000) {
    const docs = [];
    for (let i = from; i < Math.min(SAMPLES, from + 5000); i++) {
      const record: SampleRecord = {
        id: `s${String(i).padStart(6, '0')}`, datasetId, assetId: imgs[i % imgs.length].record.id, order: i,
        instruction: `pick the ${i % 7} cube and place it in bowl ${i % 13}`, path: null, status: statuses[i % 2], source: 'image',
        provenance: { fileName: `f${i}.jpg` }, createdAt: stamp.changedAt, updatedAt: stamp.changedAt,
      };
      docs.push(sampleToDoc(record, stamp));
    }
    await bulk(docs);
  }
  return { datasetId, seconds: (Date.now() - t0) / 1000 };
}

/** In the page: documents in the dataset's replica (0 before PouchDB created it) and samples in Dexie. */
async function countStored(datasetId: string): Promise<{ replica: number; dexie: number }> {
  const count = async (name: string, store: string) => {
    // Never open (and so create) a database PouchDB has not made yet: it would find it at the wrong version.
    if (!(await indexedDB.databases()).some((d) => d.name === name)) return 0;
    const open = indexedDB.open(name);
    const db: IDBDatabase = await new Promise((res, rej) => { open.onsuccess = () => res(open.result); open.onerror = () => rej(open.error); });
    try {
      if (!db.objectStoreNames.contains(store)) return 0;
      return await new Promise<number>((res, rej) => {
        const r = db.transaction(store).objectStore(store).count();
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
    } finally {
      db.close();
    }
  };
  return { replica: await count(`_pouch_path-studio-team-${datasetId}`, 'document-store'), dexie: await count('path-studio', 'samples') };
}

async function main(): Promise<void> {
  const before = machine();
  console.log(`team pull bench: ${count} samples; ${before}`);
  const dir = mkdtempSync(join(tmpdir(), 'path-studio-team-pull-'));
  let server: TeamServerProcess | null = null;
  const browser = await launchChromium();
  try {
    server = await startTeamServer({
      dir, port: await freePort('TEAM_BENCH_PORT'), admin: `${ADMIN.name}:${ADMIN.password}`, users: [`${USER.name}:${USER.password}:annotator`], origins: [new URL(baseUrl).origin],
    });
    const { datasetId, seconds: seedSeconds } = await seed(server, dir);
    console.log(`seeded the server with ${count} samples in ${seedSeconds.toFixed(1)} s`);

    // A fresh profile signs in through Settings → Team, as in e2e/team.spec.ts.
    const context = await newBenchContext(browser);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/settings`);
    const card = page.locator('.card[aria-label="Team"]');
    await card.getByTestId('team-server-url').fill(server.url);
    await card.getByRole('button', { name: 'Use this server' }).click();
    await card.getByLabel('Team user name').fill(USER.name);
    await card.getByLabel('Team password').fill(USER.password);
    await card.getByRole('button', { name: 'Sign in' }).click();
    await card.getByTestId('team-user').filter({ hasText: `Signed in as ${USER.name}` }).waitFor({ timeout: 60_000 });
    const joinButton = card.getByRole('button', { name: `Join ${NAME}` });
    await joinButton.waitFor({ timeout: 60_000 });

    const t0 = Date.now();
    await joinButton.click();
    const message = card.getByTestId('team-message');
    // Where the time goes, sampled once a second: documents in the replica (PouchDB's IndexedDB
    // database, opened only once PouchDB made it) and samples in the studio's Dexie.
    const phases = { pulledAt: NaN, mirrorStartAt: NaN, mirroredAt: NaN };
    let probing = true;
    const probe = (async () => {
      while (probing) {
        const c = await page.evaluate(countStored, datasetId).catch(() => null);
        const now = Date.now();
        // The dataset and its samples: a join leaves the images on the server.
        if (c && c.replica >= SAMPLES + 1 && Number.isNaN(phases.pulledAt)) phases.pulledAt = now;
        if (c && c.dexie > 0 && Number.isNaN(phases.mirrorStartAt)) phases.mirrorStartAt = now;
        if (c && c.dexie >= SAMPLES && Number.isNaN(phases.mirroredAt)) phases.mirroredAt = now;
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();
    await message.filter({ hasText: /Joined|Could not join/ }).waitFor({ timeout: TIMEOUT_MS });
    const text = (await message.textContent()) ?? '';
    if (!text.includes('Joined')) throw new Error(`the join failed: ${text}`);
    const joinedAt = Date.now();
    await page.goto(`${baseUrl}/library/${datasetId}`);
    await page.getByTestId('count-all').filter({ hasText: new RegExp(`^${SAMPLES}$`) }).waitFor({ timeout: TIMEOUT_MS });
    await page.getByTestId('sample-tile').first().waitFor({ timeout: 60_000 });
    const seconds = (Date.now() - t0) / 1000;
    probing = false;
    await probe;
    // A phase the once-a-second probe did not see before the page left for the Library is said so, not printed as NaN.
    const sec = (at: number) => (Number.isNaN(at) ? 'not seen before the join ended' : `${((at - t0) / 1000).toFixed(1)} s`);
    const during = machine();
    report({
      metric, value: +seconds.toFixed(1), unit: 's', target: SAMPLES === 100_000 ? '< 60' : undefined,
      note: `click Join → the Library counts all ${count} samples, fresh Chromium profile: join ${((joinedAt - t0) / 1000).toFixed(1)} s (every document in the replica at ${sec(phases.pulledAt)}, first sample in the studio's IndexedDB at ${sec(phases.mirrorStartAt)}, all at ${sec(phases.mirroredAt)}: sampled each second), Library ${((Date.now() - joinedAt) / 1000).toFixed(1)} s; the server seeded in ${seedSeconds.toFixed(0)} s (not timed); ${during}`,
    });
    await context.close();
    console.log(`load before: ${before}; after: ${machine()}`);
  } finally {
    await browser.close();
    await server?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
