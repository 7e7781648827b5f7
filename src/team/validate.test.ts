// @vitest-environment node
/**
 * The team's rules on a real embedded server (scripts/teamServer.mjs as its own process: express-
 * pouchdb over LevelDB): single writes, replicated writes (`_bulk_docs` with `new_edits: false`,
 * where express-pouchdb passes an empty security object), per-project roles, and what the studio's
 * replica does when the server refuses a change.
 */
import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import PouchDBNode from 'pouchdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetWithSamples, updateSample } from '../storage';
import { getDb, setDb, StudioDatabase } from '../storage/db';
import { sha256Hex } from '../storage/hash';
import { fetchAs, startTeamServer, type TeamServerProcess } from '../testing/teamServerProcess';
import { sampleDocId, type SampleDoc } from './docs';
import { memoryPlatform } from './nodePlatform';
import type { PouchDatabase, PouchStatic } from './pouch';
import { DatasetReplica, type ReplicaStatus } from './replica';
import { TeamServer } from './server';
import { DESIGN_DOC_ID, projectRole } from './validate';

const HttpPouch = PouchDBNode as PouchStatic;
const USERS = { lead: 'lead-pw', ann: 'ann-pw', rev: 'rev-pw', rev2: 'rev2-pw', pam: 'pam-pw' };
let server: TeamServerProcess;
let dir = '';
const DB = 'pathstudio-ds-rules';

const as = (name: keyof typeof USERS): typeof fetch => fetchAs(`${name}:${USERS[name]}`);
const remote = (name: keyof typeof USERS, db = DB): PouchDatabase => new HttpPouch(`${server.url}${db}`, { skip_setup: true, auth: { username: name, password: USERS[name] } });

