/**
 * One simulated annotator of the team scale bench (bench/node/team.bench.ts), as its own Node
 * process: the engine binds one Dexie database per process (storage/db `setDb`), so ten annotators
 * are ten processes. It runs the studio's own code: Dexie on fake-indexeddb, the storage functions
 * (`createDatasetWithSamples`, `updateSample`), the change feed, `DatasetReplica` (src/team) with a
 * memory PouchDB replica and the `pouchdb` package's HTTP adapter for the server.
 *
 *   node --import tsx bench/node/teamAnnotator.ts --server URL --user NAME --password PW
 *        --index I --clients N --role share|join --name DATASET [--samples 300] [--period 2000]
 *
 * Talks to the coordinator in JSON lines: prints `READY {…}` once the dataset is shared or joined
 * and mirrored, waits for `GO {startAt, endAt}` on stdin, saves an edit of one of its own samples
 * every period (the instruction becomes `bench edit c<I> s<seq> t<sent ms>`), prints `SENT {…}`
 * after the last, waits for `EXPECT {sent: [per client], drainMs}`, waits until every other client's
 * edit has reached its Dexie (or the drain time is over) and its own are on the server, prints
 * `DRAINED`, waits for `FINISH` (every client drained), then prints `RESULT {…}` and exits.
 * Arrivals are noted from the change feed (`storage/changeFeed.ts`) when the remote mirror's Dexie
 * transaction commits, and read back through `getSamples`.
 */
import 'fake-indexeddb/auto';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import PouchDBNode from 'pouchdb';
import { createDatasetWithSamples, getSamples, updateSample } from '../../src/storage';
import { setDb, StudioDatabase } from '../../src/storage/db';
import { onStoredChanges } from '../../src/storage/changeFeed';
import { sha256Hex } from '../../src/storage/hash';
import { readDatasetSamples } from '../../src/storage/replica';
import type { AssetRecord, SampleRecord } from '../../src/storage/types';
import { memoryPlatform } from '../../src/team/nodePlatform';
import { localReplicaName, type TeamPlatform } from '../../src/team/platform';
import type { PouchStatic } from '../../src/team/pouch';
import { DatasetReplica } from '../../src/team/replica';
import { datasetDbName, TeamServer } from '../../src/team/server';
import { fetchAs } from '../../src/testing/teamServerProcess';

const { values: args } = parseArgs({
  options: {
    server: { type: 'string' }, user: { type: 'string' }, password: { type: 'string' },
    index: { type: 'string', default: '0' }, clients: { type: 'string', default: '10' },
    role: { type: 'string', default: 'join' }, name: { type: 'string', default: 'team bench' },
    samples: { type: 'string', default: '300' }, period: { type: 'string', default: '2000' },
  },
});

const INDEX = Number(args.index);
const CLIENTS = Number(args.clients);
const PERIOD_MS = Number(args.period);
const USER = args.user!;
const PASSWORD = args.password!;
const HttpPouch = PouchDBNode as PouchStatic;
const authFetch = fetchAs(`${USER}:${PASSWORD}`);
const server = new TeamServer(args.server!, authFetch);
const mem = memoryPlatform(`bench-${INDEX}-`);
// The replica in memory (as the unit tests' Node client), the server over HTTP with this user's password.
const platform: TeamPlatform = {
  ...mem,
  openRemote: (url) => new HttpPouch(url, { skip_setup: true, auth: { username: USER, password: PASSWORD } }),
};

const MARKER = /^bench edit c(\d+) s(\d+) t(\d+)$/;

function send(kind: string, body: unknown): void {
  process.stdout.write(`${kind} ${JSON.stringify(body)}\n`);
}

const lines = createInterface({ input: process.stdin });
const waiters = new Map<string, (body: unknown) => void>();
const early = new Map<string, unknown>();
lines.on('line', (line) => {
  const space = line.indexOf(' ');
  const kind = space < 0 ? line : line.slice(0, space);
  const body: unknown = space < 0 ? null : JSON.parse(line.slice(space + 1));
  const waiter = waiters.get(kind);
  if (waiter) {
    waiters.delete(kind);
    waiter(body);
  }
  else early.set(kind, body);
});
const waitFor = <T>(kind: string) => new Promise<T>((resolve) => {
  if (early.has(kind)) return resolve(early.get(kind) as T);
  waiters.set(kind, (b) => resolve(b as T));
});

