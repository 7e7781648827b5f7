/**
 * Team scale (docs/TEAMS.md, docs/BENCHMARKS.md "Team"): `npm run bench team` or
 * `npx tsx bench/node/team.bench.ts`.
 *
 * The embedded team server (scripts/teamServer.mjs, its own process, a temporary data folder, an
 * admin and nine annotator users), then TEAM_BENCH_CLIENTS (10) simulated annotators, each its own
 * Node process (bench/node/teamAnnotator.ts) running the studio's storage and replication code.
 * The first (the admin) shares a dataset of TEAM_BENCH_SAMPLES (300) samples on four images; the
 * others join it. Then every annotator saves an edit to one of its own samples every
 * TEAM_BENCH_PERIOD_MS (2000) for TEAM_BENCH_SECONDS (300), through `updateSample`, so the path is
 * the studio's: Dexie → change feed → replica → server → the others' replicas → their Dexie. Each
 * client notes when every other client's edit reaches its Dexie.
 *
 * Figures: edits sent, deliveries expected (edits × other clients), delivered, lost (never arrived
 * by the end of the drain, TEAM_BENCH_DRAIN_SECONDS, 60), duplicates (the same edit written into a
 * client's Dexie again), propagation p50 / p95 / max (save → the other's Dexie commit), conflicts
 * (samples with conflicting revisions on the server at the end), and whether every client ends with
 * the server's state of every sample. CPU model, cores and load are printed with them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { freePort } from '../freePort';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { percentile, report } from '../report';
import { basicAuth, startTeamServer, type TeamServerProcess } from '../../src/testing/teamServerProcess';
import { datasetDbName } from '../../src/team/server';

const CLIENTS = Number(process.env.TEAM_BENCH_CLIENTS ?? 10);
const SECONDS = Number(process.env.TEAM_BENCH_SECONDS ?? 300);
const SAMPLES = Number(process.env.TEAM_BENCH_SAMPLES ?? 300);
const PERIOD_MS = Number(process.env.TEAM_BENCH_PERIOD_MS ?? 2000);
const DRAIN_MS = Number(process.env.TEAM_BENCH_DRAIN_SECONDS ?? 60) * 1000;
const ADMIN = { name: 'lead', password: 'lead-bench-pw' };
const DATASET = 'team bench';
const M = `team.annotators${CLIENTS}`;

/** The machine, printed with the figures: lscpu's model name, cores, load. */
function machine(): string {
  const lscpu = spawnSync('lscpu', [], { encoding: 'utf8' }).stdout ?? '';
  const model = /^Model name:\s*(.+)$/m.exec(lscpu)?.[1].trim() ?? cpus()[0]?.model ?? 'unknown CPU';
  return `${model}, ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`;
}

/** User + system CPU seconds of a process so far (/proc/PID/stat; NaN off Linux). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Notes when each edit's marker first appears on the server's continuous changes feed, until aborted. */
async function watchServer(dbUrl: string, auth: string, seen: Map<string, number>, signal: AbortSignal): Promise<void> {
  try {
    // identity: the server compresses the feed for a client that accepts gzip, and so holds it back.
    const headers = { authorization: auth, 'accept-encoding': 'identity' };
    const res = await fetch(`${dbUrl}/_changes?feed=continuous&include_docs=true&since=now&heartbeat=5000`, { headers, signal });
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      const at = Date.now();
      buffered += decoder.decode(chunk, { stream: true });
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const m = line.trim() && /"instruction":"bench edit c(\d+) s(\d+) t\d+"/.exec(line);
        if (m && !seen.has(`${m[1]}:${m[2]}`)) seen.set(`${m[1]}:${m[2]}`, at);
      }
    }
  } catch (err) {
    if (!signal.aborted) console.log(`the server's changes feed stopped: ${err instanceof Error ? err.message : String(err)}`);
  }
}

interface Client {
  index: number;
  child: ChildProcess;
  output: string[];
  next(kind: string, timeoutMs: number): Promise<unknown>;
  tell(kind: string, body: unknown): void;
}