async function put(name: keyof typeof USERS, doc: Record<string, unknown>): Promise<{ status: number; body: { rev?: string; reason?: string } }> {
  const res = await as(name)(`${server.url}${DB}/${encodeURIComponent(String(doc._id))}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(doc) });
  return { status: res.status, body: await res.json() as { rev?: string; reason?: string } };
}

async function get(id: string): Promise<SampleDoc & { _rev: string }> {
  return (await as('lead')(`${server.url}${DB}/${encodeURIComponent(id)}`)).json() as Promise<SampleDoc & { _rev: string }>;
}

const sample = (over: Record<string, unknown>) => ({ type: 'sample', datasetId: 'rules', assetId: 'a', order: 1, instruction: '', path: null, status: 'draft', source: 'image', createdAt: 1, updatedAt: 1, ...over });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'path-studio-rules-'));
  server = await startTeamServer({ dir, admin: `lead:${USERS.lead}`, users: [`ann:${USERS.ann}:annotator`, `rev:${USERS.rev}:reviewer`, `rev2:${USERS.rev2}:reviewer`, `pam:${USERS.pam}:annotator`], origins: ['http://localhost:5173'] });
  await new TeamServer(server.url, as('lead')).publish({ id: 'rules', name: 'Rules', db: DB, sharedBy: 'lead', sharedAt: 1 });
}, 60_000);

afterAll(async () => {
  await server?.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('team rules on the server (validate_doc_update)', () => {
  it('installs the rules when a dataset is shared, and refuses an unsigned or misattributed change', async () => {
    expect((await get(DESIGN_DOC_ID) as unknown as { validate_doc_update: string }).validate_doc_update).toMatch(/^function/);
    expect((await put('ann', sample({ _id: 'sample:x0' }))).status).toBe(403);
    const forged = await put('ann', sample({ _id: 'sample:x0', changedBy: 'rev', changedAt: 5 }));
    expect(forged).toMatchObject({ status: 403, body: { reason: expect.stringMatching(/changedBy must be ann/) } });
    expect((await put('ann', sample({ _id: 'sample:x0', changedBy: 'ann', changedAt: 5 }))).status).toBe(201);
    // Presence: each user writes only their own.
    const presence = (id: string) => ({ _id: id, type: 'presence', user: 'ann', sampleId: 'x0', at: 5, changedBy: 'ann', changedAt: 5 });
    expect((await put('ann', presence('presence:ann'))).status).toBe(201);
    expect((await put('ann', presence('presence:rev'))).body.reason).toMatch(/only where they themselves are/);
    // Assignments: reviewers only.
    const assignment = (by: string) => ({ _id: 'assignment:ann', type: 'assignment', annotator: 'ann', from: 1, to: 5, statuses: [], assignedBy: by, at: 5, changedBy: by, changedAt: 5 });
    expect((await put('ann', assignment('ann'))).body.reason).toMatch(/Only a reviewer or admin assigns work/);
    expect((await put('rev', assignment('rev'))).status).toBe(201);
  });

  it('lets only reviewers approve or reject, as themselves, and nobody change another reviewer\'s review', async () => {
    const first = await put('ann', sample({ _id: 'sample:x1', status: 'done', changedBy: 'ann', changedAt: 1 }));
    expect(first.status).toBe(201);
    const approve = { _id: 'sample:x1', _rev: first.body.rev, status: 'reviewed', review: { verdict: 'approved', comment: '', at: 2 }, changedAt: 2 };
    const byAnn = await put('ann', sample({ ...approve, changedBy: 'ann', reviewedBy: 'ann' }));
    expect(byAnn).toMatchObject({ status: 403, body: { reason: expect.stringMatching(/Only a reviewer can approve/) } });
    expect((await put('ann', sample({ ...approve, status: 'done', changedBy: 'ann', reviewedBy: 'ann' }))).body.reason).toMatch(/Only a reviewer can write a review/);
    expect((await put('rev', sample({ ...approve, changedBy: 'rev', reviewedBy: 'ann' }))).body.reason).toMatch(/reviewedBy must be rev/);
    const byRev = await put('rev', sample({ ...approve, changedBy: 'rev', reviewedBy: 'rev' }));
    expect(byRev.status).toBe(201);
    // Another reviewer may not rewrite it; the annotator may still fix the instruction around it.
    const rewrite = sample({ ...approve, _rev: byRev.body.rev, review: { verdict: 'rejected', comment: 'no', at: 3 }, status: 'rejected', changedBy: 'rev2', reviewedBy: 'rev2' });
    expect((await put('rev2', rewrite)).body.reason).toMatch(/This review is rev's/);
    const fix = await put('ann', sample({ ...approve, _rev: byRev.body.rev, instruction: 'wipe', changedBy: 'ann', reviewedBy: 'rev' }));
    expect(fix.status).toBe(201);
    expect(await get('sample:x1')).toMatchObject({ status: 'reviewed', instruction: 'wipe', changedBy: 'ann', reviewedBy: 'rev' });
  });

  it('holds on replicated writes too, where the roles come from the project (security object and its copy in the rules)', async () => {
    const local = memoryPlatform('rules-').openLocal('pam-1');
    await local.put(sample({ _id: 'sample:x2', status: 'reviewed', review: { verdict: 'approved', comment: '', at: 1 }, changedBy: 'pam', changedAt: 1, reviewedBy: 'pam' }));
    const denied: string[] = [];
    const push = async () => {
      const rep = local.replicate.to(remote('pam')) as Promise<unknown> & { on(e: string, f: (x: { id: string }) => void): void };
      rep.on('denied', (e) => denied.push(e.id));
      await rep;
    };
    await push();
    expect(denied).toEqual(['sample:x2']);
    // The lead makes pam a reviewer of this project only.
    const lead = new TeamServer(server.url, as('lead'));
    await lead.setProjectRole(DB, 'pam', 'reviewer');
    expect((await lead.projectSettings(DB))?.roles).toEqual({ pam: 'reviewer' });
    expect(projectRole({ name: 'pam', roles: ['annotator'] }, { pam: 'reviewer' })).toBe('reviewer');
    const doc = await local.get<SampleDoc>('sample:x2');
    await local.put({ ...doc, changedAt: 2 });
    denied.length = 0;
    await push();
    expect(denied).toEqual([]);
    expect(await get('sample:x2')).toMatchObject({ status: 'reviewed', reviewedBy: 'pam' });
  });

  it('a dataset shared before the rules (or before they changed) is said so, and only its admin installs them', async () => {
    const db = 'pathstudio-ds-older';
    const lead = new TeamServer(server.url, as('lead')), ann = new TeamServer(server.url, as('ann'));
    await lead.publish({ id: 'older', name: 'Older', db, sharedBy: 'lead', sharedAt: 1 });
    // As a dataset shared by an earlier studio: no design document.
    const ddocUrl = `${server.url}${db}/${DESIGN_DOC_ID}`;
    const { _rev } = await (await as('lead')(ddocUrl)).json() as { _rev: string };
    expect((await as('lead')(`${ddocUrl}?rev=${_rev}`, { method: 'DELETE' })).status).toBe(200);
    expect(await ann.projectSettings(db)).toEqual({ roles: {}, rules: 'missing' });
    const approve = (id: string) => as('ann')(`${server.url}${db}/${id}`, {
      method: 'PUT', headers: { 'content-type': 'application/json' },
      body: JSON.stringify(sample({ _id: id, status: 'reviewed', review: { verdict: 'approved', comment: '', at: 1 }, reviewedBy: 'ann', changedBy: 'ann', changedAt: 1 })),
    });
    expect((await approve('sample:o1')).status).toBe(201); // nothing stops an annotator's approval
    await expect(ann.installRules(db)).rejects.toThrow(/Only an admin of this dataset/);
    await lead.installRules(db);
    expect(await ann.projectSettings(db)).toEqual({ roles: {}, rules: 'current' });
    expect((await approve('sample:o2')).status).toBe(403);
    // Rules of an older studio are told apart from none, and replaced with the roles kept.
    await lead.setProjectRole(db, 'pam', 'reviewer');
    const current = await (await as('lead')(ddocUrl)).json() as Record<string, unknown>;
    await as('lead')(ddocUrl, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...current, validate_doc_update: 'function (newDoc) {}' }) });
    expect(await lead.projectSettings(db)).toEqual({ roles: { pam: 'reviewer' }, rules: 'outdated' });
    await lead.installRules(db);
    expect(await lead.projectSettings(db)).toEqual({ roles: { pam: 'reviewer' }, rules: 'current' });
  });
});

describe('the embedded server with rules', () => {
  it('stores a replicated edit of an existing document (pouchdb-validation would drop it: pouchdb-server #419)', async () => {
    const local = memoryPlatform('rules-').openLocal('ann-edit');
    await local.put(sample({ _id: 'sample:x3', instruction: 'one', changedBy: 'ann', changedAt: 1 }));
    await local.replicate.to(remote('ann'));
    const doc = await local.get<SampleDoc>('sample:x3');
    await local.put({ ...doc, instruction: 'two', changedAt: 2 });
    await local.replicate.to(remote('ann'));
    expect(await get('sample:x3')).toMatchObject({ instruction: 'two', _rev: expect.stringMatching(/^2-/) });
  });
});

describe('a change the server refuses, in the studio', () => {
  it('is reverted here, said (after a reload too, until dismissed), and the next edit of the same sample still reaches the server', async () => {
    setDb(new StudioDatabase('rules-ann'));
    const blob = new Blob(['img'], { type: 'image/png' });
    const asset = { id: await sha256Hex(blob), blob, mime: 'image/png', size: 3, width: 1, height: 1, createdAt: 1 };
    const db = 'pathstudio-ds-refused';
    const { dataset, samples } = await createDatasetWithSamples('Refused', [asset], [{ assetId: asset.id, source: 'image', instruction: 'first' }]);
    await new TeamServer(server.url, as('lead')).publish({ id: dataset.id, name: 'Refused', db, sharedBy: 'lead', sharedAt: 1 });
    const statuses: ReplicaStatus[] = [];
    const platform = memoryPlatform('refused-');
    // Shared by the lead first, so the sample is on the server as the lead's.
    const leadReplica = new DatasetReplica({ datasetId: dataset.id, local: platform.openLocal('lead'), platform, user: () => 'lead', retryMaxMs: 200 });
    await leadReplica.start();
    leadReplica.connect(remote('lead', db));
    const id = samples[0].id;
    await expect.poll(async () => (await remote('ann', db).get(sampleDocId(id)).catch(() => null)) !== null, { timeout: 10_000 }).toBe(true);
    await leadReplica.stop();

    const ann = new DatasetReplica({ datasetId: dataset.id, local: platform.openLocal('ann'), platform, user: () => 'ann', retryMaxMs: 200, onStatus: (s) => statuses.push(s) });
    await platform.openLocal('ann').replicate.from(remote('ann', db));
    await ann.start();
    ann.connect(remote('ann', db));
    try {
      await updateSample(id, { status: 'reviewed', review: { verdict: 'approved', comment: '', at: 5 } });
      await expect.poll(() => ann.status.refused.map((r) => [r.sampleId, r.outcome]), { timeout: 10_000 }).toEqual([[id, 'reverted']]);
      expect(ann.status.refused[0].reason).toMatch(/Only a reviewer can approve/);
      // Reverted here: the server's version is back in Dexie.
      await expect.poll(async () => (await getDb().samples.get(id))?.status, { timeout: 10_000 }).toBe('draft');
      expect((await getDb().samples.get(id))?.review).toBeUndefined();
      // A later edit of the same sample is accepted.
      await updateSample(id, { instruction: 'second, after the refusal' });
      await expect.poll(async () => ((await remote('ann', db).get(sampleDocId(id))) as unknown as SampleDoc).instruction, { timeout: 10_000 }).toBe('second, after the refusal');
      expect(await remote('ann', db).get(sampleDocId(id))).toMatchObject({ status: 'draft', changedBy: 'ann' });
    } finally {
      await ann.stop();
    }
    // The next visit (a reload) still says what was refused until it is dismissed.
    const again = new DatasetReplica({ datasetId: dataset.id, local: platform.openLocal('ann'), platform, user: () => 'ann', retryMaxMs: 200 });
    await again.start();
    try {
      expect(again.status.refused.map((r) => [r.sampleId, r.outcome])).toEqual([[id, 'reverted']]);
      again.dismissRefused();
      expect(again.status.refused).toEqual([]);
    } finally {
      await again.stop();
    }
    const third = new DatasetReplica({ datasetId: dataset.id, local: platform.openLocal('ann'), platform, user: () => 'ann', retryMaxMs: 200 });
    await third.start();
    expect(third.status.refused).toEqual([]);
    await third.stop();
  }, 30_000);
});