/** A few small "images" the samples share (the engine stores each once, by SHA-256). */
async function assets(count: number): Promise<AssetRecord[]> {
  return Promise.all(Array.from({ length: count }, async (_, i) => {
    const blob = new Blob([`team bench image ${i} `.repeat(200)], { type: 'image/png' });
    return { id: await sha256Hex(blob), blob, mime: 'image/png', size: blob.size, width: 64, height: 48, createdAt: 1000, thumbnail: new Blob([`thumb ${i}`], { type: 'image/jpeg' }) };
  }));
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main(): Promise<void> {
  setDb(new StudioDatabase(`path-studio-bench-${INDEX}`));
  const t0 = Date.now();
  let datasetId: string;
  let local;
  if (args.role === 'share') {
    // As teamController.share: the dataset is in Dexie, published (database, rules, catalogue), then replicated.
    const images = await assets(4);
    const count = Number(args.samples);
    const { dataset } = await createDatasetWithSamples(args.name!, images, Array.from({ length: count }, (_, i) => ({
      assetId: images[i % images.length].id, source: 'image' as const, instruction: `pick the ${i % 7} block`, provenance: { fileName: `f${i}.png` },
    })));
    datasetId = dataset.id;
    await server.publish({ id: dataset.id, name: dataset.name, db: datasetDbName(dataset.id), sharedBy: USER, sharedAt: Date.now(), samples: count });
    local = platform.openLocal(localReplicaName(datasetId));
  } else {
    // As teamController.join: the catalogue entry, one replication of everything, then the mirror catches up.
    const entry = (await server.catalogue()).find((e) => e.name === args.name);
    if (!entry) throw new Error(`"${args.name}" is not in the server's catalogue`);
    datasetId = entry.id;
    local = platform.openLocal(localReplicaName(datasetId));
    await local.replicate.from(platform.openRemote(server.dbUrl(entry.db)), { batch_size: 100 });
  }
  if (process.env.TEAM_BENCH_SYNC_EXTRA) {
    // An experiment, off by default: options merged into the replica's PouchDB.sync (serverLink.ts),
    // e.g. {"pull":{"checkpoint":"target"}}, to see what a change there would give.
    const extra = JSON.parse(process.env.TEAM_BENCH_SYNC_EXTRA) as Record<string, unknown>;
    const sync = local.sync.bind(local);
    local.sync = (remote, options) => sync(remote, { ...options, ...extra });
  }
  const replica = new DatasetReplica({ datasetId, local, platform, user: () => USER, retryMaxMs: 2000 });
  await replica.start();
  await replica.caughtUp();
  const remote = platform.openRemote(server.dbUrl(datasetDbName(datasetId)));
  replica.connect(remote);
  const samples = (await readDatasetSamples(datasetId)).sort((a, b) => a.order - b.order);
  if (args.role === 'share') {
    // Shared once the server holds every sample (and the dataset and its images).
    await waitUntil('the server to hold the dataset', async () => replica.status.state === 'idle' && (await remote.info()).doc_count >= samples.length + 5, 600_000);
  }
  await replica.idle();
  const own = samples.filter((s) => s.order % CLIENTS === INDEX % CLIENTS);

  // Every other client's edit as it reaches this Dexie: `${client}:${seq}` → arrival times (ms).
  const arrivals = new Map<string, { at: number[]; sentAt: number; sampleId: string }>();
  let reads = Promise.resolve();
  onStoredChanges((changes) => {
    const at = Date.now();
    const keys = changes.filter((c) => c.table === 'samples').flatMap((c) => c.keys ?? samples.map((s) => s.id));
    if (!keys.length) return;
    reads = reads.then(async () => {
      for (const record of await getSamples(keys)) {
        const m = record && MARKER.exec(record.instruction);
        if (!m || Number(m[1]) === INDEX) continue;
        const key = `${m[1]}:${m[2]}`;
        const seen = arrivals.get(key);
        if (seen) seen.at.push(at);
        else arrivals.set(key, { at: [at], sentAt: Number(m[3]), sampleId: record.id });
      }
    }).catch((err) => console.error(`annotator ${INDEX}: reading changed samples failed: ${err instanceof Error ? err.message : String(err)}`));
  });
  send('READY', { index: INDEX, datasetId, samples: samples.length, own: own.length, setupMs: Date.now() - t0 });

  const { startAt, endAt } = await waitFor<{ startAt: number; endAt: number }>('GO');
  const cpu0 = process.cpuUsage();
  const sent: { seq: number; sampleId: string; sentAt: number; savedMs: number }[] = [];
  // Staggered: client I saves at startAt + I·period/N + k·period, on an absolute schedule (no drift).
  const first = startAt + (INDEX * PERIOD_MS) / CLIENTS;
  for (let k = 0; first + k * PERIOD_MS < endAt; k++) {
    const due = first + k * PERIOD_MS;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    const target: SampleRecord = own[k % own.length];
    const sentAt = Date.now();
    await updateSample(target.id, { instruction: `bench edit c${INDEX} s${k} t${sentAt}` });
    sent.push({ seq: k, sampleId: target.id, sentAt, savedMs: Date.now() - sentAt });
  }
  const cpu = process.cpuUsage(cpu0);
  send('SENT', { index: INDEX, sent: sent.length, cpuSeconds: (cpu.user + cpu.system) / 1e6 });

  const { sent: counts, drainMs } = await waitFor<{ sent: number[]; drainMs: number }>('EXPECT');
  const expected = counts.reduce((n, c, i) => (i === INDEX ? n : n + c), 0);
  const drainUntil = Date.now() + drainMs;
  while (Date.now() < drainUntil) {
    await reads;
    if ([...arrivals.keys()].filter((k) => Number(k.split(':')[1]) < counts[Number(k.split(':')[0])]).length >= expected) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  // Its own edits on the server too (push and pull at rest), then stay until every client says so.
  await waitUntil('the replica to be in sync', async () => replica.status.state === 'idle', 60_000).catch(() => undefined);
  send('DRAINED', { index: INDEX });
  await waitFor('FINISH');
  await replica.idle();
  await reads;
  const final = Object.fromEntries((await readDatasetSamples(datasetId)).map((s) => [s.id, s.instruction]));
  const status = replica.status;
  send('RESULT', {
    index: INDEX, user: USER, sent, final,
    arrivals: [...arrivals].map(([key, v]) => ({ key, sampleId: v.sampleId, sentAt: v.sentAt, at: v.at })),
    conflicts: status.conflicts, refused: status.refused.length, state: status.state, message: status.message,
  });
  await replica.stop();
  lines.close();
  process.exit(0);
}

main().catch((err) => {
  console.error(`annotator ${INDEX}: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