interface Result {
  index: number;
  user: string;
  sent: { seq: number; sampleId: string; sentAt: number; savedMs: number }[];
  final: Record<string, string>;
  arrivals: { key: string; sampleId: string; sentAt: number; at: number[] }[];
  conflicts: string[];
  refused: number;
  state: string;
  message: string | null;
}

function startClient(index: number, args: string[]): Client {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/node/teamAnnotator.ts', '--index', String(index), '--clients', String(CLIENTS), '--period', String(PERIOD_MS), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const output: string[] = [];
  const queue: { kind: string; body: unknown }[] = [];
  const waiting: { kind: string; resolve: (b: unknown) => void; reject: (e: Error) => void }[] = [];
  const deliver = () => {
    for (const w of [...waiting]) {
      const i = queue.findIndex((m) => m.kind === w.kind);
      if (i < 0) continue;
      w.resolve(queue.splice(i, 1)[0].body);
      waiting.splice(waiting.indexOf(w), 1);
    }
  };
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const m = /^(READY|SENT|DRAINED|RESULT) (.*)$/.exec(line);
    if (m) {
      queue.push({ kind: m[1], body: JSON.parse(m[2]) });
      deliver();
    } else output.push(line);
  });
  createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
  child.once('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`annotator ${index} exited (${code}) before ${w.kind}:\n${output.slice(-30).join('\n')}`));
  });
  return {
    index, child, output,
    next: (kind, timeoutMs) => new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`annotator ${index}: no ${kind} within ${timeoutMs / 1000} s:\n${output.slice(-30).join('\n')}`)), timeoutMs);
      waiting.push({ kind, resolve: (b) => { clearTimeout(timer); resolve(b); }, reject: (e) => { clearTimeout(timer); reject(e); } });
      if (child.exitCode !== null) return reject(new Error(`annotator ${index} exited (${child.exitCode}):\n${output.slice(-30).join('\n')}`));
      deliver();
    }),
    tell: (kind, body) => void child.stdin!.write(`${kind} ${JSON.stringify(body)}\n`),
  };
}

async function main(): Promise<void> {
  const before = machine();
  console.log(`team bench: ${CLIENTS} annotators, ${SAMPLES} samples, an edit each every ${PERIOD_MS} ms for ${SECONDS} s; ${before}`);
  const dir = mkdtempSync(join(tmpdir(), 'path-studio-team-bench-'));
  const users = Array.from({ length: CLIENTS - 1 }, (_, i) => ({ name: `ann${i + 1}`, password: `ann${i + 1}-bench-pw` }));
  let server: TeamServerProcess | null = null;
  const clients: Client[] = [];
  try {
    server = await startTeamServer({
      dir, port: await freePort('TEAM_BENCH_PORT'), admin: `${ADMIN.name}:${ADMIN.password}`, users: users.map((u) => `${u.name}:${u.password}:annotator`), origins: ['http://localhost:4173'],
    });
    const common = ['--server', server.url, '--name', DATASET, '--samples', String(SAMPLES)];
    // The admin shares first (as teamController.share); then the others join at once (as teamController.join).
    const t0 = Date.now();
    clients.push(startClient(0, [...common, '--role', 'share', '--user', ADMIN.name, '--password', ADMIN.password]));
    const shared = await clients[0].next('READY', 600_000) as { datasetId: string; setupMs: number };
    const shareSeconds = (Date.now() - t0) / 1000;
    const t1 = Date.now();
    users.forEach((u, i) => clients.push(startClient(i + 1, [...common, '--role', 'join', '--user', u.name, '--password', u.password])));
    const joined = await Promise.all(clients.slice(1).map((c) => c.next('READY', 600_000))) as { samples: number; setupMs: number }[];
    const joinSeconds = (Date.now() - t1) / 1000;
    if (joined.some((j) => j.samples !== SAMPLES)) throw new Error(`a client joined with ${joined.map((j) => j.samples).join(', ')} samples, not ${SAMPLES}`);
    console.log(`shared in ${shareSeconds.toFixed(1)} s (process start included), ${CLIENTS - 1} joined in ${joinSeconds.toFixed(1)} s (in parallel, process starts included; each ${joined.map((j) => (j.setupMs / 1000).toFixed(1)).join(', ')} s)`);

    // Where an edit is on its way: a watcher of the server's changes feed (as the admin) notes when
    // each edit is on the server, splitting the propagation into save → server → the other's Dexie.
    const auth = basicAuth(`${ADMIN.name}:${ADMIN.password}`);
    const onServerAt = new Map<string, number>();
    const watcher = new AbortController();
    const watching = watchServer(`${server.url}${datasetDbName(shared.datasetId)}`, auth, onServerAt, watcher.signal);
    const startAt = Date.now() + 2000;
    for (const c of clients) c.tell('GO', { startAt, endAt: startAt + SECONDS * 1000 });
    const serverCpu0 = cpuSeconds(server.child.pid);
    const sentCounts = (await Promise.all(clients.map((c) => c.next('SENT', SECONDS * 1000 + 120_000)))) as { index: number; sent: number; cpuSeconds: number }[];
    const serverCpu = cpuSeconds(server.child.pid) - serverCpu0;
    const clientCpu = sentCounts.reduce((n, s) => n + s.cpuSeconds, 0);
    const windowSeconds = (Date.now() - startAt) / 1000;
    const cpuNote = `CPU time while editing (${windowSeconds.toFixed(0)} s × ${cpus().length} cores = ${(windowSeconds * cpus().length).toFixed(0)} core-s): clients ${clientCpu.toFixed(0)} s, server ${serverCpu.toFixed(0)} s`;
    console.log(cpuNote);
    const counts = clients.map((c) => sentCounts.find((s) => s.index === c.index)!.sent);
    for (const c of clients) c.tell('EXPECT', { sent: counts, drainMs: DRAIN_MS });
    await Promise.all(clients.map((c) => c.next('DRAINED', DRAIN_MS + 120_000)));
    for (const c of clients) c.tell('FINISH', {});
    const results = (await Promise.all(clients.map((c) => c.next('RESULT', 120_000)))) as Result[];
    const during = machine();
    watcher.abort();
    await watching;

    // Deliveries: every edit of every client, to every other client.
    const sentBy = new Map(results.map((r) => [r.index, r.sent]));
    const latencies: number[] = [], toServer: number[] = [], fromServer: number[] = [];
    for (const r of results) for (const e of r.sent) {
      const at = onServerAt.get(`${r.index}:${e.seq}`);
      if (at !== undefined) toServer.push(at - e.sentAt);
    }
    let expected = 0, delivered = 0, duplicates = 0, superseded = 0;
    const missing: string[] = [];
    for (const receiver of results) {
      const got = new Map(receiver.arrivals.map((a) => [a.key, a]));
      const seenSamples = new Map<string, number>(); // sample → highest seq seen
      for (const a of receiver.arrivals) {
        const seq = Number(a.key.split(':')[1]);
        seenSamples.set(`${a.key.split(':')[0]}:${a.sampleId}`, Math.max(seq, seenSamples.get(`${a.key.split(':')[0]}:${a.sampleId}`) ?? -1));
      }
      for (const sender of results) {
        if (sender.index === receiver.index) continue;
        for (const e of sentBy.get(sender.index)!) {
          expected++;
          const a = got.get(`${sender.index}:${e.seq}`);
          if (a) {
            delivered++;
            latencies.push(a.at[0] - e.sentAt);
            const at = onServerAt.get(`${sender.index}:${e.seq}`);
            if (at !== undefined) fromServer.push(a.at[0] - at);
            duplicates += a.at.length - 1;
          } else {
            if ((seenSamples.get(`${sender.index}:${e.sampleId}`) ?? -1) > e.seq) superseded++;
            missing.push(`edit s${e.seq} of client ${sender.index} (sample ${e.sampleId}, saved at +${((e.sentAt - startAt) / 1000).toFixed(1)} s) never reached client ${receiver.index}`);
          }
        }
      }
    }
    const edits = counts.reduce((a, b) => a + b, 0);
    const lost = expected - delivered;

    // The server at the end: conflicting revisions, and each client's state against it.
    const res = await fetch(`${server.url}${datasetDbName(shared.datasetId)}/_all_docs?include_docs=true&conflicts=true&startkey=%22sample%3A%22&endkey=%22sample%3A%EF%BF%B0%22`, { headers: { authorization: auth } });
    const rows = ((await res.json()) as { rows: { id: string; doc: { instruction: string; _conflicts?: string[] } }[] }).rows;
    const conflicts = rows.filter((r) => r.doc._conflicts?.length).length;
    const onServer = new Map(rows.map((r) => [r.id.slice('sample:'.length), r.doc.instruction]));
    const diverged = new Set<string>();
    for (const r of results) for (const [id, instruction] of Object.entries(r.final)) if (onServer.get(id) !== instruction) diverged.add(id);
    for (const line of missing.slice(0, 10)) console.log(`lost: ${line}`);
    for (const id of [...diverged].slice(0, 10)) console.log(`diverged: sample ${id}: server "${onServer.get(id)}", clients ${results.map((r) => `${r.index} "${r.final[id]}"`).join(', ')}`);
    const clientConflicts = results.reduce((n, r) => n + r.conflicts.length, 0);
    const refused = results.reduce((n, r) => n + r.refused, 0);
    const saveMs = results.flatMap((r) => r.sent.map((s) => s.savedMs));

    const note = `${CLIENTS} annotator processes, ${SAMPLES} samples, an edit each every ${PERIOD_MS / 1000} s for ${SECONDS} s; ${cpuNote}; ${during}`;
    report({ metric: `${M}.edits`, value: edits, unit: 'edits', note: `${counts.join(', ')} per client; save (updateSample) p50 ${percentile(saveMs, 50).toFixed(0)} ms; ${note}` });
    report({ metric: `${M}.deliveries.expected`, value: expected, unit: '', note: `edits × ${CLIENTS - 1} other clients` });
    report({ metric: `${M}.delivered`, value: delivered, unit: '' });
    report({ metric: `${M}.lost`, value: lost, unit: '', target: '0', note: `not in the receiver's Dexie ${DRAIN_MS / 1000} s after the last edit${superseded ? `; ${superseded} of them overwritten there by a later edit of the same sample first` : ''}` });
    report({ metric: `${M}.duplicates`, value: duplicates, unit: '', target: '0', note: 'the same edit written into a client\'s Dexie more than once' });
    if (latencies.length) {
      report({ metric: `${M}.propagation.p50`, value: +(percentile(latencies, 50) / 1000).toFixed(3), unit: 's', note: 'updateSample in one process → the remote mirror\'s Dexie commit in another' });
      report({ metric: `${M}.propagation.p95`, value: +(percentile(latencies, 95) / 1000).toFixed(3), unit: 's', target: '< 2', note });
      report({ metric: `${M}.propagation.max`, value: +(Math.max(...latencies) / 1000).toFixed(3), unit: 's' });
      const ps = (v: number[]) => `p50 ${(percentile(v, 50) / 1000).toFixed(2)} s, p95 ${(percentile(v, 95) / 1000).toFixed(2)} s`;
      report({ metric: `${M}.toServer.p95`, value: +(percentile(toServer, 95) / 1000).toFixed(3), unit: 's', note: `save → on the server's changes feed (a watcher's view), ${ps(toServer)}; ${toServer.length} of ${edits} edits seen there` });
      report({ metric: `${M}.fromServer.p95`, value: +(percentile(fromServer, 95) / 1000).toFixed(3), unit: 's', note: `on the server's changes feed → the other client's Dexie commit, ${ps(fromServer)}` });
    }
    report({ metric: `${M}.conflicts`, value: conflicts, unit: 'samples', target: '0', note: `samples with conflicting revisions on the server at the end; clients' replicas report ${clientConflicts}; ${refused} changes refused` });
    report({ metric: `${M}.diverged`, value: diverged.size, unit: 'samples', target: '0', note: `samples whose instruction in some client's Dexie differs from the server's at the end (${SAMPLES} samples × ${CLIENTS} clients compared)` });
    console.log(`load before: ${before}; after: ${machine()}`);
  } finally {
    for (const c of clients) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    await server?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
